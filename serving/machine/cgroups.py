"""This process's cgroups: where the kernel lists them and where their files are. The CPU
limits (:mod:`serving.machine.processors`) and the memory limits
(:mod:`serving.machine.memory`) are read through these."""

from __future__ import annotations

from pathlib import Path

# Where the kernel shows this process's cgroups, and where their files are (module
# attributes, read at each call, so that tests can point them at a fake tree).
PROC_CGROUP = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")


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


def read_or_empty(path: Path) -> str:
    """The text of ``path``, or "" where it cannot be read (an optional cgroup file)."""
    try:
        return path.read_text()
    except OSError:
        return ""
