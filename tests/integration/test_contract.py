"""The SageMaker container contract against the default example, served by `serve`."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import socket
import stat
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from serving.config.sizing import default_workers
from serving.machine.processors import available_cpus, gpu_count
from serving.net import can_listen, free_port, request
from tests.integration.conftest import DIGITS, SAMPLES, sagemaker_base
from tests.support.servers import Server, running

pytestmark = pytest.mark.integration


def predicted_digit(body: bytes) -> int:
    return int(np.argmax(json.loads(body)[0]))


def test_ping_is_200_once_loaded(digits_server: Server) -> None:
    reply = request(digits_server.url + "/ping")
    assert reply.status == 200
    # No workers set: one per core (up to 4) on this machine, all loaded before a 200.
    workers = default_workers(available_cpus(), gpu_count(os.environ), models=1)
    expected = {"ready_workers": workers, "expected_workers": workers}
    assert json.loads(reply.body)["models"]["model"] == expected


@pytest.mark.parametrize(
    ("sample", "content_type"),
    [
        ("seven.json", "application/json"),
        ("seven.csv", "text/csv"),
        ("seven.npy", "application/x-npy"),
        ("seven.txt", "text/plain"),
        ("seven.json", "Application/JSON; charset=utf-8"),
    ],
)
def test_each_codec_reads_a_seven(digits_server: Server, sample: str, content_type: str) -> None:
    reply = digits_server.invoke((SAMPLES / sample).read_bytes(), content_type)
    assert reply.status == 200, reply.body
    assert reply.headers["content-type"] == "application/json"
    assert predicted_digit(reply.body) == 7


def test_accept_picks_the_encoding(digits_server: Server) -> None:
    body = (SAMPLES / "seven.json").read_bytes()
    csv = digits_server.invoke(body, "application/json", accept="text/csv")
    assert (csv.status, csv.headers["content-type"]) == (200, "text/csv")
    assert np.argmax([float(v) for v in csv.body.decode().strip().split(",")]) == 7
    npy = digits_server.invoke(body, "application/json", accept="application/x-npy")
    assert npy.headers["content-type"] == "application/x-npy"
    probabilities = np.load(io.BytesIO(npy.body), allow_pickle=False)
    assert probabilities.shape == (1, 10) and probabilities.dtype == np.float32
    preferred = digits_server.invoke(
        body, "application/json", accept="text/csv;q=0.4, application/x-npy;q=0.9"
    )
    assert preferred.headers["content-type"] == "application/x-npy"
    wildcard = digits_server.invoke(body, "application/json", accept="*/*")
    assert wildcard.headers["content-type"] == "application/json"


def test_sagemaker_invoke_route(digits_server: Server) -> None:
    reply = digits_server.invoke(
        (SAMPLES / "seven.json").read_bytes(), "application/json", path="/models/model/invoke"
    )
    assert reply.status == 200 and predicted_digit(reply.body) == 7


@pytest.mark.parametrize(
    ("body", "content_type", "accept", "status", "words"),
    [
        (b"[[1, 2", "application/json", None, 400, "malformed JSON"),
        (b"1,2,3\n4,5\n", "text/csv", None, 400, "ragged"),
        (b"\x93NUMPY garbage", "application/x-npy", None, 400, "NPY"),
        (b"[[0]]", "image/png", None, 415, "image/png"),
        (json.dumps([[0] * 64]).encode(), "application/json", "image/png", 406, "image/png"),
        (b"[[1, 2, 3]]", "application/json", None, 500, "see the server log"),
        (b"@@@\n", "text/plain", None, 400, "8"),
    ],
)
def test_errors_are_short_json_with_the_right_status(
    digits_server: Server,
    body: bytes,
    content_type: str,
    accept: str | None,
    status: int,
    words: str,
) -> None:
    reply = digits_server.invoke(body, content_type, accept=accept)
    assert reply.status == status, reply.body
    assert reply.headers["content-type"] == "application/json"
    error = json.loads(reply.body)
    assert set(error) == {"code", "type", "message"} and error["code"] == status
    assert words in error["message"]
    assert "Traceback" not in reply.body.decode()


def test_pickled_npy_is_refused(digits_server: Server) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    reply = digits_server.invoke(buffer.getvalue(), "application/x-npy")
    assert reply.status == 400 and b"pickle" in reply.body.lower()


def test_body_over_the_payload_limit_is_413(digits_server: Server) -> None:
    """SAGEMAKER_MAX_PAYLOAD_IN_MB=1 for this server. Sent as curl sends a large body,
    with ``Expect: 100-continue``: the server refuses on the headers. (A client that
    pushes the whole body regardless may see the connection reset after the 413.)"""
    connection = http.client.HTTPConnection("127.0.0.1", digits_server.port, timeout=30)
    try:
        connection.putrequest("POST", "/invocations")
        connection.putheader("Content-Type", "text/csv")
        connection.putheader("Content-Length", str(1_200_000))
        connection.putheader("Expect", "100-continue")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
    finally:
        connection.close()
    # ...and the server keeps serving.
    assert answers(digits_server)


def answers(server: Server) -> bool:
    reply = server.invoke((SAMPLES / "seven.json").read_bytes(), "application/json")
    return reply.status == 200 and predicted_digit(reply.body) == 7


def test_execution_parameters_come_from_the_environment(digits_server: Server) -> None:
    reply = request(digits_server.url + "/execution-parameters")
    assert reply.status == 200
    assert json.loads(reply.body) == {
        "MaxConcurrentTransforms": 3,
        "BatchStrategy": "SINGLE_RECORD",
        "MaxPayloadInMB": 1,
    }


def test_torchserve_listens_only_on_private_sockets_behind_the_front(
    digits_server: Server,
) -> None:
    properties = digits_server.engine_properties()
    for listener in ("inference_address", "management_address"):
        assert properties[listener].startswith("unix:/"), properties
        socket_path = Path(properties[listener].removeprefix("unix:"))
        assert socket_path.is_socket()  # where TorchServe listens
        # In serve's private runtime directory: no other user can even reach the socket.
        assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert properties["metrics_address"].startswith("http://127.0.0.1:")  # read-only, loopback
    # The management API is not on the public port, and nothing there registers models.
    assert request(digits_server.url + "/models").status == 404
    assert request(digits_server.url + "/models?url=x", b"", method="POST").status == 404


def test_the_frontend_runs_debians_maintained_netty_not_the_one_torchserve_embeds(
    digits_server: Server,
) -> None:
    # What the running JVM loaded, as the plugin found it (FrontendLibraries.java):
    # Debian's libnetty-java 4.1.48 with the security team's backports (CVE-2024-29025,
    # the HTTP/2 rapid-reset class), ahead of TorchServe's hardened jar (frontend_jar.py).
    lines = [line for line in digits_server.log.splitlines() if "frontend libraries:" in line]
    assert len(lines) == 1, lines
    assert lines[0].endswith(
        "netty 4.1.48.Final from /usr/share/java/netty-transport.jar; gRPC listeners: none"
    ), lines[0]


def test_no_private_listener_obeys_anyone_without_serves_key(digits_server: Server) -> None:
    properties = digits_server.engine_properties()
    token = properties["serving_token"]
    assert len(token) >= 40
    # TorchServe's gRPC listeners, which it opens unconditionally, are never opened: the
    # plugin's NettyServerBuilder stands in for grpc-netty's (the ports stay configured,
    # on loopback, in case another TorchServe ignored it).
    for key in ("grpc_inference_port", "grpc_management_port"):
        assert can_listen("127.0.0.1", int(properties[key])), f"something listens on {key}"
    # The HTTP management API (a Unix socket in the 0700 directory) asks for it too.
    socket_path = properties["management_address"].removeprefix("unix:")
    with socket.socket(socket.AF_UNIX) as management:
        management.settimeout(10)
        management.connect(socket_path)
        management.sendall(b"GET /models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b"".join(iter(lambda: management.recv(65536), b""))
    assert b"InvalidKeyException" in answer, answer
    # TorchServe's own keys, which it wrote to a file at start, are void and gone.
    assert not (Path(socket_path).parent / "key_file.json").exists()


def test_private_listeners_take_their_ports_from_the_safe_port_range(
    tmp_path: Path, digits_weights: Path
) -> None:
    # A multi-container endpoint or inference pipeline gives each container a range.
    low = free_port()
    base, port = sagemaker_base(tmp_path, DIGITS), free_port()
    env = {
        "SAGEMAKER_BASE_DIR": str(base),
        "SAGEMAKER_BIND_TO_PORT": str(port),
        "SAGEMAKER_SAFE_PORT_RANGE": f"{low}-{low + 99}",
    }
    with running(["serve"], env, port, tmp_path / "log", ready=answers) as server:
        properties = server.engine_properties()
        metrics = int(properties["metrics_address"].rsplit(":", 1)[1])
        assert low <= metrics <= low + 99, (metrics, low)
        assert not can_listen("127.0.0.1", metrics)  # really listening there
        # Configured in the range too, though nothing opens them (NettyServerBuilder).
        for key in ("grpc_inference_port", "grpc_management_port"):
            assert low <= int(properties[key]) <= low + 99, (properties[key], low)
        # The inference and management APIs stay Unix sockets; nginx has the public port.
        assert properties["inference_address"].startswith("unix:")
        assert properties["management_address"].startswith("unix:")


def test_no_token_is_asked_on_the_public_port(digits_server: Server) -> None:
    assert request(digits_server.url + "/ping").status == 200  # no Authorization header sent


def _log_growth_after(server: Server, send: Callable[[], None]) -> str:
    """What ``send`` added to the server's log (async logging flushed by a short wait)."""
    before = server.log_path.stat().st_size
    send()
    time.sleep(1.5)
    with open(server.log_path, "rb") as log:
        log.seek(before)
        return log.read().decode(errors="replace")


def test_successful_requests_and_pings_write_no_log_lines(digits_server: Server) -> None:
    body = (SAMPLES / "seven.npy").read_bytes()

    def traffic() -> None:
        for _ in range(100):
            assert digits_server.invoke(body, "application/x-npy").status == 200
            assert request(digits_server.url + "/ping").status == 200

    added = _log_growth_after(digits_server, traffic)
    # Target: at most 20 KB per 1,000 successful requests; here 200 requests.
    assert len(added.encode()) <= 4_000, added[-2000:]


def test_a_failed_request_is_one_log_line_naming_its_request(digits_server: Server) -> None:
    replies = []
    added = _log_growth_after(
        digits_server,
        lambda: replies.append(digits_server.invoke(b"[[1, 2", "application/json")),
    )
    assert replies[0].status == 400
    lines = [line for line in added.splitlines() if "400 malformed JSON body" in line]
    assert len(lines) == 1, added
    # At WARNING, so that alerts on the log see it (TorchServe tags a worker's stderr WARN).
    pattern = r"\[WARN \] MODEL_LOG - \[WARNING\] serving\.[a-z.]+ - request [0-9a-f-]{36}: 400"
    assert re.search(pattern + " malformed JSON body", lines[0]), lines[0]
