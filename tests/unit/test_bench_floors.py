"""The in-process floors' timer, and the device a bench plan serves on."""

from __future__ import annotations

from pathlib import Path

from serving.bench.floors import time_calls
from serving.bench.runner import BenchPlan, variant_config


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
