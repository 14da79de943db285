"""Streamed answers through TorchServe's protocol, without TorchServe: which messages a
batch becomes, what the client's connection state does to a stream, and the bytes of
one message as TorchServe's frontend will read them."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import pytest

from serving.engines.torchserve.streaming import (
    CLOSED,
    FULL,
    OPEN,
    UNKNOWN,
    Message,
    Pacing,
    message_bytes,
    stream_batch,
)
from serving.worker.service import Response
from serving.worker.streams import PartStream
from tests.support.torchserve import import_torchserve_quietly


class Clock:
    """Time that passes only when the code under test sleeps or a part is made."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Channels:
    """Client connections whose states a test scripts, per request id."""

    def __init__(self, states: dict[str, list[str]] | None = None) -> None:
        self.states = states or {}
        self.asked: list[str] = []
        self.aborted: list[str] = []

    def state(self, request_id: str) -> str:
        self.asked.append(request_id)
        script = self.states.get(request_id, [OPEN])
        return script.pop(0) if len(script) > 1 else script[0]

    def abort(self, request_id: str) -> None:
        self.aborted.append(request_id)


class Source:
    def __init__(self, parts: list[bytes], fail_at: int | None = None) -> None:
        self.parts, self.fail_at = parts, fail_at
        self.closed = False

    def __call__(self) -> Iterator[bytes]:
        try:
            for index, part in enumerate(self.parts):
                if index == self.fail_at:
                    raise RuntimeError("mid-stream failure")
                yield part
        finally:
            self.closed = True


def streamed(request_id: str, source: Source) -> Response:
    stream = PartStream(source(), bytes, request_id)
    first = stream.start()
    assert first is not None
    return Response(200, first, "text/plain", stream=stream)


def run(
    responses: list[Response], channels: Channels, pacing: Pacing | None = None
) -> tuple[list[Message], Message, Clock]:
    sent: list[Message] = []
    clock = Clock()
    last = stream_batch(
        responses,
        sent.append,
        channels,
        pacing or Pacing(check_every_s=0.0),  # ask before every part
        clock=clock,
        sleep=clock.sleep,
    )
    return sent, last, clock


def test_streams_advance_together_and_every_request_ends_in_the_returned_message() -> None:
    a, b = Source([b"a1", b"a2", b"a3"]), Source([b"b1"])
    whole = Response(200, b"whole", "text/plain")
    sent, last, _ = run([whole, streamed("A", a), streamed("B", b)], Channels())
    assert sent == [{1: (b"a1", True), 2: (b"b1", True)}, {1: (b"a2", True)}, {1: (b"a3", True)}]
    # Nothing ends before the batch does: TorchServe writes an error to every request
    # of a batch that fails half-way, those it already answered included.
    assert last == {0: (b"whole", None), 1: (b"", False), 2: (b"", False)}
    assert a.closed and b.closed


def test_a_batch_without_more_parts_returns_at_once() -> None:
    sent, last, _ = run([streamed("A", Source([b"only"]))], Channels())
    assert sent == [{0: (b"only", True)}]
    assert last == {0: (b"", False)}


def test_a_client_that_went_away_stops_its_generator_not_its_neighbours() -> None:
    gone, stays = Source([b"g1", b"g2", b"g3"]), Source([b"s1", b"s2"])
    channels = Channels({"GONE": [CLOSED]})
    sent, last, _ = run([streamed("GONE", gone), streamed("STAYS", stays)], channels)
    assert sent == [{0: (b"g1", True), 1: (b"s1", True)}, {1: (b"s2", True)}]
    assert last == {0: (b"", False), 1: (b"", False)}
    assert gone.closed and channels.aborted == []


def test_a_failure_mid_stream_cuts_the_clients_connection() -> None:
    source = Source([b"p1", b"p2", b"p3"], fail_at=2)
    channels = Channels()
    sent, last, _ = run([streamed("R", source)], channels)
    assert sent == [{0: (b"p1", True)}, {0: (b"p2", True)}]
    assert last == {0: (b"", False)}
    assert channels.aborted == ["R"] and source.closed


def test_a_slow_client_is_waited_for_without_making_more_parts() -> None:
    source = Source([b"p1", b"p2"])
    channels = Channels({"R": [FULL, FULL, FULL, OPEN]})
    pacing = Pacing(check_every_s=0.0, wait_step_s=0.25, max_wait_s=5)
    sent, last, clock = run([streamed("R", source)], channels, pacing)
    assert sent == [{0: (b"p1", True)}, {0: (b"p2", True)}]
    assert clock.now == pytest.approx(0.75)  # three waits before the second part
    assert channels.aborted == []


