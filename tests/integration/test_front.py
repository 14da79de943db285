"""The front on the public port, against real nginx and TorchServe: HTTP/1.1 done right,
only the SageMaker routes, timeouts, limits, and a drain on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.net import free_port, http_status, request
from tests.integration.conftest import MODELS
from tests.support.servers import Server, ping_ok, running, serving_one

pytestmark = pytest.mark.integration

RESPONSE_TIMEOUT_S = 3
CLIENT_TIMEOUT_S = 2


def sleeper_config(root: Path, port: int, workers: int = 2) -> Path:
    config = {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "workers": workers,
            "max_payload_mb": 1,
            "client_timeout_s": CLIENT_TIMEOUT_S,
            "response_timeout_s": RESPONSE_TIMEOUT_S,
        },
        "models": [{"name": "sleeper", "model_dir": str(MODELS / "sleeper")}],
    }
    path = root / "serving.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    return path


@pytest.fixture(scope="module")
def sleeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("front")
    port = free_port()
    args = ["serve", "--config", str(sleeper_config(root, port))]
    with running(args, {}, port, root / "server.log", ready=ping_ok) as server:
        yield server


def invocation(request_id: int, sleep: float = 0, version: str = "1.1") -> bytes:
    body = json.dumps({"id": request_id, "sleep": sleep}).encode()
    return (
        f"POST /invocations HTTP/{version}\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def read_response(stream: socket.SocketIO | object) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length from a socket's file."""
    reader = stream  # a BufferedReader from socket.makefile("rb")
    status_line = reader.readline()  # type: ignore[attr-defined]
    assert status_line.startswith(b"HTTP/1."), status_line
    headers: dict[str, str] = {}
    while (line := reader.readline()) not in (b"\r\n", b""):  # type: ignore[attr-defined]
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0")))  # type: ignore[attr-defined]
    return int(status_line.split()[1]), headers, body


def connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def test_pipelined_requests_are_answered_in_request_order(sleeper: Server) -> None:
    sleeps = {1: 0.5, 2: 0.0, 3: 0.3, 4: 0.1}  # two workers would finish them 2, 4, 3, 1
    with connect(sleeper) as sock, sock.makefile("rb") as stream:
        sock.sendall(b"".join(invocation(i, s) for i, s in sleeps.items()))
        answers = [read_response(stream) for _ in sleeps]
    assert [status for status, _, _ in answers] == [200] * 4
    assert [json.loads(body)["id"] for _, _, body in answers] == [1, 2, 3, 4]


def test_http_1_0_is_answered_and_closed(sleeper: Server) -> None:
    with connect(sleeper) as sock, sock.makefile("rb") as stream:
        sock.sendall(invocation(7, version="1.0"))
        status, headers, body = read_response(stream)
        assert (status, json.loads(body)) == (200, {"id": 7})
        assert headers.get("connection", "close").lower() == "close"
        assert stream.read() == b""  # the server closed the connection


def test_an_http2_preface_is_a_400_not_a_server_error(sleeper: Server) -> None:
    with connect(sleeper) as sock, sock.makefile("rb") as stream:
        sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        status, _, _ = read_response(stream)
    assert status == 400


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/predictions/sleeper", 404),
        ("GET", "/api-description", 404),
        ("OPTIONS", "/", 404),
        ("GET", "/v1/models", 404),
        ("GET", "/models", 404),
        ("POST", "/models/other/invoke", 404),
        ("POST", "/ping", 405),
        ("GET", "/invocations", 405),
        ("GET", "/_serving_errors/503", 404),
    ],
)
def test_only_the_sagemaker_routes_are_served(
    sleeper: Server, method: str, path: str, status: int
) -> None:
    reply = request(sleeper.url + path, b"" if method == "POST" else None, method=method)
    assert reply.status == status
    assert reply.headers["content-type"] == "application/json"
    assert json.loads(reply.body)["code"] == status
    assert b"TorchServe" not in reply.body and "torchserve" not in str(reply.headers).lower()


