"""The in-process floors' timer, and the device and workers a bench plan serves with."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest

from serving.bench.cli import add_bench_arguments
from serving.bench.floors import time_calls
from serving.bench.runner import BenchPlan, variant_config, workers_of
from serving.startup.sizing import available_cpus, default_workers


def test_time_calls_waits_for_the_device_inside_every_timed_call() -> None:
    events: list[str] = []
    result = time_calls(
        lambda: events.append("call"),
        warmup=2,
        iterations=3,
        max_seconds=10,
        sync=lambda: events.append("sync"),
    )
    assert events == ["call", "call", "sync"] + ["call", "sync"] * 3
    assert result.count == 3


def test_bench_plan_device_reaches_the_served_config(tmp_path: Path) -> None:
    plan = BenchPlan(
        model_dir=tmp_path,
        sample=tmp_path / "s.npy",
        content_type="x",
        out=tmp_path,
        device="cuda",
        warmup_shape=(4,),
    )
    for variant in ("eager", "compiled"):
        [model] = variant_config(plan, variant, 8080, tmp_path)["models"]
        assert model["device"] == "cuda"
    default = BenchPlan(model_dir=tmp_path, sample=tmp_path, content_type="x", out=tmp_path)
    assert variant_config(default, "eager", 8080, tmp_path)["models"][0]["device"] == "auto"


def test_bench_workers_auto_leaves_them_to_serve(tmp_path: Path) -> None:
    given = BenchPlan(model_dir=tmp_path, sample=tmp_path, content_type="x", out=tmp_path)
    assert variant_config(given, "eager", 8080, tmp_path)["server"]["workers"] == 1
    assert workers_of(given) == 1
    auto = replace(given, workers=None, device="cpu")
    assert "workers" not in variant_config(auto, "eager", 8080, tmp_path)["server"]
    assert workers_of(auto) == default_workers(available_cpus(), 0, models=1)


def test_bench_workers_flag_takes_a_count_or_auto() -> None:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    required = ["--sample", "s", "--content-type", "x"]
    assert parser.parse_args(required).workers == 1
    assert parser.parse_args([*required, "--workers", "3"]).workers == 3
    assert parser.parse_args([*required, "--workers", "auto"]).workers is None
    with pytest.raises(SystemExit):
        parser.parse_args([*required, "--workers", "0"])
