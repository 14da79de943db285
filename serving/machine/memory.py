"""The memory this process (and the children it starts) may still take: the least of what
the kernel can hand out (``MemAvailable``) and the room left under every memory limit on
this process's cgroup and its ancestors (a container's)."""

from __future__ import annotations

from pathlib import Path

from serving.machine import cgroups
from serving.machine.cgroups import ancestors, cgroup_paths, read_or_empty

MIB = 1024 * 1024
# cgroup v1 writes "no limit" as a huge number (PAGE_COUNTER_MAX pages).
_NO_LIMIT = 1 << 60

_MEMINFO = Path("/proc/meminfo")


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
        unified, memory = cgroup_paths(cgroups.PROC_CGROUP.read_text(), "memory")
    except OSError:
        return []
    files = []
    if unified is not None:
        files += [
            (d / "memory.max", d / "memory.current", d / "memory.stat")
            for d in ancestors(cgroups.CGROUP_ROOT, unified)
        ]
    if memory is not None:
        files += [
            (d / "memory.limit_in_bytes", d / "memory.usage_in_bytes", d / "memory.stat")
            for d in ancestors(cgroups.CGROUP_ROOT / "memory", memory)
        ]
    rooms = []
    for limit, usage, stat in files:
        try:
            room = room_mb(limit.read_text(), usage.read_text(), read_or_empty(stat))
        except OSError:
            continue
        if room is not None:
            rooms.append(room)
    return rooms


def machine_free_mb() -> int | None:
    """What this machine (or container) can give a new process now, in MiB; None when
    the kernel does not say."""
    try:
        available = meminfo_available_mb(_MEMINFO.read_text())
    except OSError:
        available = None
    known = [room for room in [available, *_cgroup_rooms()] if room is not None]
    return min(known) if known else None
