"""`serving tune`'s pure parts by value: the cells it tries, how it picks, what it writes
(from a hand-made result: no server here), and its command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from serving.config.layering import build_config
from serving_lab.tune import cells as tc
from serving_lab.tune.cli import add_tune_arguments, fast_bfloat16, sample_type
from serving_lab.tune.report import markdown, verdict, write_all
from serving_lab.tune.runner import COMPILED_START_GUESS_S, TunePlan, Tuner, TuneResult


def measured(cell: tc.Cell, rps: float, p99: float, errors: int = 0) -> tc.Measured:
    return tc.Measured(cell, (rps * 0.9, rps, rps * 1.1), (p99, p99, p99), (p99 / 2,) * 3, errors)


def test_names_say_what_differs_from_the_defaults() -> None:
    assert tc.Cell().name == "default"
    assert tc.Cell(workers=2).name == "w2"
    assert tc.Cell(workers=2, batch_size=8, max_batch_delay_ms=1).name == "w2-b8d1"
    compiled = tc.Cell(batch_size=4, max_batch_delay_ms=2, compiled=True, dtype="bfloat16")
    assert compiled.name == "default-b4d2-compiled-bf16"


def test_stages_try_layouts_then_batching_then_compiling_around_the_leader() -> None:
    assert [c.workers for c in tc.layouts(2, sized=2)] == [None, 1]
    assert [c.workers for c in tc.layouts(64, sized=4)] == [None, 1, 2, 3, 5, 6, 7, 8]
    batched = tc.batchings(tc.Cell(workers=3))
    assert len(batched) == len(tc.BATCH_SIZES) * len(tc.BATCH_DELAYS_MS)
    assert {c.workers for c in batched} == {3} and {c.batch_size for c in batched} == {4, 8, 16}
    leader = tc.Cell(batch_size=8, max_batch_delay_ms=1)
    assert [c.name for c in tc.compilations(leader, bfloat16=False)] == ["default-b8d1-compiled"]
    assert [c.dtype for c in tc.compilations(leader, bfloat16=True)] == ["float32", "bfloat16"]
    # And on the best other layout: compiling may change which one wins.
    others = tc.compilations(leader, bfloat16=True, runner_up_workers=1)
    assert [c.name for c in others][-1] == "w1-b8d1-compiled-bf16"
    assert len(tc.compilations(leader, bfloat16=False, runner_up_workers=None)) == 1


def test_the_runner_up_layout_is_the_best_other_worker_count() -> None:
    leader = tc.Cell(batch_size=8, max_batch_delay_ms=1)
    results = [
        measured(tc.Cell(), 60, 100),
        measured(leader, 70, 100),
        measured(tc.Cell(workers=1), 30, 100),
        measured(tc.Cell(workers=3), 50, 100),
    ]
    assert tc.runner_up_workers(results, leader, "throughput", None) == 3
    assert tc.runner_up_workers(results[:2], leader, "throughput", None) == "none"


def test_best_by_throughput_within_the_p99_limit_and_without_errors() -> None:
    fast_but_slow_tail = measured(tc.Cell(workers=1), 900, p99=40)
    steady = measured(tc.Cell(workers=2), 700, p99=10)
    broken = measured(tc.Cell(workers=3), 2000, p99=5, errors=3)
    results = [fast_but_slow_tail, steady, broken]
    assert tc.best(results, "throughput") == fast_but_slow_tail
    assert tc.best(results, "throughput", p99_limit_ms=20) == steady
    assert tc.best(results, "latency") == steady
    assert tc.best(results, "throughput", p99_limit_ms=1) is None


def test_the_winning_yaml_is_a_valid_config_with_only_what_was_found() -> None:
    cell = tc.Cell(workers=2, batch_size=8, max_batch_delay_ms=1, compiled=True, dtype="bfloat16")
    document = tc.serving_yaml(cell, None, "plain.py", (2, 128), "int64")
    assert document == {
        "models": [
            {
                "name": "model",
                "entry": "plain.py",
                "workers": 2,
                "batch_size": 8,
                "max_batch_delay_ms": 1,
                "dtype": "bfloat16",
                "compile": {"enabled": True, "warmup": {"shape": [2, 128], "dtype": "int64"}},
            }
        ]
    }
    config = build_config(document, "serving.yaml", server_layers=[], model_layers=[])
    [model] = config.models
    assert (model.workers, model.batch_size, model.compile.enabled) == (2, 8, True)
    assert tc.serving_yaml(tc.Cell(), None, None, None, None) == {"models": [{"name": "model"}]}


def result_of(tmp_path: Path) -> tuple[TunePlan, TuneResult]:
    plan = TunePlan(
        model_dir=tmp_path / "digits",
        sample=tmp_path / "s.npy",
        content_type="x",
        out=tmp_path / "out",
    )
    default, winner = tc.Cell(), tc.Cell(batch_size=8, max_batch_delay_ms=1)
    result = TuneResult(
        measured=[measured(default, 500, 9.0), measured(winner, 800, 8.0)],
        skipped=[("default-b16d5", "budget: 30 s needed")],
        starts_s={default: 4.0, winner: 4.5},
        elapsed_s=80.0,
    )
    result.winner = result.measured[1]
    result.final_winner = tc.Measured(winner, (800.0, 900.0, 850.0), (8.0,) * 3, (4.0,) * 3)
    result.final_default = tc.Measured(default, (400.0, 500.0, 425.0), (9.0,) * 3, (4.0,) * 3)
    return plan, result


def test_a_cell_is_costed_by_the_slowest_start_seen_of_its_kind(tmp_path: Path) -> None:
    plan, _ = result_of(tmp_path)
    plan.sample.write_bytes(b"x")
    tuner = Tuner(plan, progress=lambda _: None, clock=lambda: 0.0, cpus=2)
    eager, compiled = tc.Cell(batch_size=8), tc.Cell(compiled=True)
    assert tuner.start_estimate(compiled) == COMPILED_START_GUESS_S  # none seen: a guess
    tuner.result.starts_s |= {tc.Cell(): 4.0, eager: 6.5, compiled: 41.0}
    assert (tuner.start_estimate(eager), tuner.start_estimate(compiled)) == (6.5, 41.0)


def test_the_verdict_is_the_ratio_of_the_interleaved_runs_with_its_spread(tmp_path: Path) -> None:
    _, result = result_of(tmp_path)
    text = verdict(result)
    # Medians 850 / 425 = 2.00; repeat by repeat 2.00, 1.80, 2.00.
    assert "2.00x throughput, paired range 1.80-2.00x over 3 interleaved repeats" in text
    assert text.startswith("default-b8d1: 850.0 req/s")


def test_write_all_writes_the_yaml_the_table_and_the_plot(tmp_path: Path) -> None:
    plan, result = result_of(tmp_path)
    plan.out.mkdir()
    written = write_all(plan, result)
    assert set(written) == {"config", "table", "report", "plot"}
    config = yaml.safe_load(written["config"].read_text())
    assert config == {"models": [{"name": "model", "batch_size": 8, "max_batch_delay_ms": 1}]}
    assert written["config"].read_text().startswith("# Written by `serving tune`: default-b8d1")
    table = json.loads(written["table"].read_text())
    assert [row["cell"] for row in table["cells"]] == ["default", "default-b8d1"]
    assert [row["winner"] for row in table["cells"]] == [False, True]
    # The default cell leaves batching to the runtime: nothing written, none claimed.
    assert tc.Cell().model_settings(None, None) == {}
    assert (table["cells"][0]["batch_size"], table["cells"][0]["max_batch_delay_ms"]) == (
        None,
        None,
    )
    assert "| default | sized | default | - | no |" in written["report"].read_text()
    assert table["skipped"] == [{"cell": "default-b16d5", "reason": "budget: 30 s needed"}]
    assert written["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = markdown(plan, result)
    assert "| **default-b8d1** | sized | 8 | 1 | no | float32 | 800.0 [720.0-880.0]" in report


def test_nothing_to_recommend_writes_no_yaml(tmp_path: Path) -> None:
    plan = TunePlan(model_dir=tmp_path, sample=tmp_path, content_type="x", out=tmp_path)
    written = write_all(plan, TuneResult(skipped=[("default", "did not start")]))
    assert "config" not in written and "plot" not in written
    assert "nothing to recommend" in written["report"].read_text()


def test_command_line() -> None:
    parser = argparse.ArgumentParser()
    add_tune_arguments(parser)
    args = parser.parse_args(["model", "--sample", "s.npy", "--objective", "latency"])
    assert (args.objective, args.budget_min, args.concurrency) == ("latency", 10.0, 8)
    with pytest.raises(SystemExit):
        parser.parse_args(["model", "--sample", "s.npy", "--objective", "cheapest"])
    assert sample_type(Path("a.CSV"), None) == "text/csv"
    assert sample_type(Path("a.bin"), "application/octet-stream") == "application/octet-stream"
    with pytest.raises(SystemExit):
        sample_type(Path("a.bin"), None)
    assert fast_bfloat16({"avx512f", "amx_bf16"}, cuda=False)
    assert not fast_bfloat16({"avx512f", "avx512_bf16"}, cuda=False)  # measured slower
    assert fast_bfloat16(set(), cuda=True)
