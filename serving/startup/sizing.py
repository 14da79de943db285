"""How many cores the server may use, and how many intra-op threads each worker gets,
so that workers never oversubscribe the CPU."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from serving.startup.config import Config

# Where the kernel shows this process's cgroups, and where their files are.
_PROC_CGROUP = Path("/proc/self/cgroup")
_CGROUP_ROOT = Path("/sys/fs/cgroup")


def cgroup_paths(proc_cgroup: str, controller: str = "cpu") -> tuple[str | None, str | None]:
    """This process's cgroup v2 path and cgroup v1 path for ``controller``, from the
    text of ``/proc/self/cgroup`` (``0::/a/b``; ``4:cpu,cpuacct:/a/b``); None where absent.

    >>> cgroup_paths("0::/kubepods/pod1\\n")
    ('/kubepods/pod1', None)
    """
    unified, cpu = None, None
    for line in proc_cgroup.splitlines():
        number, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if number == "0" and controllers == "":
            unified = path
        elif controller in controllers.split(","):
            cpu = path
    return unified, cpu


def ancestors(root: Path, path: str) -> list[Path]:
    """``root/path`` and each directory above it up to ``root``, leaf first."""
    parts = [part for part in path.split("/") if part and part != ".."]
    return [root.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def _quotas() -> list[tuple[int, int]]:
    """(quota, period) of every CPU limit on this process's cgroup and its ancestors: a
    limit set on a parent (a Kubernetes pod, a systemd slice) binds its children too."""
    try:
        unified, cpu = cgroup_paths(_PROC_CGROUP.read_text())
    except OSError:
        return []
    found: list[tuple[int, int]] = []
    for directory in ancestors(_CGROUP_ROOT, unified) if unified is not None else []:
        try:
            limit, period = ((directory / "cpu.max").read_text().split() + ["100000"])[:2]
        except OSError:
            continue
        if limit != "max" and limit.isdigit() and period.isdigit():
            found.append((int(limit), int(period)))
    for controller in ("cpu", "cpu,cpuacct"):
        for directory in ancestors(_CGROUP_ROOT / controller, cpu) if cpu is not None else []:
            try:
                quota_us = int((directory / "cpu.cfs_quota_us").read_text())
                period_us = int((directory / "cpu.cfs_period_us").read_text())
            except (OSError, ValueError):
                continue
            found.append((quota_us, period_us))
    return found


def cpus_within(affinity: int, quota_us: int | None, period_us: int | None) -> int:
    """The cores a process may keep busy: those it may run on (its affinity), capped by
    its cgroup's CPU quota (``docker run --cpus``, a Kubernetes limit, SageMaker's
    instance share), rounded up, at least one. No quota (None, or -1): the affinity.

    >>> cpus_within(64, 200_000, 100_000)
    2
    >>> cpus_within(4, None, None)
    4
    """
    if quota_us is None or period_us is None or quota_us <= 0 or period_us <= 0:
        return max(1, affinity)
    return max(1, min(affinity, math.ceil(quota_us / period_us)))


def available_cpus() -> int:
    """:func:`cpus_within` for this process, read from the kernel (the edge): the
    tightest CPU limit on its cgroup or any ancestor, v2 or v1."""
    affinity = len(os.sched_getaffinity(0))
    return min(
        [cpus_within(affinity, quota, period) for quota, period in _quotas()]
        + [cpus_within(affinity, None, None)]
    )


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


def visible_gpus(driver_entries: int, cuda_visible_devices: str | None) -> int:
    """The GPUs a worker can use: those the NVIDIA driver shows this container
    (``/proc/driver/nvidia/gpus``), narrowed by ``CUDA_VISIBLE_DEVICES`` when it is set
    (a list of indices or UUIDs; empty, or starting with -1, hides them all).

    >>> visible_gpus(8, "0,1")
    2
    >>> visible_gpus(0, None)
    0
    """
    if cuda_visible_devices is None:
        return driver_entries
    listed = []
    for entry in cuda_visible_devices.split(","):
        entry = entry.strip()
        if not entry or entry.startswith("-"):
            break  # CUDA stops at the first invalid entry
        listed.append(entry)
    return min(driver_entries, len(listed))


def gpu_count(environ: Mapping[str, str], driver: Path = Path("/proc/driver/nvidia/gpus")) -> int:
    """:func:`visible_gpus` for this machine (the edge), read without importing torch."""
    try:
        entries = sum(1 for _ in driver.iterdir())
    except OSError:
        entries = 0
    return visible_gpus(entries, environ.get("CUDA_VISIBLE_DEVICES"))


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
