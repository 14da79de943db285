"""Threads per worker: cores shared evenly, the user's own setting respected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serving.startup import sizing
from serving.startup.sizing import cpus_within, thread_environment, threads_per_worker


@pytest.mark.parametrize(
    ("cpus", "workers", "threads"),
    [(1, 1, 1), (2, 1, 1), (2, 2, 1), (2, 4, 1), (4, 1, 3), (64, 4, 15), (16, 3, 5)],
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


def test_available_cpus_reads_cgroup_v2_then_v1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    affinity = len(os.sched_getaffinity(0))
    v2, quota, period = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(sizing, "_CPU_MAX", v2)
    monkeypatch.setattr(sizing, "_CFS_QUOTA", quota)
    monkeypatch.setattr(sizing, "_CFS_PERIOD", period)
    assert sizing.available_cpus() == affinity  # neither file: the affinity
    quota.write_text("100000\n")
    period.write_text("100000\n")
    assert sizing.available_cpus() == 1  # cgroup v1: one core
    v2.write_text("max 100000\n")
    assert sizing.available_cpus() == affinity  # cgroup v2 says unlimited: it wins
    v2.write_text("100000 100000\n")
    assert sizing.available_cpus() == 1