def test_a_client_that_never_drains_is_cut_after_the_longest_wait() -> None:
    source = Source([b"p1", b"p2"])
    channels = Channels({"R": [FULL]})
    pacing = Pacing(check_every_s=0.0, wait_step_s=0.5, max_wait_s=2)
    sent, last, clock = run([streamed("R", source)], channels, pacing)
    assert sent == [{0: (b"p1", True)}] and last == {0: (b"", False)}
    assert channels.aborted == ["R"] and source.closed
    assert clock.now == pytest.approx(2.0)


def test_slow_clients_of_one_batch_share_one_wait_not_one_each() -> None:
    # The engine gives the worker up for dead when no message comes for its response
    # timeout: two stalled clients must not wait twice as long as one.
    channels = Channels({"A": [FULL], "B": [FULL]})
    pacing = Pacing(check_every_s=0.0, wait_step_s=0.5, max_wait_s=2)
    a, b = Source([b"a1", b"a2"]), Source([b"b1", b"b2"])
    sent, last, clock = run([streamed("A", a), streamed("B", b)], channels, pacing)
    assert clock.now == pytest.approx(2.0)
    assert channels.aborted == ["A", "B"] and a.closed and b.closed
    assert last == {0: (b"", False), 1: (b"", False)}


def test_the_client_is_asked_about_only_when_due() -> None:
    channels = Channels()
    source = Source([b"x" * 10] * 6)
    pacing = Pacing(check_every_s=60, check_every_bytes=25)  # every third part
    run([streamed("R", source)], channels, pacing)
    assert len(channels.asked) == 1  # after parts 1-3 (30 bytes); 6 is the last


def test_unknown_clients_stream_on() -> None:
    sent, last, _ = run([streamed("R", Source([b"1", b"2"]))], Channels({"R": [UNKNOWN]}))
    assert [m[0] for m in sent] == [(b"1", True), (b"2", True)]


# --- the wire -------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def torchserve_imported() -> None:
    import_torchserve_quietly()


def ts_context(request_ids: dict[int, str]) -> Any:
    from ts.context import Context, RequestProcessor

    context = Context("m", "/m", {}, len(request_ids), None, "0.12.0")
    context.request_ids = request_ids
    context.request_processor = [RequestProcessor({}) for _ in request_ids]
    return context


def decode(message: bytes) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """TorchServe's predict-response frame, as its frontend reads it: id -> (status,
    headers, body)."""
    offset = 0

    def integer() -> int:
        nonlocal offset
        (value,) = struct.unpack_from("!i", message, offset)
        offset += 4
        return int(value)

    def chunk() -> bytes:
        nonlocal offset
        size = integer()
        data = message[offset : offset + size]
        offset += size
        return data

    assert integer() == 200
    chunk()  # the batch's message
    predictions = {}
    while (size := integer()) != -1:
        request_id = message[offset : offset + size].decode()
        offset += size
        chunk()  # content type
        status = integer()
        chunk()  # phrase
        headers = {chunk().decode(): chunk().decode() for _ in range(integer())}
        predictions[request_id] = (status, headers, chunk())
    return predictions


def test_message_bytes_flag_each_request_for_torchserves_frontend() -> None:
    context = ts_context({0: "whole", 1: "stream", 2: "ending"})
    frame = message_bytes(context, {0: (b"w", None), 1: (b"s", True), 2: (b"", False)})
    predictions = decode(frame)
    assert predictions["whole"] == (200, {}, b"w")  # no flag: an ordinary response
    assert predictions["stream"][1:] == ({"ts_stream_next": "true"}, b"s")
    assert predictions["ending"][1:] == ({"ts_stream_next": "false"}, b"")
    assert context.stopping_criteria is None  # the next batch starts clean


def test_the_returned_message_ends_streams_that_were_flagged_to_go_on() -> None:
    from ts.protocol.otf_message_handler import create_predict_response

    context = ts_context({0: "stream"})
    message_bytes(context, {0: (b"s", True)})
    # What TorchServe sends for handle's return value, as in ts/service.py.
    final = decode(create_predict_response([b""], context.request_ids, "ok", 200, context))
    assert final["stream"][1] == {"ts_stream_next": "false"}
