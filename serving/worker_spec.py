"""WorkerSpec: the typed contract between start-up and a worker.

Start-up builds one spec per model from the validated config
(:func:`serving.config.worker_specs.worker_spec`, pure);
the engine carries it to its workers as a plain mapping (:meth:`WorkerSpec.to_dict`,
:meth:`WorkerSpec.from_dict`); a worker loads its model from it and from its
:class:`Placement`. Nothing on the worker side reads the YAML config or restates one of
its defaults: what a worker needs is a field here.

This module imports neither pydantic nor torch: workers import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class CompileSpec:
    """torch.compile as the worker runs it: every batch size resolved, the cache placed."""

    backend: str
    mode: str
    dynamic: bool
    fullgraph: bool
    freezing: bool | None  # None: on for the CPU, off for CUDA
    batch_sizes: tuple[int, ...]
    warmup_shape: tuple[int, ...]
    warmup_dtype: str
    allow_eager_fallback: bool
    cache_dir: Path

    def uses_cuda_graphs(self, device: str) -> bool:
        """Whether inductor replays CUDA graphs (``reduce-overhead`` and ``max-autotune``
        on a GPU). A replay writes its outputs into memory the next replay reuses, so
        whoever keeps an output across forward passes must copy it."""
        return device.startswith("cuda") and self.mode in ("reduce-overhead", "max-autotune")

    def freezes(self, device: str) -> bool:
        return self.freezing if self.freezing is not None else not device.startswith("cuda")


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to load one model and answer its requests."""

    model_name: str
    model_dir: Path
    code_dir: Path
    entry_module: str
    device: str  # auto, cpu or cuda: the Placement says which GPU
    dtype: str
    batch_size: int
    default_accept: str
    max_response_bytes: int
    # The longest the engine waits for the worker's next answer (a whole one, or the
    # next part of a streamed one) before it gives the worker up for dead.
    response_timeout_s: int = 60
    compile: CompileSpec | None = None  # None: served eager
    report_dir: Path | None = None  # where the worker writes its load report, if anywhere
    # The model's own packages (its code/requirements.txt on a multi-model endpoint),
    # ahead of the serving environment's on sys.path; None: the serving environment's.
    packages_dir: Path | None = None
    # Serving a batch transform job, which ends each answer with a newline of its own
    # (AssembleWith=Line): line-record answers then leave out their last newline.
    batch_transform: bool = False
    # The server's log level: below DEBUG the engine's per-request lines are dropped.
    log_level: str = "INFO"

    def to_dict(self) -> dict[str, Any]:
        """Plain values only (str, int, bool, lists, None), for YAML or JSON."""
        plain: dict[str, Any] = _plain(asdict(self))
        return plain

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> WorkerSpec:
        """The inverse of :meth:`to_dict`; unknown keys are an error, not ignored."""
        fields = dict(values)
        compile_values = fields.pop("compile", None)
        compiled = None
        if compile_values is not None:
            compile_fields = dict(compile_values)
            compiled = CompileSpec(
                **{
                    **compile_fields,
                    "batch_sizes": tuple(compile_fields["batch_sizes"]),
                    "warmup_shape": tuple(compile_fields["warmup_shape"]),
                    "cache_dir": Path(compile_fields["cache_dir"]),
                }
            )
        report_dir = fields.pop("report_dir", None)
        packages_dir = fields.pop("packages_dir", None)
        return cls(
            **{
                **fields,
                "model_dir": Path(fields["model_dir"]),
                "code_dir": Path(fields["code_dir"]),
            },
            compile=compiled,
            report_dir=Path(report_dir) if report_dir is not None else None,
            packages_dir=Path(packages_dir) if packages_dir is not None else None,
        )


@dataclass(frozen=True)
class Placement:
    """Where the engine runs one worker: which GPU, if any."""

    gpu_id: int | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value
