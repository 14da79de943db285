"""The processors this process may use: CPU cores (its affinity under every cgroup CPU
limit) and NVIDIA GPUs (as the driver shows them, narrowed by ``CUDA_VISIBLE_DEVICES``),
read from the kernel without importing torch."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

from serving.machine import cgroups
from serving.machine.cgroups import ancestors, cgroup_paths


def _quotas() -> list[tuple[int, int]]:
    """(quota, period) of every CPU limit on this process's cgroup and its ancestors: a
    limit set on a parent (a Kubernetes pod, a systemd slice) binds its children too."""
    try:
        unified, cpu = cgroup_paths(cgroups.PROC_CGROUP.read_text())
    except OSError:
        return []
    found: list[tuple[int, int]] = []
    for directory in ancestors(cgroups.CGROUP_ROOT, unified) if unified is not None else []:
        try:
            limit, period = ((directory / "cpu.max").read_text().split() + ["100000"])[:2]
        except OSError:
            continue
        if limit != "max" and limit.isdigit() and period.isdigit():
            found.append((int(limit), int(period)))
    for controller in ("cpu", "cpu,cpuacct"):
        v1_root = cgroups.CGROUP_ROOT / controller
        for directory in ancestors(v1_root, cpu) if cpu is not None else []:
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
