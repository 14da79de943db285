"""The worker spec of each model, built from the validated config: the one place where
the YAML's settings become what a worker is told (:class:`~serving.worker_spec.WorkerSpec`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from serving.config.schema import Config, ModelConfig
from serving.worker_spec import MB, CompileSpec, WorkerSpec

# Answers may be larger than requests (embeddings of a short text, an upscaled image):
# a worker refuses answers above max(request limit, this) with a clean error.
MIN_RESPONSE_MB = 64


def batch_sizes_for(declared: Sequence[int], max_batch: int) -> tuple[int, ...]:
    """The sizes to compile: those declared, else powers of two up to the model's batch
    size, and that size itself.

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


def response_limit_bytes(max_payload_mb: int) -> int:
    """The largest answer a worker sends: the request limit, but at least 64 MB."""
    return max(max_payload_mb, MIN_RESPONSE_MB) * MB


def worker_spec(
    model: ModelConfig, config: Config, *, cache_dir: Path, report_dir: Path | None = None
) -> WorkerSpec:
    """The spec of ``model``'s workers. Pure: the config and two paths in, a value out.

    ``cache_dir`` is the serving cache (``environment.cache_dir``); compiled kernels go
    under it unless the model names its own ``compile.cache_dir``.
    """
    model_dir = model.model_dir
    assert model_dir is not None, "model_dir is filled in when the config is built"
    settings = model.compile
    compiled = None
    if settings.enabled:
        assert settings.warmup is not None, "the config requires a warm-up to compile"
        compiled = CompileSpec(
            backend=settings.backend,
            mode=settings.mode,
            dynamic=settings.dynamic,
            fullgraph=settings.fullgraph,
            freezing=settings.freezing,
            batch_sizes=batch_sizes_for(settings.batch_sizes, model.batch_size),
            warmup_shape=settings.warmup.shape,
            warmup_dtype=settings.warmup.dtype,
            allow_eager_fallback=settings.allow_eager_fallback,
            cache_dir=settings.cache_dir or cache_dir / "inductor",
        )
    return WorkerSpec(
        model_name=model.name,
        model_dir=model_dir,
        code_dir=model_dir / "code",
        entry_module=model.entry_module,
        device=model.device,
        dtype=model.dtype,
        batch_size=model.batch_size,
        default_accept=config.server.default_accept,
        max_response_bytes=response_limit_bytes(config.server.max_payload_mb),
        response_timeout_s=model.response_timeout_s or config.server.response_timeout_s,
        compile=compiled,
        report_dir=report_dir,
        batch_transform=config.server.batch_transform,
        log_level=config.server.log_level,
    )
