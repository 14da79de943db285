"""Sizing policy: how many workers each model gets, how many intra-op threads each worker
runs (so that workers never oversubscribe the CPU), and what a model is estimated to need
in memory. Pure but for reading a model directory's sizes; the machine's facts
(:mod:`serving.machine`) are passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from serving.machine.memory import MIB

if TYPE_CHECKING:
    from serving.config.schema import Config


def threads_per_worker(cpus: int, workers: int, reserved: int = 0) -> int:
    """Cores shared evenly among all workers of all models, at least one each. A lone
    worker leaves ``reserved`` cores to the engine's own frontend (TorchServe keeps one:
    HTTP, queueing, the codecs' copies), but never all of them.

    Measured on 2 cores (serving bench, digits MLP, batch size 1, concurrency 8): one
    worker with two intra-op threads served 460-550 req/s, with one thread 690-820 req/s,
    because OpenMP threads spin on the core the frontend needs; two workers of one thread
    each, sharing both cores with the frontend, served 1.57x one worker of one thread
    (2026-11-30, docs/bench/sizing/digits).

    >>> threads_per_worker(16, 3, reserved=1)
    5
    >>> threads_per_worker(4, 1, reserved=1)
    3
    """
    workers = max(1, workers)
    usable = cpus - reserved if workers == 1 and cpus > reserved else cpus
    return max(1, usable // workers)


#: The most workers a model gets when no one says how many: enough to keep a small CPU
#: machine's cores busy; beyond it, more threads per worker rather than more copies of
#: the model (each costs its memory and a slower lone request). A judgement, measured
#: only on 2 cores.
MAX_DEFAULT_WORKERS = 4


def default_workers(
    cpus: int, gpus: int, models: int, room_mb: int | None = None, worker_mb: int = 1
) -> int:
    """Workers per model when the config sets none: one per GPU where the models run on
    GPUs, else one per core up to :data:`MAX_DEFAULT_WORKERS`, shared among ``models``,
    and no more than ``room_mb`` of memory holds at ``worker_mb`` each; at least one.

    Measured on 2 cores (2026-11-30, docs/bench/sizing): two workers of one thread served
    1.93x one worker at concurrency 8 on the MiniLM encoder and 1.57x on the digits MLP,
    and 0.95x and 0.97x of its throughput at concurrency 1.

    >>> default_workers(cpus=2, gpus=0, models=1)
    2
    >>> default_workers(cpus=64, gpus=8, models=2)
    4
    """
    total = gpus if gpus > 0 else min(cpus, MAX_DEFAULT_WORKERS)
    share = total // max(1, models)
    if room_mb is not None:
        share = min(share, room_mb // (max(1, models) * max(1, worker_mb)))
    return max(1, share)


def sized(
    config: Config,
    cpus: int,
    gpus: int,
    room_mb: int | None = None,
    weights_mb: Mapping[str, int] | None = None,
    worker_base_mb: int = 0,
) -> Config:
    """``config`` with every model's workers set: its own setting, else the server's,
    else :func:`default_workers` for this machine (a model on ``device: cpu`` counts no
    GPUs), capped by the model's ``max_workers``. ``weights_mb`` (by model name) and
    ``worker_base_mb`` size one worker for the memory cap. Pure."""
    weights = weights_mb or {}
    models = []
    for model in config.models:
        workers = model.workers or config.server.workers
        if workers is None:
            per_worker = worker_base_mb + weights.get(model.name, 0)
            model_gpus = 0 if model.device == "cpu" else gpus
            workers = default_workers(cpus, model_gpus, len(config.models), room_mb, per_worker)
            if model.max_workers:
                workers = min(workers, model.max_workers)
        models.append(model.model_copy(update={"workers": workers}))
    return config.model_copy(update={"models": tuple(models)})


def thread_environment(environ: Mapping[str, str], threads: int) -> dict[str, str]:
    """OMP/MKL thread variables for the workers, unless the user already set them.

    They must be in the environment before a worker imports torch, which an engine's
    worker may do before the model loads; ``torch.set_num_threads`` in the loader then
    makes sure of it."""
    return {
        name: environ.get(name) or str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }


# --- memory: what a model is estimated to need, decided before it loads -------------------
#
# A multi-model endpoint answers 507 when a model would not fit, so that SageMaker unloads
# an idle model and tries again, rather than the kernel's OOM killer choosing a worker to
# end; at start-up the same estimate caps the default worker count. The need is made before
# anything is imported: each worker takes its interpreter, torch and the runtime, plus the
# model's weights (their size on disk). What is free is what the machine says
# (serving.machine.memory) and, when ``server.memory_limit_mb`` is set, that limit less
# what the models already loaded were estimated to take.

# One worker before its model: measured on TorchServe 0.12 workers with torch imported
# (about 220 MB resident each; ../shared/research/torchserve.md).
WORKER_BASE_MB = 220


@dataclass(frozen=True)
class Need:
    """What loading a model is estimated to take, and how the estimate was made."""

    workers: int
    weights_mb: int

    @property
    def mb(self) -> int:
        return self.workers * (WORKER_BASE_MB + self.weights_mb)

    def explain(self) -> str:
        return (
            f"about {self.mb} MiB ({self.workers} worker(s) x ({WORKER_BASE_MB} MiB for the "
            f"runtime + {self.weights_mb} MiB of model files))"
        )


def model_files_mb(model_dir: Path) -> int:
    """The size of the model directory's files outside ``code/``, in MiB, rounded up."""
    total = 0
    for directory, subdirectories, files in os.walk(model_dir):
        if Path(directory) == model_dir and "code" in subdirectories:
            subdirectories.remove("code")
        for name in files:
            path = Path(directory) / name
            if path.is_file():
                total += path.stat().st_size
    return -(-total // MIB)


def free_mb(
    machine_mb: int | None,
    limit_mb: int | None,
    loaded_mb: int,
    loading_mb: int,
) -> int | None:
    """What a new model may take: the machine's free memory (which already holds the
    models loaded) less what loads under way will take, and no more than the configured
    limit less every model's estimate. None: nothing known, nothing to refuse on."""
    candidates = []
    if machine_mb is not None:
        candidates.append(machine_mb - loading_mb)
    if limit_mb is not None:
        candidates.append(limit_mb - loaded_mb - loading_mb)
    return min(candidates) if candidates else None
