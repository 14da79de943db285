"""Whether a model fits in memory, decided before it loads.

A multi-model endpoint answers 507 when a model would not fit, so that SageMaker
unloads an idle model and tries again, rather than the kernel's OOM killer choosing a
worker to end. The need is an estimate made before anything is imported: each worker
takes its interpreter, torch and the runtime, plus the model's weights (their size on
disk). What is free is the least of what the kernel can hand out (``MemAvailable``),
the room left under every memory limit on this process's cgroup and its ancestors (a
container's), and, when ``server.memory_limit_mb`` is set, that limit less what the
models already loaded were estimated to take.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from serving.startup.sizing import ancestors, cgroup_paths

MIB = 1024 * 1024
# One worker before its model: measured on TorchServe 0.12 workers with torch imported
# (about 220 MB resident each; ../shared/research/torchserve.md).
WORKER_BASE_MB = 220
# cgroup v1 writes "no limit" as a huge number (PAGE_COUNTER_MAX pages).
_NO_LIMIT = 1 << 60

_PROC_CGROUP = Path("/proc/self/cgroup")
_CGROUP_ROOT = Path("/sys/fs/cgroup")
_MEMINFO = Path("/proc/meminfo")


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


def meminfo_available_mb(meminfo: str) -> int | None:
    """``MemAvailable`` from the text of ``/proc/meminfo``, in MiB.

    >>> meminfo_available_mb("MemTotal: 100 kB\\nMemAvailable:    2048 kB\\n")
    2
    """
    for line in meminfo.splitlines():
        key, _, value = line.partition(":")
        if key == "MemAvailable":
            return int(value.split()[0]) // 1024
    return None


def room_mb(limit: str, usage: str, stat: str = "") -> int | None:
    """What a cgroup's limit leaves above its usage, from its files' texts; None without
    a limit. The usage counts the page cache, which the kernel gives back under
    pressure (reading a model's weights fills it): its inactive part (``inactive_file``
    in ``memory.stat``; ``total_inactive_file`` in cgroup v1) counts as free, as the
    kubelet counts it.

    >>> room_mb("1073741824\\n", "536870912\\n"), room_mb("max\\n", "1\\n")
    (512, None)
    >>> room_mb("1073741824", "536870912", "anon 1\\ninactive_file 268435456\\n")
    768
    """
    limit, usage = limit.strip(), usage.strip()
    if not limit.isdigit() or not usage.isdigit() or int(limit) >= _NO_LIMIT:
        return None
    cache = 0
    for line in stat.splitlines():
        key, _, value = line.partition(" ")
        if key in ("inactive_file", "total_inactive_file") and value.strip().isdigit():
            cache = int(value)
    return max(0, int(limit) - max(0, int(usage) - cache)) // MIB


def _cgroup_rooms() -> list[int]:
    try:
        unified, memory = cgroup_paths(_PROC_CGROUP.read_text(), "memory")
    except OSError:
        return []
    files = []
    if unified is not None:
        files += [
            (d / "memory.max", d / "memory.current", d / "memory.stat")
            for d in ancestors(_CGROUP_ROOT, unified)
        ]
    if memory is not None:
        files += [
            (d / "memory.limit_in_bytes", d / "memory.usage_in_bytes", d / "memory.stat")
            for d in ancestors(_CGROUP_ROOT / "memory", memory)
        ]
    rooms = []
    for limit, usage, stat in files:
        try:
            room = room_mb(limit.read_text(), usage.read_text(), _read_or_empty(stat))
        except OSError:
            continue
        if room is not None:
            rooms.append(room)
    return rooms


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def machine_free_mb() -> int | None:
    """What this machine (or container) can give a new process now, in MiB; None when
    the kernel does not say."""
    try:
        available = meminfo_available_mb(_MEMINFO.read_text())
    except OSError:
        available = None
    known = [room for room in [available, *_cgroup_rooms()] if room is not None]
    return min(known) if known else None


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
