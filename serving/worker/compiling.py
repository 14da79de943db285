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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from serving.errors import ModelLoadError

log = logging.getLogger(__name__)


def batch_sizes_for(declared: Sequence[int], max_batch: int) -> tuple[int, ...]:
    """The sizes to compile: those declared, else powers of two up to the TorchServe
    batch size, and that size itself.

    >>> batch_sizes_for((), 6)
    (1, 2, 4, 6)
    """
    if declared:
        return tuple(sorted(set(declared)))
    sizes = {max_batch}
    size = 1
    while size < max_batch:
        sizes.add(size)
        size *= 2
    return tuple(sorted(sizes))


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


def uses_cuda_graphs(settings: Mapping[str, Any], device: str) -> bool:
    """Whether inductor replays CUDA graphs for this model (``reduce-overhead`` and
    ``max-autotune`` on a GPU). A replay writes its outputs into memory the next replay
    reuses, so whoever keeps an output across forward passes must copy it."""
    mode = settings.get("mode", "default")
    return device.startswith("cuda") and mode in ("reduce-overhead", "max-autotune")


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """``$SERVING_CACHE_DIR/inductor`` (the images set a fixed path to mount), else
    ``${XDG_CACHE_HOME:-~/.cache}/serving/inductor``.

    Not TORCHINDUCTOR_CACHE_DIR: importing torch._inductor sets it to its own
    /tmp default, so its presence says nothing about what the user asked for."""
    if environ.get("SERVING_CACHE_DIR"):
        return Path(environ["SERVING_CACHE_DIR"]) / "inductor"
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serving" / "inductor"


def compile_and_warm_up(
    model: Any, settings: Mapping[str, Any], device: str, model_dtype: str = "float32"
) -> tuple[Any, bool]:
    """Compile ``model`` per ``settings`` (the rendered ``compile`` section) and run the
    warm-up input at every batch size. Returns ``(model, compiled)``; ``compiled`` is
    False only when compilation failed and eager fallback was explicitly allowed."""
    import torch

    cache_dir = Path(settings.get("cache_dir") or default_cache_dir(os.environ))
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Persistent kernels and FX graphs: a restart reuses what the last start compiled.
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(cache_dir)
    os.environ.setdefault("TORCHINDUCTOR_FX_GRAPH_CACHE", "1")
    freezing = settings.get("freezing")
    if freezing is None:
        freezing = not device.startswith("cuda")
    import torch._dynamo
    import torch._inductor.config as inductor_config

    inductor_config.freezing = bool(freezing)
    sizes = tuple(settings["batch_sizes"])
    # One graph per declared batch size; don't let dynamo give up and fall back to eager.
    torch._dynamo.config.cache_size_limit = max(8, 2 * len(sizes) + 2)
    warmup = settings["warmup"]
    dtype = getattr(torch, warmup.get("dtype", "float32"))
    if dtype.is_floating_point:
        # The default predict_fn casts floating inputs to the model's dtype; so does this.
        dtype = getattr(torch, model_dtype)
    started = time.perf_counter()
    try:
        compiled = torch.compile(
            model,
            backend=settings.get("backend", "inductor"),
            mode=None if settings.get("mode", "default") == "default" else settings["mode"],
            dynamic=bool(settings.get("dynamic", False)),
            fullgraph=bool(settings.get("fullgraph", False)),
        )
        # CUDA graph trees run a new graph eagerly once, record it on the second call and
        # replay it from the third: warm every size up that far, so that no request pays
        # for a recording.
        passes = 3 if uses_cuda_graphs(settings, device) else 1
        for _ in range(passes):
            for size in sizes:
                # Made outside inference_mode, like the tensors input_fn makes from
                # requests: an inference tensor carries other dispatch keys and would fail
                # dynamo's guards, so the first real request would recompile.
                sample = torch.zeros((size, *warmup["shape"]), dtype=dtype, device=device)
                with torch.inference_mode():
                    compiled(sample)
    except Exception as error:
        message = f"torch.compile failed: {type(error).__name__}: {error}"
        if not settings.get("allow_eager_fallback", False):
            raise ModelLoadError(
                f"{message}. Fix the model, change compile settings, or set "
                "compile.allow_eager_fallback: true to serve it eager"
            ) from error
        log.warning("COMPILE FALLBACK: serving eager. %s", message)
        return model, False
    log.info(
        "compiled (%s, mode %s) and warmed up batch sizes %s in %.1f s; cache %s",
        settings.get("backend", "inductor"),
        settings.get("mode", "default"),
        list(sizes),
        time.perf_counter() - started,
        cache_dir,
    )
    return compiled, True
