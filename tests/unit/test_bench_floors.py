"""The in-process floors' timers, and the device, workers and variants a bench plan serves."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from torch._C._autograd import DeviceType

from serving.config.sizing import default_workers
from serving.machine.processors import available_cpus
from serving_lab.bench.cli import add_bench_arguments
from serving_lab.bench.floors import device_busy_us, time_calls
from serving_lab.bench.plan import (
    BenchPlan,
    Variant,
    described_settings,
    parse_variant,
    variant_config,
    workers_of,
)


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


def test_with_no_settings_the_bench_serves_what_a_user_gets(tmp_path: Path) -> None:
    # The server's defaults: workers sized by serve, its batch size and delay.
    plain = BenchPlan(model_dir=tmp_path, sample=tmp_path, content_type="x", out=tmp_path)
    config = variant_config(replace(plain, device="cpu"), "eager", 8080, tmp_path)
    assert "workers" not in config["server"]
    assert not {"batch_size", "max_batch_delay_ms"} & set(config["models"][0])
    assert workers_of(replace(plain, device="cpu")) == default_workers(
        available_cpus(), 0, models=1
    )
    said = described_settings(replace(plain, device="cpu"))
    assert said["batch_size"] == said["max_batch_delay_ms"] == "server default"
    assert said["workers"] == f"server default (sized: {workers_of(replace(plain, device='cpu'))})"


def test_the_bench_serves_the_settings_it_is_given(tmp_path: Path) -> None:
    plain = BenchPlan(model_dir=tmp_path, sample=tmp_path, content_type="x", out=tmp_path)
    given = replace(plain, workers=1, batch_size=8, max_batch_delay_ms=2)
    config = variant_config(given, "eager", 8080, tmp_path)
    assert config["server"]["workers"] == 1 and workers_of(given) == 1
    assert (config["models"][0]["batch_size"], config["models"][0]["max_batch_delay_ms"]) == (8, 2)
    assert described_settings(given) == {
        "workers": "1",
        "batch_size": "8",
        "max_batch_delay_ms": "2",
    }


def test_bench_flags_default_to_the_servers_settings() -> None:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    required = ["--sample", "s", "--content-type", "x"]
    plain = parser.parse_args(required)
    assert plain.workers is plain.batch_size is plain.max_batch_delay_ms is None
    assert parser.parse_args([*required, "--workers", "3"]).workers == 3
    assert parser.parse_args([*required, "--workers", "auto"]).workers is None
    assert parser.parse_args([*required, "--batch-size", "8"]).batch_size == 8
    with pytest.raises(SystemExit):
        parser.parse_args([*required, "--workers", "0"])


@dataclass
class FakeRange:
    start_us: float
    end_us: float

    def elapsed_us(self) -> float:
        return self.end_us - self.start_us


@dataclass
class FakeEvent:
    """The two attributes of torch's FunctionEvent that device_busy_us reads."""

    device_type: DeviceType
    time_range: FakeRange


def test_device_busy_time_counts_the_gpu_events_only() -> None:
    events = [
        FakeEvent(DeviceType.CPU, FakeRange(0, 900)),  # the host op that launched them
        FakeEvent(DeviceType.CUDA, FakeRange(100, 140)),  # a kernel
        FakeEvent(DeviceType.CUDA, FakeRange(300, 310)),  # a copy, after a launch gap
    ]
    assert device_busy_us(events) == 50
    assert device_busy_us([]) == 0


def test_a_variant_can_name_its_dtype_and_compile_mode(tmp_path: Path) -> None:
    assert parse_variant("eager", "float32") == Variant("eager", "float32", None)
    assert parse_variant("compiled:bfloat16", "float32") == Variant("compiled", "bfloat16")
    with pytest.raises(SystemExit, match="unknown variant"):
        parse_variant("eager:float32:max-autotune", "float32")  # a mode compiles
    plan = BenchPlan(
        model_dir=tmp_path,
        sample=tmp_path / "s.npy",
        content_type="x",
        out=tmp_path / "out",
        warmup_shape=(4,),
        compile_mode="max-autotune",
        compile_batch_sizes=(1, 32),
    )
    [named] = variant_config(plan, "compiled:bfloat16:reduce-overhead", 8080, tmp_path)["models"]
    assert named["dtype"] == "bfloat16"
    assert named["compile"]["mode"] == "reduce-overhead"
    assert named["compile"]["batch_sizes"] == [1, 32]
    assert named["compile"]["cache_dir"] == str(tmp_path / "out" / "inductor-cache")
    given = replace(plan, cache_dir=tmp_path / "cache", compile_batch_sizes=())
    [unnamed] = variant_config(given, "compiled", 8080, tmp_path)["models"]
    assert unnamed["compile"]["mode"] == "max-autotune"  # the plan's, for variants naming none
    assert "batch_sizes" not in unnamed["compile"]  # left to the model's batch size
    assert unnamed["compile"]["cache_dir"] == str(tmp_path / "cache")


def test_bench_flags_for_compile_sizes_and_a_kept_cache(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    required = ["--sample", "s", "--content-type", "x"]
    args = parser.parse_args([*required, "--compile-batch-sizes", "1,32", "--cache-dir", "c"])
    assert args.compile_batch_sizes == (1, 32)
    assert args.cache_dir == Path("c")
    defaults = parser.parse_args(required)
    assert (defaults.compile_batch_sizes, defaults.cache_dir) == ((), None)