def test_an_error_keeps_the_connection_alive(sleeper: Server) -> None:
    with connect(sleeper) as sock, sock.makefile("rb") as stream:
        sock.sendall(b"GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
        assert read_response(stream)[0] == 404
        sock.sendall(invocation(8))
        status, _, body = read_response(stream)
    assert (status, json.loads(body)) == (200, {"id": 8})


def test_a_body_above_the_limit_is_a_413_with_a_json_body(sleeper: Server) -> None:
    reply = request(
        sleeper.url + "/invocations",
        b"x" * (1024 * 1024 + 1),
        {"Content-Type": "application/json"},
    )
    assert reply.status == 413
    assert json.loads(reply.body)["type"] == "PayloadTooLarge"


def test_a_request_past_its_timeout_is_a_504_at_about_the_timeout(sleeper: Server) -> None:
    started = time.monotonic()
    reply = request(
        sleeper.url + "/invocations",
        json.dumps({"id": 9, "sleep": RESPONSE_TIMEOUT_S + 3}).encode(),
        {"Content-Type": "application/json"},
        timeout=30,
    )
    waited = time.monotonic() - started
    assert reply.status == 504, reply.body
    assert json.loads(reply.body)["type"] == "GatewayTimeout"
    assert RESPONSE_TIMEOUT_S - 0.5 < waited < RESPONSE_TIMEOUT_S + 2.5, waited


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_stalled_clients_are_dropped_and_never_starve_the_others(sleeper: Server) -> None:
    stalled = []
    try:
        for _ in range(50):  # slowloris: headers never finished
            sock = connect(sleeper)
            sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: test\r\n")
            stalled.append(sock)
        for _ in range(50):  # a stalled upload: a body promised and never sent
            sock = connect(sleeper)
            promise = b"Content-Length: 900000\r\n\r\n{"
            sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: t\r\n" + promise)
            stalled.append(sock)
        # A genuine request is answered meanwhile.
        body = json.dumps({"id": 10}).encode()
        reply = request(sleeper.url + "/invocations", body, {"Content-Type": "application/json"})
        assert (reply.status, json.loads(reply.body)) == (200, {"id": 10})
        started = time.monotonic()
        assert all(_closed_within(sock, CLIENT_TIMEOUT_S + 5) for sock in stalled)
        assert time.monotonic() - started < CLIENT_TIMEOUT_S + 5
    finally:
        for sock in stalled:
            sock.close()


def test_sigterm_drains_accepted_requests_and_refuses_new_ones(tmp_path: Path) -> None:
    port = free_port()
    args = ["serve", "--config", str(sleeper_config(tmp_path, port, workers=3))]
    runs = tmp_path / "runs.log"
    server = Server(args, {"SLEEPER_RUN_LOG": str(runs)}, port, tmp_path / "server.log")
    try:
        server.wait_until(lambda: ping_ok(server), timeout=120)
        answers: list[tuple[int, dict[str, int]]] = []

        def slow_request(request_id: int) -> None:
            body = json.dumps({"id": request_id, "sleep": 2}).encode()
            reply = request(server.url + "/invocations", body, {"Content-Type": "application/json"})
            answers.append((reply.status, json.loads(reply.body)))

        threads = [threading.Thread(target=slow_request, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        # Accepted and running (a worker each), however busy the machine is.
        server.wait_until(lambda: runs.exists() and len(runs.read_text().split()) == 3, 60)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        # No new connections, while the accepted requests still run (2 s each).
        server.wait_until(lambda: http_status(server.url + "/ping", timeout_s=2) is None, 10)
        assert len(answers) < 3  # refused while they still run
        for thread in threads:
            thread.join(timeout=30)
        status = server.process.wait(timeout=30)
        assert time.monotonic() - started < 30  # inside SageMaker's window
    finally:
        server.stop()
    assert status == 0
    assert sorted(answers, key=lambda a: a[1]["id"]) == [(200, {"id": i}) for i in range(3)]


def test_a_full_queue_is_a_503_and_the_rest_are_served(tmp_path: Path) -> None:
    port = free_port()
    config = {
        "server": {"host": "127.0.0.1", "port": port},
        "models": [
            {"name": "sleeper", "model_dir": str(MODELS / "sleeper"), "queue_size": 1, "workers": 1}
        ],
    }
    (tmp_path / "serving.yaml").write_text(json.dumps(config))
    args = ["serve", "--config", str(tmp_path / "serving.yaml")]
    with running(args, {}, port, tmp_path / "server.log", ready=ping_ok) as server:
        statuses: list[int] = []

        def slow_request(request_id: int) -> None:
            body = json.dumps({"id": request_id, "sleep": 1}).encode()
            reply = request(server.url + "/invocations", body, {"Content-Type": "application/json"})
            statuses.append(reply.status)

        threads = [threading.Thread(target=slow_request, args=(i,)) for i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    # One running, one waiting; the others were refused at once instead of queueing.
    assert sorted(statuses) == [200, 200, 503, 503, 503], statuses


def test_requests_whose_clients_hung_up_while_queued_are_never_run(tmp_path: Path) -> None:
    runs = tmp_path / "runs.log"
    model = {"workers": 1, "response_timeout_s": 60}
    sleeper = MODELS / "sleeper"
    env = {"SLEEPER_RUN_LOG": str(runs)}
    with serving_one(tmp_path, "sleeper", sleeper, model=model, env=env) as server:
        clients = [connect(server) for _ in range(20)]
        try:
            for request_id, client in enumerate(clients):
                client.sendall(invocation(request_id, sleep=1))
            time.sleep(0.2)
        finally:
            for client in clients:
                client.close()  # each gives up on its 1-s request
        started = time.monotonic()
        reply = request(
            server.url + "/invocations",
            json.dumps({"id": "next"}).encode(),
            {"Content-Type": "application/json"},
            timeout=60,
        )
        waited = time.monotonic() - started
    assert reply.status == 200 and json.loads(reply.body) == {"id": "next"}
    ran = runs.read_text().split()
    # The one at the worker when its client left runs to its end; the queued ones never
    # run (before: all 20 did, and the next request waited about 20 s behind them).
    assert ran[-1] == "next" and len(ran) <= 3, ran
    assert waited < 5, waited


def test_while_no_worker_is_loaded_invocations_are_a_503_at_once(tmp_path: Path) -> None:
    port = free_port()
    config = {
        "server": {"host": "127.0.0.1", "port": port},
        "models": [{"name": "slow", "model_dir": str(MODELS / "slow")}],
    }
    (tmp_path / "serving.yaml").write_text(json.dumps(config))
    args = ["serve", "--config", str(tmp_path / "serving.yaml")]
    server = Server(args, {"SLOW_LOAD_SECONDS": "8"}, port, tmp_path / "server.log")
    try:
        # The engine is up and the worker loading: /ping answers, and is a 503.
        server.wait_until(lambda: request(server.url + "/ping").status == 503, timeout=60)
        body, headers = b"[[1.0]]", {"Content-Type": "application/json"}
        for path in ("/invocations", "/models/slow/invoke"):
            started = time.monotonic()
            reply = request(server.url + path, body, headers, timeout=30)
            assert time.monotonic() - started < 1.0
            assert reply.status == 503, reply.body
            assert reply.headers["retry-after"] == "5"
            assert json.loads(reply.body)["type"] == "ServiceUnavailable"
        server.wait_until(lambda: ping_ok(server), timeout=60)
        assert request(server.url + "/invocations", body, headers).status == 200
    finally:
        server.stop()


def test_a_worker_dying_mid_batch_costs_its_neighbours_a_503_to_retry(tmp_path: Path) -> None:
    # One worker taking batches of up to 4, gathered for 300 ms: the three requests below
    # share a batch, and one of them ends the worker process (as the OOM killer would).
    root, port = tmp_path, free_port()
    path = sleeper_config(root, port, workers=1)
    values = json.loads(path.read_text())
    values["models"][0] |= {"batch_size": 4, "max_batch_delay_ms": 300}
    path.write_text(json.dumps(values))
    with running(["serve", "--config", str(path)], {}, port, root / "log", ready=ping_ok) as server:
        replies: dict[str, Any] = {}

        def call(name: str, body: dict[str, Any]) -> None:
            replies[name] = server.invoke(json.dumps(body).encode(), "application/json")

        threads = [
            threading.Thread(target=call, args=(name, body))
            for name, body in [("a", {"id": 1}), ("exit", {"exit": True}), ("b", {"id": 2})]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        for name in ("a", "b", "exit"):  # the front cannot tell who ended the worker
            reply = replies[name]
            assert reply.status == 503, (name, reply.status, reply.body)
            assert reply.headers.get("retry-after") == "5"
            body = json.loads(reply.body)
            assert (body["code"], body["type"]) == (503, "ServiceUnavailable")
            assert "Worker died" not in reply.body.decode()
            assert "x-serving-error" not in reply.headers
        # TorchServe starts a new worker; the retry the 503 asked for is answered.
        server.wait_until(lambda: ping_ok(server), 60)
        again = server.invoke(b'{"id": 3}', "application/json")
        assert (again.status, json.loads(again.body)) == (200, {"id": 3})


def test_a_models_own_errors_pass_the_front_unchanged(tmp_path: Path) -> None:
    # The probe model answers {"status": S, "message": M} with InferenceError(S, M).
    env = {"PROBE_LOAD_LOG": str(tmp_path / "loads"), "PROBE_FORWARD_LOG": str(tmp_path / "fwd")}
    with serving_one(tmp_path, "probe", MODELS / "probe", env=env) as server:
        answers = [(500, 'a "quoted"\nline'), (503, "busy"), (507, "full"), (502, "bad gate")]
        answers += [(504, "too slow"), (413, "image above 1024 px"), (405, "no"), (408, "late")]
        for status, message in answers:
            body = json.dumps({"status": status, "message": message}).encode()
            reply = server.invoke(body, "application/json")
            assert reply.status == status
            assert json.loads(reply.body) == {
                "code": status,
                "type": "InferenceError",
                "message": message,
            }
            assert "retry-after" not in reply.headers  # the model's answer, not the front's


def test_a_200_mb_body_is_spooled_by_the_front_and_answered(tmp_path: Path) -> None:
    # Async inference posts bodies of up to 1 GB read from S3; the front keeps bodies
    # above 1 MiB on disk until they are whole, so slow senders never hold the engine.
    import hashlib

    body = hashlib.sha256(b"seed").digest() * (200 * 1024 * 1024 // 32)  # 200 MiB
    limit = {"max_payload_mb": 256}
    with serving_one(tmp_path, "measure", MODELS / "measure", server=limit) as server:
        reply = request(
            server.url + "/invocations",
            body,
            {"Content-Type": "application/octet-stream"},
            timeout=120,
        )
        assert reply.status == 200, reply.body[:500]
        assert json.loads(reply.body) == {
            "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
