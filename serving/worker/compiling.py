"""torch.compile as a declared serving mode.

A compiled model is compiled and warmed up for every batch size it will serve while the
worker loads (under the startup timeout, before /ping turns 200), so no request pays
for compilation. At request time a batch is padded up to the nearest declared size
(and split into chunks of the largest), and the padding rows are dropped from the
answer, so the compiled graphs are reused instead of recompiled per shape.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from serving.errors import ModelLoadError
from serving.load_report import CompileOutcome
from serving.worker_spec import CompileSpec

log = logging.getLogger(__name__)


def padded_size(sizes: Sequence[int], rows: int) -> int:
    """The smallest declared size that holds ``rows``, else the largest (chunking)."""
    for size in sizes:
        if size >= rows:
            return size
    return sizes[-1]


def run_padded(forward: Callable[[Any], Any], batch: Any, sizes: Sequence[int]) -> Any:
    """``forward(batch)`` through declared batch sizes only: pad, chunk, strip, join."""
    import torch

    # Graphs were warmed up on ordinary tensors (see compile_and_warm_up); inference
    # tensors carry other dispatch keys and would trigger a recompile, so every chunk
    # handed to the model is an ordinary tensor.
    with torch.inference_mode(False):
        if batch.is_inference():
            batch = batch.clone()
        return _run_chunks(forward, batch, sizes)


def _run_chunks(forward: Callable[[Any], Any], batch: Any, sizes: Sequence[int]) -> Any:
    import torch

    rows = batch.shape[0]
    outputs = []
    start = 0
    while start < rows:
        size = padded_size(sizes, rows - start)
        chunk = batch[start : start + size]
        real = chunk.shape[0]
        if real < size:
            padding = chunk[-1:].expand(size - real, *chunk.shape[1:])
            chunk = torch.cat([chunk, padding])
        with torch.inference_mode():
            output = forward(chunk)
        if not isinstance(output, torch.Tensor) or output.ndim == 0 or output.shape[0] != size:
            raise ModelLoadError(
                "a compiled model with declared batch sizes must return one row per input row"
            )
        kept = output[:real]
        start += real
        if start < rows:
            # Another chunk runs before the join: with CUDA graphs (reduce-overhead) its
            # replay would overwrite this output's memory, so keep a copy.
            kept = kept.clone()
        outputs.append(kept)
    return outputs[0] if len(outputs) == 1 else torch.cat(outputs)


@dataclass(frozen=True)
class CompiledShapes:
    """What the default predict_fn needs to serve a compiled model: the batch sizes
    compiled at load, the rank of one sample, and whether outputs live in CUDA-graph
    memory that the next replay reuses."""

    batch_sizes: tuple[int, ...]
    sample_ndim: int
    cuda_graphs: bool


def compile_and_warm_up(
    model: Any, spec: CompileSpec, device: str, model_dtype: str = "float32"
) -> tuple[Any, CompileOutcome]:
    """Compile ``model`` per ``spec`` and run the warm-up input at every batch size.

    Returns the model to serve and the outcome; the model is the eager one only when
    compilation failed and ``spec.allow_eager_fallback`` allowed serving it eager."""
    import torch

    spec.cache_dir.mkdir(parents=True, exist_ok=True)
    # Persistent kernels and FX graphs: a restart reuses what the last start compiled.
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(spec.cache_dir)
    os.environ.setdefault("TORCHINDUCTOR_FX_GRAPH_CACHE", "1")
    import torch._dynamo
    import torch._inductor.config as inductor_config

    inductor_config.freezing = spec.freezes(device)
    sizes = spec.batch_sizes
    # One graph per declared batch size; don't let dynamo give up and fall back to eager.
    torch._dynamo.config.cache_size_limit = max(8, 2 * len(sizes) + 2)
    dtype = getattr(torch, spec.warmup_dtype)
    if dtype.is_floating_point:
        # The default predict_fn casts floating inputs to the model's dtype; so does this.
        dtype = getattr(torch, model_dtype)
    started = time.perf_counter()
    try:
        compiled = torch.compile(
            model,
            backend=spec.backend,
            mode=None if spec.mode == "default" else spec.mode,
            dynamic=spec.dynamic,
            fullgraph=spec.fullgraph,
        )
        # CUDA graph trees run a new graph eagerly once, record it on the second call and
        # replay it from the third: warm every size up that far, so that no request pays
        # for a recording.
        passes = 3 if spec.uses_cuda_graphs(device) else 1
        for _ in range(passes):
            for size in sizes:
                # Made outside inference_mode, like the tensors input_fn makes from
                # requests: an inference tensor carries other dispatch keys and would fail
                # dynamo's guards, so the first real request would recompile.
                sample = torch.zeros((size, *spec.warmup_shape), dtype=dtype, device=device)
                with torch.inference_mode():
                    compiled(sample)  # type: ignore[no-untyped-call]  # torch.compile's result
    except Exception as error:
        message = f"torch.compile failed: {type(error).__name__}: {error}"
        if not spec.allow_eager_fallback:
            raise ModelLoadError(
                f"{message}. Fix the model, change compile settings, or set "
                "compile.allow_eager_fallback: true to serve it eager"
            ) from error
        log.warning("COMPILE FALLBACK: serving eager. %s", message)
        return model, CompileOutcome(False, time.perf_counter() - started, message)
    seconds = time.perf_counter() - started
    log.info(
        "compiled (%s, mode %s) and warmed up batch sizes %s in %.1f s; cache %s",
        spec.backend,
        spec.mode,
        list(sizes),
        seconds,
        spec.cache_dir,
    )
    return compiled, CompileOutcome(True, seconds)
