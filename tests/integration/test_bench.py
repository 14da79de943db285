"""`serving bench` end to end, short: the report's shape and error counting, not speed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from serving import process
from serving.net import free_port, request
from tests.integration.conftest import DIGITS, SAMPLES, sagemaker_base
from tests.support.servers import group_alive, running

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n"


def bench(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "serving", "bench", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_bench_eager_against_compiled_writes_the_report(
    tmp_path: Path, digits_weights: Path
) -> None:
    out = tmp_path / "out"
    done = bench(
        "--model-dir",
        str(DIGITS),
        "--sample",
        str(SAMPLES / "seven.npy"),
        "--content-type",
        "application/x-npy",
        "--out",
        str(out),
        "--concurrency",
        "1,4",
        "--duration",
        "0.5",
        "--warmup",
        "0.2",
        "--repeats",
        "2",
        "--rate",
        "50",
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    assert results["schema_version"] == 1 and results["machine"]["torch"]
    floors = {(f["variant"], f["name"]) for f in results["floors"]}
    assert floors == {(v, n) for v in ("eager", "compiled") for n in ("forward", "handler")}
    starts = {(s["variant"], s["cache"]) for s in results["starts"]}
    assert {
        ("noop", "none"),
        ("eager", "none"),
        ("compiled", "cold"),
        ("compiled", "warm"),
    } <= starts
    assert all(s["compile_s"] for s in results["starts"] if s["variant"] == "compiled")
    # noop, eager, compiled x 2 repeats x (2 concurrencies + 1 open-loop rate)
    assert len(results["loads"]) == 3 * 2 * 3
    assert all(load["result"]["ok"] > 0 for load in results["loads"])
    assert all(sum(load["result"]["errors"].values()) == 0 for load in results["loads"])
    ratios = results["summary"]["ratios"]
    assert {r["concurrency"] for r in ratios if r["mode"] == "closed"} == {1, 4}
    assert all(r["verdict"] in ("faster", "slower", "no clear difference") for r in ratios)
    assert results["summary"]["overhead_us"]["eager"] > 0
    # No server flags: it measured the server as a user gets it, and says so.
    assert results["config"]["batch_size"] == "server default"
    assert results["config"]["workers"].startswith("server default (sized: ")
    report = (out / "report.md").read_text()
    assert "compiled / eager" in report and "In-process floors" in report
    assert "batch_size=server default" in report
    for plot in ("throughput.png", "latency.png", "ratio.png"):
        assert (out / plot).read_bytes()[:8] == PNG


def test_bench_url_counts_errors_by_status(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    port = free_port()
    env = {"SAGEMAKER_BASE_DIR": str(base), "SAGEMAKER_BIND_TO_PORT": str(port)}
    sample = tmp_path / "image.png"
    sample.write_bytes(b"not really a png")
    with running(
        ["serve"],
        env,
        port,
        tmp_path / "log",
        ready=lambda s: request(s.url + "/ping").status == 200,
    ) as server:
        out = tmp_path / "out"
        done = bench(
            "--url",
            server.url + "/invocations",
            "--sample",
            str(sample),
            "--content-type",
            "image/png",
            "--out",
            str(out),
            "--concurrency",
            "2",
            "--duration",
            "0.5",
            "--warmup",
            "0",
            "--repeats",
            "1",
        )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [load] = json.loads((out / "results.json").read_text())["loads"]
    result = load["result"]
    assert load["variant"] == "url" and result["ok"] == 0
    assert result["errors"] == {"415": result["sent"]} and result["sent"] > 0


def test_a_sample_the_loaded_model_rejects_stops_the_bench_at_once(
    tmp_path: Path, digits_weights: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a batch"}')
    done = bench(
        "--model-dir",
        str(DIGITS),
        "--sample",
        str(bad),
        "--content-type",
        "application/json",
        "--out",
        str(tmp_path / "out"),
        "--variants",
        "eager",
        "--no-noop",
        "--concurrency",
        "1",
        "--duration",
        "0.5",
        "--warmup",
        "0.2",
        "--repeats",
        "1",
        timeout=120,  # not the 600 s start-up timeout
    )
    assert done.returncode != 0
    assert "the server is ready but answers the sample with 400" in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_bench_stopped_midway_leaves_no_server_behind(
    tmp_path: Path, digits_weights: Path, signum: signal.Signals
) -> None:
    # `timeout` stops a bench with SIGTERM and a killed job gets SIGKILL: the bench runs no
    # cleanup then, and its servers (sessions of their own) must still go with it.
    log = tmp_path / "bench.log"
    command = [sys.executable, "-m", "serving", "bench", "--model-dir", str(DIGITS)]
    command += ["--sample", str(SAMPLES / "seven.npy"), "--content-type", "application/x-npy"]
    command += ["--out", str(tmp_path / "out"), "--variants", "eager", "--no-noop"]
    command += ["--concurrency", "1", "--duration", "120", "--repeats", "1"]
    with open(log, "wb") as output:
        running_bench = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    groups: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while b"started eager" not in log.read_bytes():
            assert running_bench.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.25)
        # serve, and what it started (TorchServe, nginx): each leads a group of its own
        [serve] = [pid for pid in process.child_pids(running_bench.pid) if is_serve(pid)]
        groups = [serve, *process.child_pids(serve)]
        assert len(groups) == 3, groups
        running_bench.send_signal(signum)
        running_bench.wait(timeout=15)
        deadline = time.monotonic() + 30
        while any(map(group_alive, groups)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [group for group in groups if group_alive(group)], "a server outlived the bench"
    finally:
        if running_bench.poll() is None:
            running_bench.kill()
            running_bench.wait(timeout=15)
        for group in groups:
            process.kill_group(group)


def is_serve(pid: int) -> bool:
    try:
        return b"serving\0serve\0" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
