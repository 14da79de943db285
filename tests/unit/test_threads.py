"""Threads per worker: cores shared evenly, the user's own setting respected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serving.config.sizing import thread_environment, threads_per_worker
from serving.machine import cgroups, processors
from serving.machine.processors import cpus_within


@pytest.mark.parametrize(
    ("cpus", "workers", "threads"),
    [
        (1, 1, 1),
        (2, 1, 1),  # a lone worker leaves the frontend its core
        (4, 1, 3),
        (2, 2, 1),  # several share every core with it
        (2, 4, 1),
        (8, 4, 2),
        (64, 4, 16),
        (16, 3, 5),
    ],
)
def test_threads_per_worker_with_a_core_for_the_frontend(
    cpus: int, workers: int, threads: int
) -> None:
    assert threads_per_worker(cpus, workers, reserved=1) == threads


@pytest.mark.parametrize(
    ("cpus", "workers", "threads"), [(1, 1, 1), (2, 1, 2), (4, 3, 1), (16, 3, 5), (2, 8, 1)]
)
def test_threads_per_worker_with_nothing_reserved(cpus: int, workers: int, threads: int) -> None:
    assert threads_per_worker(cpus, workers) == threads


def test_thread_environment_keeps_what_the_user_set() -> None:
    assert thread_environment({}, 4) == {"OMP_NUM_THREADS": "4", "MKL_NUM_THREADS": "4"}
    assert thread_environment({"OMP_NUM_THREADS": "1"}, 4)["OMP_NUM_THREADS"] == "1"


@pytest.mark.parametrize(
    ("affinity", "quota", "period", "cpus"),
    [
        (64, 200_000, 100_000, 2),  # docker run --cpus 2 on a 64-core host
        (64, 150_000, 100_000, 2),  # 1.5 cores: the second one partly
        (64, 50_000, 100_000, 1),  # half a core: still one
        (2, 800_000, 100_000, 2),  # the quota above what the process may run on
        (8, None, None, 8),  # no limit
        (8, -1, 100_000, 8),  # cgroup v1's "no limit"
    ],
)
def test_the_cores_are_the_affinity_capped_by_the_cgroup_quota(
    affinity: int, quota: int | None, period: int | None, cpus: int
) -> None:
    assert cpus_within(affinity, quota, period) == cpus


def test_cgroup_paths_come_from_proc_self_cgroup() -> None:
    text = "12:memory:/x\n4:cpu,cpuacct:/kubepods/pod1/ctr\n0::/kubepods/pod1/ctr\n"
    assert cgroups.cgroup_paths(text) == ("/kubepods/pod1/ctr", "/kubepods/pod1/ctr")
    assert cgroups.cgroup_paths("1:name=systemd:/\n") == (None, None)


def test_the_tightest_limit_on_the_cgroup_or_an_ancestor_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    affinity = len(os.sched_getaffinity(0))
    proc, root = tmp_path / "cgroup-of-self", tmp_path / "sys-fs-cgroup"
    monkeypatch.setattr(cgroups, "PROC_CGROUP", proc)
    monkeypatch.setattr(cgroups, "CGROUP_ROOT", root)
    assert processors.available_cpus() == affinity  # nothing to read: the affinity
    proc.write_text("0::/pod/ctr\n")
    (root / "pod" / "ctr").mkdir(parents=True)
    (root / "pod" / "ctr" / "cpu.max").write_text("max 100000\n")
    assert processors.available_cpus() == affinity  # no limit on the container itself
    (root / "pod" / "cpu.max").write_text("100000 100000\n")
    assert processors.available_cpus() == 1  # the pod's limit binds the container (v2)
    (root / "pod" / "cpu.max").unlink()
    proc.write_text("0::/\n4:cpu,cpuacct:/pod/ctr\n")
    v1 = root / "cpu,cpuacct" / "pod"
    v1.mkdir(parents=True)
    (v1 / "cpu.cfs_quota_us").write_text("50000\n")
    (v1 / "cpu.cfs_period_us").write_text("100000\n")
    assert processors.available_cpus() == 1  # half a core on the pod (v1): one
