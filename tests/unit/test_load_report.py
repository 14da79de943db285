"""Load reports: written whole by a worker, read in order, and when to give up on a model."""

from __future__ import annotations

import os
from pathlib import Path

from serving.load_report import (
    CompileOutcome,
    LoadReport,
    gave_up,
    read_load_reports,
    write_load_report,
)


def ok(model: str) -> LoadReport:
    return LoadReport(model, "cpu", 0.5)


def failed(model: str, error: str = "RuntimeError: x") -> LoadReport:
    return LoadReport(model, "cpu", 0.5, error=error)


def test_a_model_is_given_up_after_its_attempts_fail_in_a_row() -> None:
    assert gave_up([failed("a"), failed("a")], {"a": 3}) is None
    last = failed("a", "ValueError: third")
    assert gave_up([failed("a"), failed("a"), last], {"a": 3}) == ("a", last)
    assert gave_up([failed("a")], {"a": 1}) == ("a", failed("a"))


def test_a_success_starts_the_count_again() -> None:
    reports = [failed("a"), failed("a"), ok("a"), failed("a"), failed("a")]
    assert gave_up(reports, {"a": 3}) is None
    assert gave_up([*reports, failed("a")], {"a": 3}) is not None


def test_models_are_counted_apart_each_with_its_own_attempts() -> None:
    reports = [failed("a"), failed("b"), failed("a"), ok("b"), failed("b")]
    assert gave_up(reports, {"a": 3, "b": 1}) == ("b", failed("b"))
    assert gave_up(reports, {"a": 2, "b": 5}) == ("a", failed("a"))
    assert gave_up(reports, {"b": 5}) is None  # a model not asked about is not counted
    assert gave_up([], {"a": 1}) is None


def test_reports_round_trip_in_the_order_written(tmp_path: Path) -> None:
    written = [
        LoadReport("a", "cuda:1", 12.5, CompileOutcome(True, 10.25)),
        failed("a", "ModelLoadError: no weights"),
        LoadReport("b", "cpu", 0.5, CompileOutcome(False, 1.0, "torch.compile failed: X")),
    ]
    for report in written:
        write_load_report(report, tmp_path / "r")
    assert read_load_reports(tmp_path / "r") == written
    pid = os.getpid()
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        f"a-{pid}-0.json",
        f"a-{pid}-1.json",
        f"b-{pid}-0.json",
    ]


def test_no_directory_yet_is_no_reports(tmp_path: Path) -> None:
    assert read_load_reports(tmp_path / "not-yet") == []
