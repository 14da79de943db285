"""Start-up, readiness, failure and shutdown of the `serve` process."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving import process
from serving.net import free_port, http_status, request
from tests.integration.conftest import DIGITS, MODELS, REPO, sagemaker_base
from tests.support.servers import Server, group_alive, ping_ok, running
from tests.support.wheels import make_wheel

pytestmark = pytest.mark.integration


def sagemaker_env(base: Path, port: int, **extra: str) -> dict[str, str]:
    return {"SAGEMAKER_BASE_DIR": str(base), "SAGEMAKER_BIND_TO_PORT": str(port), **extra}


@contextlib.contextmanager
def serving_digits(tmp_path: Path) -> Iterator[Server]:
    """The digits example under `serve`, ready; stopped (whatever happened) on exit."""
    base = sagemaker_base(tmp_path, DIGITS)
    port = free_port()
    with running(["serve"], sagemaker_env(base, port), port, tmp_path / "log", ready=ping_ok) as s:
        yield s


def run_to_exit(env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str, float]:
    """Run `python -m serving ...` to its end; returns (status, output, seconds)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")} | env
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "serving", *(args or ("serve",))],
        env=full,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def test_ping_is_503_while_loading_then_200(tmp_path: Path) -> None:
    base = sagemaker_base(tmp_path, MODELS / "slow")
    port = free_port()
    seen: list[int] = []
    with running(
        ["serve"], sagemaker_env(base, port, SLOW_LOAD_SECONDS="5"), port, tmp_path / "log"
    ) as server:

        def ping_ok() -> bool:
            status = request(server.url + "/ping", timeout=5).status
            seen.append(status)
            return status == 200

        server.wait_until(ping_ok, timeout=120)
        # The moment /ping says 200, a real request succeeds.
        assert server.invoke(b"[[1.5]]", "application/json").status == 200
    assert 503 in seen, seen  # TorchServe's own /ping would have said 200 during the load
    assert seen[-1] == 200


def test_a_model_that_cannot_load_stops_serve_after_its_attempts(tmp_path: Path) -> None:
    # broken/ sleeps 2 s in model_fn, then raises; TorchServe retries it with a backoff.
    base = sagemaker_base(tmp_path, MODELS / "broken")
    port = free_port()
    # One worker: each of its attempts is one model_fn call to count.
    env = sagemaker_env(base, port, SAGEMAKER_MODEL_SERVER_WORKERS="1")
    server = Server(["serve"], env, port, tmp_path / "log")
    try:
        server.wait_until(lambda: "BROKEN-MODEL-FN about to fail" in server.log, timeout=120)
        statuses = []
        while server.process.poll() is None and len(statuses) < 240:
            statuses.append(http_status(server.url + "/ping", timeout_s=5))
            time.sleep(0.25)
        assert 200 not in statuses, statuses  # never ready while it fails
        status = server.process.wait(timeout=120)
    finally:
        server.stop()
    assert status == 3
    assert server.log.count("BROKEN-MODEL-FN about to fail") == 3  # models[].load_attempts
    last = server.log.strip().splitlines()[-1]
    assert "exiting with status 3: model 'model' failed to load 3 times in a row" in last
    assert "RuntimeError: weights are corrupt (on purpose, for the test)" in last


def test_sigterm_stops_everything_within_seconds(tmp_path: Path, digits_weights: Path) -> None:
    with serving_digits(tmp_path) as server:
        frontend = server.frontend_pid()
        assert frontend is not None
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        status = server.process.wait(timeout=15)
        elapsed = time.monotonic() - started
        assert status == 0
        assert elapsed < 10, elapsed
        deadline = time.monotonic() + 5
        while group_alive(frontend) and time.monotonic() < deadline:
            time.sleep(0.1)
        # The frontend leads the group its workers belong to.
        assert not group_alive(frontend), "TorchServe or a worker outlived serve"


