"""Load reports: written whole by a worker, read in order."""

from __future__ import annotations

import os
from pathlib import Path

from serving.load_report import (
    CompileOutcome,
    LoadReport,
    read_load_reports,
    write_load_report,
)


def test_reports_round_trip_in_the_order_written(tmp_path: Path) -> None:
    written = [
        LoadReport("a", "cuda:1", 12.5, CompileOutcome(True, 10.25)),
        LoadReport("a", "cpu", 0.5, error="ModelLoadError: no weights"),
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
