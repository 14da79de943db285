"""Threads per worker: cores shared evenly, the user's own setting respected."""

from __future__ import annotations

import pytest

from serving.startup.sizing import thread_environment, threads_per_worker


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