def test_sigkill_of_serve_takes_torchserve_its_workers_and_nginx_with_it(
    tmp_path: Path, digits_weights: Path
) -> None:
    # Nothing may keep holding the port (and serving) once serve is gone, however it went.
    with serving_digits(tmp_path) as server:
        frontend, front = server.frontend_pid(), server.front_pid()
        assert frontend is not None and front is not None
        try:
            assert process.child_pids(frontend), "no worker under the frontend"
            assert process.child_pids(front), "no nginx worker under its master"
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=15)
            deadline = time.monotonic() + 20
            while (group_alive(frontend) or group_alive(front)) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not group_alive(frontend), "TorchServe or a worker outlived serve's SIGKILL"
            assert not group_alive(front), "nginx outlived serve's SIGKILL"
            assert http_status(server.url + "/ping", timeout_s=2) is None  # nobody answers
        finally:  # serve is gone: its stop() can no longer find the groups
            process.kill_group(frontend)
            process.kill_group(front)


def test_serve_exits_non_zero_when_torchserve_dies(tmp_path: Path, digits_weights: Path) -> None:
    with serving_digits(tmp_path) as server:
        java = server.frontend_pid()
        assert java is not None and "ModelServer" in Path(f"/proc/{java}/cmdline").read_text()
        os.kill(java, signal.SIGKILL)
        assert server.process.wait(timeout=15) != 0
        assert "TorchServe exited on its own" in server.log


def test_missing_model_dir_stops_start_up_with_a_message(tmp_path: Path) -> None:
    status, output, seconds = run_to_exit(sagemaker_env(tmp_path / "nowhere", free_port()))
    assert status == 2 and seconds < 20
    assert "model directory" in output and "does not exist" in output


