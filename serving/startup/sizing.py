"""How many cores the server may use, and how many intra-op threads each worker gets,
so that workers never oversubscribe the CPU."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

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
    """Cores shared evenly among all workers of all models, at least one each, after
    ``reserved`` cores are left to the engine's own frontend (TorchServe keeps one:
    HTTP, queueing, the codecs' copies), but never all of them.

    Measured on 2 cores (serving bench, digits MLP, batch size 1, concurrency 8): two
    intra-op threads in the one worker served 460-550 req/s, one thread 690-820 req/s,
    because OpenMP threads spin on the core the frontend needs.

    >>> threads_per_worker(16, 3, reserved=1)
    5
    """
    usable = cpus - reserved if cpus > reserved else 1
    return max(1, usable // max(1, workers))


def thread_environment(environ: Mapping[str, str], threads: int) -> dict[str, str]:
    """OMP/MKL thread variables for the workers, unless the user already set them.

    They must be in the environment before a worker imports torch, which an engine's
    worker may do before the model loads; ``torch.set_num_threads`` in the loader then
    makes sure of it."""
    return {
        name: environ.get(name) or str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
