"""Workers sized from the machine when the config names none, tested by value with
made-up machines: cores, GPUs, memory and models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving.config.layering import build_config
from serving.config.schema import Config
from serving.config.sizing import MAX_DEFAULT_WORKERS, default_workers, sized
from serving.machine.processors import gpu_count, visible_gpus


def config_of(raw: dict[str, Any]) -> Config:
    return build_config(raw, "test.yaml", server_layers=[], model_layers=[])


@pytest.mark.parametrize(
    ("cpus", "gpus", "models", "workers"),
    [
        (1, 0, 1, 1),
        (2, 0, 1, 2),  # one per core: measured 1.5-1.9x one worker on 2 cores
        (3, 0, 1, 3),
        (4, 0, 1, 4),
        (96, 0, 1, MAX_DEFAULT_WORKERS),  # then more threads per worker, not more copies
        (8, 0, 2, 2),  # the models share them
        (2, 0, 3, 1),  # at least one each
        (8, 1, 1, 1),  # one per GPU
        (8, 4, 1, 4),
        (8, 4, 2, 2),
    ],
)
def test_default_workers(cpus: int, gpus: int, models: int, workers: int) -> None:
    assert default_workers(cpus, gpus, models) == workers


@pytest.mark.parametrize(
    ("room_mb", "worker_mb", "workers"),
    [(None, 500, 4), (10_000, 500, 4), (1_600, 500, 3), (900, 500, 1), (100, 500, 1)],
)
def test_default_workers_fit_in_memory(room_mb: int | None, worker_mb: int, workers: int) -> None:
    assert default_workers(16, 0, 1, room_mb, worker_mb) == workers


@pytest.mark.parametrize(
    ("entries", "visible", "gpus"),
    [
        (0, None, 0),
        (4, None, 4),
        (4, "0,2", 2),
        (4, "GPU-5c9a,GPU-77de", 2),
        (4, "", 0),
        (4, "-1", 0),
        (4, "1,-1,2", 1),  # CUDA stops at the first invalid index
        (1, "0,1,2", 1),  # no more than the driver shows
    ],
)
def test_visible_gpus(entries: int, visible: str | None, gpus: int) -> None:
    assert visible_gpus(entries, visible) == gpus


def test_gpu_count_reads_the_driver_directory(tmp_path: Path) -> None:
    driver = tmp_path / "gpus"
    assert gpu_count({}, driver) == 0  # no NVIDIA driver at all
    for bus in ("0000:17:00.0", "0000:65:00.0"):
        (driver / bus).mkdir(parents=True)
    assert gpu_count({}, driver) == 2
    assert gpu_count({"CUDA_VISIBLE_DEVICES": "1"}, driver) == 1


def test_sized_fills_in_only_what_is_unset() -> None:
    config = config_of(
        {
            "models": [
                {"name": "a", "model_dir": "/m/a"},
                {"name": "b", "model_dir": "/m/b", "workers": 3},
                {"name": "c", "model_dir": "/m/c", "max_workers": 1},
                {"name": "d", "model_dir": "/m/d", "device": "cpu"},
            ]
        }
    )
    result = sized(config, cpus=16, gpus=8, room_mb=None)
    # 8 GPUs shared by 4 models: 2 each; b keeps its 3, c its cap of 1, d runs on the CPU:
    # 4 workers (16 cores, at most 4) shared by 4 models.
    assert [result.workers_of(m) for m in result.models] == [2, 3, 1, 1]
    assert [m.workers for m in config.models] == [None, 3, None, None]  # config unchanged


def test_sized_keeps_the_servers_setting_and_caps_by_memory() -> None:
    both = {"models": [{"name": "a", "model_dir": "/m/a"}, {"name": "b", "model_dir": "/m/b"}]}
    assert [
        m.workers for m in sized(config_of({**both, "server": {"workers": 5}}), 64, 0).models
    ] == [
        5,
        5,
    ]
    # 2 GB free; a worker of "a" takes 220 + 700 MB, one of "b" 220 + 10 MB.
    result = sized(config_of(both), 64, 0, 2_000, {"a": 700, "b": 10}, worker_base_mb=220)
    assert [m.workers for m in result.models] == [1, 2]
