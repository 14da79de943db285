"""Answers in parts through the real front and TorchServe: parts arrive as they are
made and in order, a failure cuts the stream, a client that leaves stops the generator,
a slow client holds it back, and whole answers beside streams are unaffected."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.net import free_port
from tests.integration.conftest import MODELS
from tests.support.servers import Server, running

pytestmark = pytest.mark.integration

STREAM = "/models/streamer/invoke"
JSON_LINES = "application/jsonlines"


def config(root: Path, port: int) -> Path:
    values = {
        "server": {"host": "127.0.0.1", "port": port, "response_timeout_s": 10},
        "models": [
            # Batches of up to 4, gathered for 300 ms: requests sent together share one.
            {
                "name": "streamer",
                "model_dir": str(MODELS / "streamer"),
                "batch_size": 4,
                "max_batch_delay_ms": 300,
            },
            {"name": "sleeper", "model_dir": str(MODELS / "sleeper")},
        ],
    }
    path = root / "serving.yaml"
    path.write_text(json.dumps(values))
    return path


def both_ready(server: Server) -> bool:
    return all(
        server.invoke(body, "application/json", path=path).status == 200
        for path, body in ((STREAM, b'{"parts": 1}'), ("/models/sleeper/invoke", b"{}"))
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("streaming")
    port = free_port()
    args = ["serve", "--config", str(config(root, port))]
    with running(args, {}, port, root / "server.log", ready=both_ready) as started:
        yield started


@contextlib.contextmanager
def post(server: Server, body: dict[str, Any]) -> Iterator[http.client.HTTPResponse]:
    """A streaming request's response, to read as it comes; closed when the block ends."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        payload = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Accept": JSON_LINES}
        connection.request("POST", STREAM, payload, headers)
        yield connection.getresponse()
    finally:
        connection.close()


def timed_parts(response: http.client.HTTPResponse, started: float) -> list[tuple[float, Any]]:
    """(seconds since ``started``, part) for each JSON line, as each arrives."""
    parts = []
    while line := response.readline():
        parts.append((time.monotonic() - started, json.loads(line)))
    return parts


def wait_for(path: Path, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and (text := path.read_text()):
            return text
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout} s")


def test_parts_arrive_in_order_as_they_are_made(server: Server) -> None:
    started = time.monotonic()
    with post(server, {"parts": 5, "delay": 0.5}) as response:
        assert response.status == 200
        assert response.getheader("Content-Type") == JSON_LINES
        assert response.getheader("Transfer-Encoding") == "chunked"
        assert response.getheader("ts_stream_next") is None  # TorchServe's flag stays inside
        parts = timed_parts(response, started)
    assert [part for _, part in parts] == [{"part": i} for i in range(5)]
    first, last = parts[0][0], parts[-1][0]
    assert first < 1.0, parts  # the batch delay (0.3 s) plus the first part
    assert 2.0 <= last < 4.0, parts  # four 0.5-s waits: the parts were not held back
    assert last - first >= 1.9, parts


def test_a_failure_after_two_parts_cuts_the_stream_and_the_next_request_is_served(
    server: Server,
) -> None:
    with post(server, {"parts": 5, "delay": 0.1, "fail_after": 2}) as response:
        assert response.status == 200
        assert json.loads(response.readline()) == {"part": 0}
        assert json.loads(response.readline()) == {"part": 1}
        with pytest.raises(http.client.IncompleteRead):  # no last chunk: never a short success
            response.read()
    # Logged at ERROR with the request id (TorchServe tags a worker's stderr line WARN).
    # The line may reach the log after the client saw the cut: TorchServe logs async.
    logged = re.compile(
        r"\[WARN \] MODEL_LOG - \[ERROR\] serving\.worker\.streams - "
        r"request [0-9a-f-]{36} failed after 2 parts"
    )
    server.wait_until(lambda: logged.search(server.log) is not None, timeout=10)
    with post(server, {"parts": 2}) as again:
        assert (again.status, again.read()) == (200, b'{"part":0}\n{"part":1}\n')


def test_a_failure_before_the_first_part_is_an_ordinary_json_error(server: Server) -> None:
    with post(server, {"parts": 3, "fail_after": 0}) as response:
        status, body = response.status, json.loads(response.read())
    assert (status, body["code"], body["type"]) == (500, 500, "InternalServerError")
    assert "on purpose" not in json.dumps(body)


def test_a_client_that_goes_away_stops_the_generator(server: Server, tmp_path: Path) -> None:
    evidence = tmp_path / "closed.json"
    with post(server, {"parts": 100, "delay": 0.1, "evidence": str(evidence)}) as response:
        assert json.loads(response.readline()) == {"part": 0}
    # The client left after the first part.
    closed_after = json.loads(wait_for(evidence))["closed_after"]
    assert closed_after < 30  # stopped within about a second, not at part 100


def test_a_slow_client_holds_the_generator_back(server: Server, tmp_path: Path) -> None:
    progress = tmp_path / "progress"
    parts, size = 400, 64 * 1024  # 25 MiB in all
    with post(server, {"parts": parts, "size": size, "progress": str(progress)}) as response:
        assert json.loads(response.readline())["part"] == 0
        time.sleep(3)  # the client reads nothing for a while
        made_while_stalled = int(wait_for(progress))
        rest = [json.loads(line) for line in response.read().splitlines()]
    # What nginx, the sockets and TorchServe buffer between them: a few MiB, not all.
    assert made_while_stalled < parts // 4, made_while_stalled
    assert [part["part"] for part in rest] == list(range(1, parts))


def test_streams_of_one_batch_advance_together_and_the_batch_ends_together(
    server: Server,
) -> None:
    arrivals: dict[str, list[float]] = {}
    started = time.monotonic()

    def call(name: str, body: dict[str, Any]) -> None:
        with post(server, body) as response:
            arrivals[name] = [at for at, _ in timed_parts(response, started)]
            arrivals[name + " end"] = [time.monotonic() - started]

    threads = [
        threading.Thread(target=call, args=("stream-a", {"parts": 4, "delay": 0.5})),
        threading.Thread(target=call, args=("stream-b", {"parts": 2, "delay": 0.5})),
        threading.Thread(target=call, args=("whole", {"parts": 2, "whole": True})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Both streams advance together, one part each in turn (the worker makes them one
    # after the other): each one's first part long before the longer one ends.
    assert arrivals["stream-a"][0] < 1.0 and arrivals["stream-b"][0] < 1.0, arrivals
    assert (len(arrivals["stream-a"]), len(arrivals["stream-b"])) == (4, 2)
    # No request of the batch ends before the batch does (TorchServe errors every request
    # of a batch that fails half-way): the whole answer and the shorter stream end with
    # the longer stream, all complete.
    ends = [arrivals[name + " end"][0] for name in ("stream-a", "stream-b", "whole")]
    assert max(ends) - min(ends) < 0.5, arrivals
    assert len(arrivals["whole"]) == 2


def test_a_model_that_does_not_stream_is_unaffected_during_a_stream(server: Server) -> None:
    with post(server, {"parts": 6, "delay": 0.5}) as response:
        assert json.loads(response.readline()) == {"part": 0}
        started = time.monotonic()
        reply = server.invoke(b'{"id": 9}', "application/json", path="/models/sleeper/invoke")
        took = time.monotonic() - started
        assert len(response.read().splitlines()) == 5
    assert (reply.status, json.loads(reply.body)) == (200, {"id": 9})
    assert took < 1.0