def test_a_busy_port_stops_start_up_at_once_naming_it(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    with socket.create_server(("127.0.0.1", 0)) as other_server:
        port = other_server.getsockname()[1]
        status, output, seconds = run_to_exit(sagemaker_env(base, port))
    assert status == 2 and seconds < 20
    assert f"port {port} on 0.0.0.0 is in use by another process" in output
    assert "ready" not in output and "starting TorchServe" not in output


def test_bad_config_stops_start_up_with_a_message(tmp_path: Path) -> None:
    config = tmp_path / "serving.yaml"
    config.write_text("server:\n  port: 8080\nmodels:\n  - name: m\n    batchsize: 4\n")
    status, output, seconds = run_to_exit({}, "serve", "--config", str(config))
    assert status == 2 and seconds < 20
    assert "models[0].batchsize" in output and "batch_size" in output


def test_conflicting_hooks_stop_start_up(tmp_path: Path) -> None:
    model = tmp_path / "ml" / "model" / "code"
    model.mkdir(parents=True)
    (model / "inference.py").write_text(
        "def transform_fn(model, data, content_type, accept):\n    pass\n\n"
        "def input_fn(data, content_type):\n    pass\n\ndef model_fn(model_dir):\n    pass\n"
    )
    status, output, _ = run_to_exit(sagemaker_env(tmp_path / "ml", free_port()))
    assert status == 2 and "transform_fn" in output and "input_fn" in output


def test_failed_requirement_stops_start_up_naming_it(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    (base / "model" / "code" / "requirements.txt").write_text(
        "no-such-package-serving-test==0.0.1\n"
    )
    status, output, _ = run_to_exit(sagemaker_env(base, free_port()), timeout=180)
    assert status == 2
    assert "no-such-package-serving-test==0.0.1" in output and "failed" in output


def test_requirements_install_can_be_turned_off(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    (base / "model" / "code" / "requirements.txt").write_text(
        "no-such-package-serving-test==0.0.1\n"
    )
    port = free_port()
    env = sagemaker_env(base, port, SERVING_INSTALL_REQUIREMENTS="false")
    with running(
        ["serve"],
        env,
        port,
        tmp_path / "log",
        ready=ping_ok,
    ) as server:
        assert "no-such-package" not in server.log


def test_bundled_serving_yaml_travels_with_the_model(tmp_path: Path, digits_weights: Path) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    (base / "model" / "code" / "serving.yaml").write_text(
        "models:\n  - name: digits\n    batch_size: 2\n    max_batch_delay_ms: 5\n"
    )
    port = free_port()
    with running(
        ["serve"],
        sagemaker_env(base, port),
        port,
        tmp_path / "log",
        ready=ping_ok,
    ) as server:
        assert b"digits" in request(server.url + "/ping").body
        reply = server.invoke((DIGITS / "samples" / "seven.csv").read_bytes(), "text/csv")
        assert reply.status == 200


def test_copy_is_unaffected(tmp_path: Path) -> None:
    # sagemaker_base copies: the checked-in example is never written to by a test.
    base = sagemaker_base(tmp_path, MODELS / "slow")
    assert (base / "model" / "code" / "inference.py").exists()
    shutil.rmtree(base)
    assert (MODELS / "slow" / "code" / "inference.py").exists()


def test_requirements_are_installed_before_the_workers_start(tmp_path: Path) -> None:
    base = sagemaker_base(tmp_path, MODELS / "slow")
    wheel = make_wheel(tmp_path, "serving_req_probe", "ANSWER = 42\n")
    code = base / "model" / "code"
    (code / "requirements.txt").write_text(f"{wheel}\n")
    (code / "inference.py").write_text(
        "import serving_req_probe\nimport torch\n\n"
        "def model_fn(model_dir):\n"
        "    print('REQ-PROBE', serving_req_probe.ANSWER, flush=True)\n"
        "    return torch.nn.Identity()\n"
    )
    site = tmp_path / "site"
    port = free_port()
    # PIP_TARGET keeps the install out of the test environment; the workers find it
    # through PYTHONPATH, which serve passes on.
    env = sagemaker_env(base, port, PIP_TARGET=str(site), PYTHONPATH=str(site))
    with running(
        ["serve"],
        env,
        port,
        tmp_path / "log",
        ready=ping_ok,
    ) as server:
        assert "REQ-PROBE 42" in server.log
        assert (site / "serving_req_probe.py").exists()


def test_serve_as_pid_1_stops_on_sigterm(tmp_path: Path, digits_weights: Path) -> None:
    """In a container `serve` is PID 1, which gets no default signal handling."""
    unshare = shutil.which("unshare")
    probe = (
        subprocess.run(
            [unshare or "unshare", "--pid", "--fork", "--mount-proc", "true"],
            capture_output=True,
            check=False,
        )
        if unshare
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("cannot make a PID namespace here (needs util-linux unshare and root)")
    base = sagemaker_base(tmp_path, DIGITS)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")}
    env |= sagemaker_env(base, port)
    log = open(tmp_path / "log", "wb")  # noqa: SIM115 - closed in finally
    outer = subprocess.Popen(
        [unshare, "--pid", "--fork", "--mount-proc", sys.executable, "-m", "serving", "serve"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while request_status(f"http://127.0.0.1:{port}/ping") != 200:
            assert time.monotonic() < deadline and outer.poll() is None, (
                tmp_path / "log"
            ).read_text()[-3000:]
            time.sleep(0.25)
        from serving.process import child_pids

        [pid_1] = child_pids(outer.pid)  # serve, PID 1 inside the namespace
        started = time.monotonic()
        os.kill(pid_1, signal.SIGTERM)
        assert outer.wait(timeout=15) == 0
        assert time.monotonic() - started < 10
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(outer.pid, signal.SIGKILL)
        outer.wait(timeout=5)
        log.close()


def request_status(url: str) -> int:
    try:
        return request(url, timeout=2).status
    except OSError:
        return 0


def test_ping_stays_200_while_one_of_two_workers_restarts(
    tmp_path: Path, digits_weights: Path
) -> None:
    base = sagemaker_base(tmp_path, DIGITS)
    port = free_port()
    env = sagemaker_env(base, port, SAGEMAKER_MODEL_SERVER_WORKERS="2")
    with running(["serve"], env, port, tmp_path / "log", ready=ping_ok) as server:
        frontend = server.frontend_pid()
        assert frontend is not None
        workers = process.child_pids(frontend)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        seen: list[tuple[int, int]] = []  # (status, ready workers)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            reply = request(server.url + "/ping", timeout=5)
            seen.append((reply.status, json.loads(reply.body)["models"]["model"]["ready_workers"]))
            if len(seen) > 5 and seen[-1][1] == 2 and (200, 1) in seen:
                break
            time.sleep(0.05)
        assert (200, 1) in seen, seen  # the restart was seen, and /ping stayed 200
        assert all(status == 200 for status, _ in seen), seen
        assert seen[-1] == (200, 2), seen  # and the worker came back
