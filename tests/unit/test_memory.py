"""What loading a model is estimated to take, and what is free, by value."""

from __future__ import annotations

from pathlib import Path

from serving.config import sizing
from serving.machine import memory

# -- memory ------------------------------------------------------------------------


def test_the_need_is_the_runtime_and_the_model_files_per_worker(tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "big.py").write_bytes(b"x" * 5 * memory.MIB)  # not weights
    (tmp_path / "weights").mkdir()
    (tmp_path / "weights" / "a.bin").write_bytes(b"x" * (3 * memory.MIB + 1))
    assert sizing.model_files_mb(tmp_path) == 4  # rounded up
    need = sizing.Need(workers=2, weights_mb=4)
    assert need.mb == 2 * (sizing.WORKER_BASE_MB + 4)
    assert "2 worker(s)" in need.explain()


def test_what_is_free_is_the_least_of_the_machine_and_the_limit() -> None:
    assert sizing.free_mb(None, None, 0, 0) is None
    assert sizing.free_mb(1000, None, 500, 100) == 900  # the machine already holds loaded
    assert sizing.free_mb(None, 1000, 500, 100) == 400
    assert sizing.free_mb(300, 1000, 500, 100) == 200


def test_cgroup_and_meminfo_texts() -> None:
    assert memory.meminfo_available_mb("MemTotal: 1 kB\nMemAvailable: 4096 kB\n") == 4
    assert memory.meminfo_available_mb("MemTotal: 1 kB\n") is None
    assert memory.room_mb(str(2 * memory.MIB), str(memory.MIB)) == 1
    assert memory.room_mb("max", "5") is None
    assert memory.room_mb(str(1 << 62), "5") is None  # cgroup v1's "no limit"
    assert memory.room_mb("100", "200") == 0
    # The page cache the kernel can take back counts as room.
    stat = f"anon 5\ninactive_file {3 * memory.MIB}\nactive_file 7\n"
    assert memory.room_mb(str(4 * memory.MIB), str(4 * memory.MIB), stat) == 3
    assert (
        memory.room_mb(
            str(4 * memory.MIB), str(memory.MIB), f"total_inactive_file {8 * memory.MIB}"
        )
        == 4
    )
