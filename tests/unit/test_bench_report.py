"""Bench summary and report: every number checked by value on a hand-built BenchReport."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from pathlib import Path
from typing import Literal

import pytest

from serving_lab.bench.report import markdown, results_json, write_all, write_json, write_plots
from serving_lab.bench.results import (
    SCHEMA_VERSION,
    BenchReport,
    Floor,
    LoadResult,
    LoadSpec,
    Percentiles,
    Start,
    VariantLoad,
)
from serving_lab.bench.summary import (
    Spread,
    client_cpu_us,
    describe,
    efficiency,
    level_text,
    median_and_spread,
    ratios,
    serving_overhead_us,
    shared_ceiling_rps,
    shared_efficiency,
    summarize_loads,
    time_split,
    verdict,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
URL = "http://127.0.0.1:8080/invocations"
CLOSED_1, CLOSED_8 = ("closed", 1, None), ("closed", 8, None)

# Per (variant, concurrency): throughput, p50 µs, p99 µs for repeats 0, 1, 2.
# compiled loses at concurrency 1 on every repeat (a small MLP); at 8 the paired ratios
# are 1.05, 0.91, 1.06: the range crosses 1.0, so no claim either way.
RUNS = {
    ("eager", 1): ([1000, 1100, 900], [800, 780, 820], [1500, 1400, 1600]),
    ("compiled", 1): ([800, 900, 850], [950, 900, 1000], [1800, 1700, 1900]),
    ("eager", 8): ([4000, 4400, 3600], [1900, 1800, 2000], [4000, 3800, 4200]),
    ("compiled", 8): ([4200, 4000, 3800], [1850, 1900, 1950], [3900, 4000, 4100]),
}


def spec(
    concurrency: int, mode: Literal["closed", "open"] = "closed", rate: float | None = None
) -> LoadSpec:
    # url, content_type, accept, mode, concurrency, rate_rps, duration_s, max_requests, warmup_s
    return LoadSpec(URL, "application/json", None, mode, concurrency, rate, 10.0, 100_000, 1.0)


def latency(p50: float, p99: float) -> Percentiles:
    return Percentiles(
        count=1000, p50=p50, p90=(p50 + p99) / 2, p99=p99, mean=p50, min=p50 / 2, max=p99 * 2
    )


def result(concurrency: int, throughput: float, p50: float, p99: float) -> LoadResult:
    ok, lat = int(throughput * 10), latency(p50, p99)
    # spec, sent, ok, errors, wall_s, throughput_rps, latency_us, client_cpu_s, client_bound
    return LoadResult(spec(concurrency), ok, ok, {}, 10.0, throughput, lat, 2.0, False)


def make_report() -> BenchReport:
    loads = []
    for concurrency in (1, 8):
        for repeat in range(3):
            for variant in ("eager", "compiled"):  # interleaved A B A B, as the runner does
                throughputs, p50s, p99s = RUNS[(variant, concurrency)]
                run = result(concurrency, throughputs[repeat], p50s[repeat], p99s[repeat])
                if (variant, concurrency, repeat) == ("compiled", 8, 1):
                    run = replace(run, sent=run.sent + 3, errors={"503": 3})
                if (variant, concurrency, repeat) == ("eager", 8, 2):
                    run = replace(run, client_bound=True)
                loads.append(VariantLoad(variant, repeat, run))
    floors = [
        Floor("forward", "eager", latency(300, 400), threads=1),
        Floor("handler", "eager", latency(500, 700), threads=1),
        Floor("handler", "eager", latency(450, 650), threads=4),  # ignored: not one thread
        Floor("forward", "compiled", Percentiles.of([]), threads=1),  # empty: NaN -> null
        Floor("handler", "compiled", latency(600, 900), threads=1),
    ]
    starts = [
        Start("eager", "none", 3.2, None, False),
        Start("compiled", "cold", 41.5, 35.25, False),
        Start("compiled", "warm", 9.8, 4.5, False),
    ]
    machine = {"cpu": "Test CPU 9000", "cores": 4, "torch": "2.13.0", "device": "cpu"}
    return BenchReport("mlp", machine, {"repeats": 3}, floors, starts, loads, ["synthetic"])


def test_median_and_spread() -> None:
    assert median_and_spread([3.0, 1.0, 2.0]) == Spread(2.0, 1.0, 3.0, 3)
    assert median_and_spread([3.0, 1.0, 2.0]).spread == 1.0
    assert median_and_spread([1.0, 2.0, 3.0, 4.0]).median == 2.5
    assert median_and_spread([2.0, math.nan, 4.0]) == Spread(3.0, 2.0, 4.0, 2)
    empty = median_and_spread([])
    assert empty.n == 0 and math.isnan(empty.median) and math.isnan(empty.spread)
    assert math.isnan(median_and_spread([0.0, 0.0]).spread)  # no fraction of zero


def test_verdict_claims_only_what_the_range_supports() -> None:
    assert verdict(Spread(0.82, 0.80, 0.94, 3)) == "slower"
    assert verdict(Spread(1.10, 1.05, 1.20, 3)) == "faster"
    assert verdict(Spread(1.00, 0.91, 1.06, 3)) == "no clear difference"
    assert verdict(Spread(1.03, 1.00, 1.06, 3)) == "no clear difference"  # touches 1.0
    assert verdict(Spread(1.03, 1.01, 1.06, 3), margin=0.02) == "no clear difference"
    assert verdict(Spread(0.5, 0.5, 0.5, 1)) == "not enough repeats"
    # latency: a ratio above 1 is the candidate being slower
    assert verdict(Spread(1.2, 1.19, 1.21, 3), higher_is_better=False) == "slower"


def test_load_summaries() -> None:
    by_key = {(s.variant, s.key): s for s in summarize_loads(make_report())}
    assert list(by_key) == [(v, k) for k in (CLOSED_1, CLOSED_8) for v in ("eager", "compiled")]
    eager_1 = by_key[("eager", CLOSED_1)]
    assert eager_1.repeats == 3
    assert eager_1.throughput_rps == Spread(1000.0, 900.0, 1100.0, 3)
    assert eager_1.throughput_rps.spread == pytest.approx(0.2)
    assert eager_1.p50_us == Spread(800.0, 780.0, 820.0, 3)
    assert eager_1.p99_us == Spread(1500.0, 1400.0, 1600.0, 3)
    assert (eager_1.errors, eager_1.client_bound) == ({}, False)
    compiled_8 = by_key[("compiled", CLOSED_8)]
    assert compiled_8.errors == {"503": 3} and compiled_8.error_total == 3
    assert compiled_8.sent == compiled_8.ok + 3
    assert by_key[("eager", CLOSED_8)].client_bound is True
    assert by_key[("compiled", CLOSED_8)].client_bound is False


def test_ratios_pair_repeat_i_with_repeat_i() -> None:
    found = {r.key: r for r in ratios(make_report(), "eager", "compiled")}
    one, eight = found[CLOSED_1], found[CLOSED_8]
    assert one.throughput_ratio == pytest.approx(850 / 1000)  # of the medians
    assert one.throughput_paired.min == pytest.approx(800 / 1000)
    assert one.throughput_paired.max == pytest.approx(850 / 900)
    assert one.throughput_paired.median == pytest.approx(900 / 1100)
    assert one.verdict == "slower"
    assert one.p99_ratio == pytest.approx(1800 / 1500)
    assert (one.p99_paired.min, one.p99_paired.max) == pytest.approx((1900 / 1600, 1700 / 1400))
    assert one.p99_verdict == "slower"
    assert eight.throughput_ratio == pytest.approx(1.0)
    assert (eight.throughput_paired.min, eight.throughput_paired.max) == pytest.approx(
        (4000 / 4400, 3800 / 3600)
    )
    assert eight.verdict == "no clear difference"


def test_pairing_follows_the_repeat_number_not_the_list_order() -> None:
    report = make_report()
    shuffled = replace(report, loads=random.Random(7).sample(report.loads, len(report.loads)))
    assert {r.key: r.throughput_paired for r in ratios(shuffled, "eager", "compiled")} == {
        r.key: r.throughput_paired for r in ratios(report, "eager", "compiled")
    }


def test_describe_says_slower_and_no_clear_difference() -> None:
    found = {r.key: r for r in ratios(make_report(), "eager", "compiled")}
    assert describe(found[CLOSED_1]) == (
        "At concurrency 1, compiled is slower than eager: 0.85× throughput, "
        "paired range 0.80–0.94× over 3 repeats."
    )
    assert describe(found[CLOSED_8]).startswith(
        "At concurrency 8, no clear difference between compiled and eager: 1.00×"
    )
    assert "faster" not in describe(found[CLOSED_8])


def test_describe_one_repeat_says_the_direction_but_claims_nothing() -> None:
    report = make_report()
    first = replace(report, loads=[load for load in report.loads if load.repeat == 0])
    one = {r.key: r for r in ratios(first, "eager", "compiled")}[CLOSED_1]
    assert one.verdict == "not enough repeats"
    assert describe(one) == (
        "At concurrency 1, compiled measured slower than eager in the one paired repeat "
        "(0.80×), too few to tell from noise."
    )


def test_overhead_and_efficiency() -> None:
    report = make_report()
    assert serving_overhead_us(report, "eager") == 800 - 500  # the one-thread handler floor
    assert serving_overhead_us(report, "compiled") == 950 - 600
    assert serving_overhead_us(report, "url") is None
    # ceiling = 4 cores * 1e6 / 500 µs = 8000 req/s
    assert efficiency(report, "eager", 4) == {CLOSED_1: 1000 / 8000, CLOSED_8: 4000 / 8000}
    assert efficiency(report, "compiled", 2)[CLOSED_8] == pytest.approx(4000 / (2e6 / 600))
    assert efficiency(report, "url", 4) == {}


def test_the_ceiling_shared_with_the_client() -> None:
    report = make_report()
    # 2.0 s of client CPU per 10-s run: eager at 8 answered 40,000, 44,000 and 36,000
    # requests (50, 45.5 and 55.6 µs each), at 1 answered 10,000, 11,000 and 9,000.
    assert client_cpu_us(report, "eager") == {CLOSED_1: 200.0, CLOSED_8: 50.0}
    # Four cores share a 500-µs handler and the client's 50 µs: 4e6 / 550 req/s, below
    # the four handlers' 8,000 alone; with one handler, that one is the limit.
    assert shared_ceiling_rps(500.0, 50.0, usable_cores=4, machine_cores=4) == 4e6 / 550
    assert shared_ceiling_rps(500.0, 50.0, usable_cores=1, machine_cores=4) == 1e6 / 500
    shared = shared_efficiency(report, "eager", 4, 4)
    assert shared[CLOSED_8] == (4e6 / 550, 4000 / (4e6 / 550))
    assert shared[CLOSED_1] == (4e6 / 700, 1000 / (4e6 / 700))
    assert shared_efficiency(report, "url", 4, 4) == {}
    levels = results_json(report, usable_cores=4)["summary"]["efficiency"]["eager"]["levels"]
    assert levels[1]["shared_ceiling_rps"] == pytest.approx(4e6 / 550)
    assert levels[1]["shared_fraction"] == pytest.approx(4000 / (4e6 / 550))
    text = markdown(report, usable_cores=4)
    assert "with the load client's own CPU on the same 4 core(s)" in text
    assert "55% of 7,273 req/s at concurrency 8 (50 µs of client CPU per request)" in text


def test_open_loop_levels_are_rates() -> None:
    key = ("open", 64, 250.0)
    assert level_text(key) == "250 req/s offered"
    run = replace(result(64, 240.0, 900, 2000), spec=spec(64, "open", 250.0))
    report = BenchReport("mlp", {}, {}, loads=[VariantLoad("eager", 0, run)])
    assert [s.key for s in summarize_loads(report)] == [key]


def test_results_json(tmp_path: Path) -> None:
    path = write_json(make_report(), tmp_path / "results.json")

    def no_nan(name: str) -> None:
        raise AssertionError(f"{name} in results.json")

    doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_nan)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert set(doc) == {
        "schema_version",
        "model",
        "machine",
        "config",
        "floors",
        "starts",
        "loads",
        "notes",
        "summary",
    }
    summary = doc["summary"]
    assert set(summary) == {
        "pair",
        "usable_cores",
        "loads",
        "ratios",
        "overhead_us",
        "time_split_us",
        "efficiency",
    }
    assert summary["pair"] == {"baseline": "eager", "candidate": "compiled"}
    assert summary["usable_cores"] == 4  # machine "cores"
    assert doc["floors"][3]["latency_us"]["p50"] is None  # NaN written as null
    first = summary["loads"][0]
    assert (first["variant"], first["mode"], first["concurrency"]) == ("eager", "closed", 1)
    assert first["throughput_rps"] == {
        "median": 1000.0,
        "min": 900.0,
        "max": 1100.0,
        "n": 3,
        "spread": pytest.approx(0.2),
    }
    assert [r["verdict"] for r in summary["ratios"]] == ["slower", "no clear difference"]
    assert summary["ratios"][0]["throughput_paired"]["min"] == pytest.approx(0.8)
    assert summary["overhead_us"] == {"eager": 300.0, "compiled": 350.0}
    assert summary["efficiency"]["eager"]["ceiling_rps"] == 8000.0
    assert [lv["fraction"] for lv in summary["efficiency"]["eager"]["levels"]] == [0.125, 0.5]


def test_results_json_pair_and_cores_can_be_given() -> None:
    doc = results_json(make_report(), pair=("compiled", "eager"), usable_cores=8)
    assert doc["summary"]["usable_cores"] == 8
    assert doc["summary"]["ratios"][0]["verdict"] == "faster"  # eager beats compiled at 1


def test_markdown_has_the_tables_and_says_slower() -> None:
    text = markdown(make_report())
    assert "Machine: cpu Test CPU 9000, 4 cores, torch 2.13.0, device cpu" in text
    assert "| variant | floor | threads | n | p50 µs | p99 µs |" in text
    assert "| eager | handler | 1 | 1000 | 500 | 700 |" in text
    assert "| compiled | forward | 1 | 0 | – | – |" in text
    assert "| variant | cache | start s | compile s | fallback |" in text
    assert "| compiled | cold | 41.5 | 35.2 | no |" in text
    assert "## Load: eager" in text and "## Load: compiled" in text
    assert "| concurrency 1 | 3 | 1,000 [900–1,100] | 20% | 0.80 | 1.15 | 1.50 | 0 | no |" in text
    assert (
        "| concurrency 8 | 3 | 4,000 [3,600–4,400] | 20% | 1.90 | 2.95 | 4.00 | 0 | **yes** |"
        in text
    )
    assert "503: 3" in text
    assert "## compiled / eager" in text
    assert "| concurrency 1 | 0.85 | 0.80–0.94 | slower | 1.20 | 1.19–1.21 | slower | no |" in text
    assert "| concurrency 8 | 1.00 | 0.91–1.06 | no clear difference |" in text
    assert text.count("| **yes** |") == 2  # eager's load row and the ratio row at 8
    assert "compiled is slower than eager" in text
    assert "eager: serving overhead 300 µs per request" in text
    assert (
        "50% at concurrency 8 of the in-process ceiling, 8,000 req/s = 4 parallel handler(s)"
        in text
    )


def test_plots_are_png_files(tmp_path: Path) -> None:
    paths = write_plots(make_report(), tmp_path)
    assert [p.name for p in paths] == ["throughput.png", "latency.png", "ratio.png"]
    for path in paths:
        data = path.read_bytes()
        assert data[:8] == PNG_SIGNATURE
        assert len(data) > 10_000, path.name


def test_write_all(tmp_path: Path) -> None:
    written = write_all(make_report(), tmp_path / "out")
    assert set(written) == {
        "results.json",
        "report.md",
        "throughput.png",
        "latency.png",
        "ratio.png",
    }
    assert all(p.parent == tmp_path / "out" and p.stat().st_size > 0 for p in written.values())
    assert "slower" in written["report.md"].read_text(encoding="utf-8")


def test_streamed_answers_get_their_first_and_last_part_table() -> None:
    report = make_report()
    assert "Streamed answers" not in markdown(report)  # whole answers: no such table
    streamed = [
        replace(load, result=replace(load.result, first_part_us=latency(200, 400)))
        for load in report.loads
        if load.variant == "eager"
    ]
    text = markdown(replace(report, loads=streamed))
    assert "## Streamed answers: first part and last part (ms)" in text
    assert "| variant | level | first p50 | first p99 | last p50 | last p99 |" in text
    # The first part's median across repeats, then the last part's (the load latency).
    assert "| eager | concurrency 1 | 0.20 | 0.40 | 0.80 | 1.50 |" in text


def test_a_gpu_run_splits_one_request_from_the_device_outwards() -> None:
    report = make_report()
    report.floors.append(Floor("device", "eager", latency(120, 150), threads=1))
    # server p50 at concurrency 1: the median of the repeats' p50s (800, 780, 820); the
    # handler: the one-thread floor, as for the overhead line (not the 4-thread 450)
    split = time_split(report, "eager")
    assert split == {"device": 120, "forward": 300, "handler": 500, "server": 800}
    assert time_split(report, "compiled") is None  # no device floor: a CPU run
    text = markdown(report)
    assert "## Where one request's time goes (p50, µs)" in text
    assert "| eager | 120 | 300 | 500 | 800 | 15% |" in text
    assert results_json(report)["summary"]["time_split_us"] == {"eager": split}


def test_a_cpu_run_has_no_time_split() -> None:
    report = make_report()
    assert "Where one request's time goes" not in markdown(report)
    assert results_json(report)["summary"]["time_split_us"] == {}
