"""`serving tune` end to end, short: it stays within its budget, runs its cells through
real servers and writes what it says it writes. It proves the harness, never speed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from serving.config.layering import build_config
from tests.integration.conftest import DIGITS, SAMPLES

pytestmark = pytest.mark.integration

BUDGET_S = 60


def test_a_short_tune_stays_within_its_budget_and_writes_its_outputs(
    tmp_path: Path, digits_weights: Path
) -> None:
    out = tmp_path / "tune"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "serving", "tune", str(DIGITS), "--entry", "plain.py"]
        + ["--sample", str(SAMPLES / "seven.npy"), "--budget-min", str(BUDGET_S / 60)]
        + ["--duration", "0.3", "--warmup", "0.2", "--repeats", "1", "--final-repeats", "2"]
        + ["--concurrency", "4", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=BUDGET_S + 240,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = json.loads((out / "cells.json").read_text())
    # Its own clock and ours: a cell starts only if it fits, so the overrun is at most
    # one estimate's error (a start slower than the ones seen before it).
    assert table["elapsed_s"] <= BUDGET_S + 30, table["elapsed_s"]
    assert elapsed <= BUDGET_S + 60, elapsed
    cells = table["cells"]
    assert cells[0]["cell"] == "default" and len(cells) >= 2  # defaults, then others
    assert all(row["errors"] == 0 and row["rps_median"] > 0 for row in cells)
    assert sum(row["winner"] for row in cells) == 1
    # What did not fit is said, not silently dropped: compile needs a warm-up shape.
    assert {"cell": "compiled", "reason": "no --warmup-shape: compile needs one"} in table[
        "skipped"
    ]
    # Progress was shown while it ran, one line per cell.
    assert done.stdout.count(" req/s  p50 ") >= len(cells)
    winner = next(row for row in cells if row["winner"])
    if winner["cell"] != "default":
        written = (out / "serving.yaml").read_text()
        config = build_config(yaml.safe_load(written), "tuned", server_layers=[], model_layers=[])
        model = config.models[0]
        if winner["batch_size"] is None:  # the runtime's batching: the YAML leaves it unset
            assert "batch_size" not in model.model_fields_set
        else:
            assert model.batch_size == winner["batch_size"]
        assert "x throughput, paired range" in table["verdict"]
    assert (out / "tune.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "report.md").read_text().startswith("# serving tune: digits")
