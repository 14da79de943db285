"""The worker's buffered reader of the frontend's frames, with TorchServe's own reader as
the oracle: the same bytes, however the socket splits them, give the same values."""

from __future__ import annotations

import socket
import struct
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serving.engines.torchserve import wire
from tests.support.torchserve import import_torchserve_quietly


@pytest.fixture(autouse=True, scope="module")
def torchserve_imported() -> None:
    import_torchserve_quietly()


def torchserves_reader() -> Any:
    from ts.protocol import otf_message_handler

    return otf_message_handler


def _string(data: bytes) -> bytes:
    return struct.pack("!i", len(data)) + data


END = struct.pack("!i", -1)

Header = tuple[bytes, bytes]
Parameter = tuple[bytes, bytes, bytes]
Request = tuple[bytes, Sequence[Header], Sequence[Parameter]]


def inference_frame(requests: Sequence[Request]) -> bytes:
    """An inference message as TorchServe's frontend writes it."""
    frame = b"I"
    for request_id, headers, parameters in requests:
        frame += _string(request_id)
        for name, value in headers:
            frame += _string(name) + _string(value)
        frame += END
        for name, content_type, value in parameters:
            frame += _string(name) + _string(content_type) + _string(value)
        frame += END
    return frame + END


def load_frame(gpu: int, limit_pixels: bool) -> bytes:
    return (
        b"L"
        + _string(b"model")
        + _string(b"/tmp/model-store/model")
        + struct.pack("!i", 8)
        + _string(b"serving.engines.torchserve.handler:handle")
        + struct.pack("!i", gpu)
        + _string(b"")
        + struct.pack("!?", limit_pixels)
    )


@contextmanager
def socket_pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    sender, receiver = socket.socketpair()
    receiver.settimeout(10)  # a reader that wants more than was sent fails, never hangs
    try:
        yield sender, receiver
    finally:
        sender.close()
        receiver.close()


def send_in_pieces(sender: socket.socket, data: bytes, cuts: Sequence[int]) -> threading.Thread:
    """Write ``data`` cut at ``cuts``, each piece its own send, from a thread (a large
    message would fill the socket's buffer before anyone reads it)."""
    edges = [0, *sorted({c % (len(data) + 1) for c in cuts}), len(data)]

    def write() -> None:
        for start, end in zip(edges, edges[1:], strict=False):
            if end > start:
                sender.sendall(data[start:end])

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def read_both(data: bytes, cuts: Sequence[int]) -> tuple[Any, Any]:
    """(TorchServe's reading, ours) of the same bytes sent twice."""
    results = []
    for reader in (torchserves_reader().retrieve_msg, wire.MessageReader()):
        with socket_pair() as (sender, receiver):
            writer = send_in_pieces(sender, data, cuts)
            results.append(reader(receiver))
            writer.join(timeout=10)
    return results[0], results[1]


names = st.binary(min_size=0, max_size=20)
headers = st.lists(st.tuples(names, st.binary(max_size=40)), max_size=10)
content_types = st.sampled_from(
    [b"application/octet-stream", b"application/json", b"text/plain", b"application/x-npy", b""]
)
bodies = st.one_of(
    st.binary(max_size=3000),
    st.just(b'{"inputs": [1, 2, 3]}'),
    st.just(b"caf\xc3\xa9"),
    st.just(b"\xff\xfe not utf-8"),
)
parameters = st.lists(
    st.tuples(st.sampled_from([b"body", b"data", b"file"]), content_types, bodies), max_size=3
)
requests = st.lists(
    st.tuples(st.binary(min_size=1, max_size=36), headers, parameters), min_size=1, max_size=4
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batch=requests,
    cuts=st.lists(st.integers(min_value=0), max_size=12),
    decode=st.sampled_from(["true", "false"]),
)
def test_an_inference_message_reads_as_torchserve_reads_it_however_it_arrives(
    batch: list[Request], cuts: list[int], decode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TS_DECODE_INPUT_REQUEST", decode)
    theirs, ours = read_both(inference_frame(batch), cuts)
    assert ours == theirs
    # the same types too: user code sees what it saw under TorchServe's reader
    for their_request, our_request in zip(theirs[1], ours[1], strict=True):
        assert type(our_request["requestId"]) is type(their_request["requestId"])
        for theirs_p, ours_p in zip(
            their_request["parameters"], our_request["parameters"], strict=True
        ):
            assert type(ours_p["value"]) is type(theirs_p["value"])


@pytest.mark.parametrize(("gpu", "limit_pixels"), [(-1, True), (0, False), (3, True)])
def test_a_load_message_reads_as_torchserve_reads_it(gpu: int, limit_pixels: bool) -> None:
    theirs, ours = read_both(load_frame(gpu, limit_pixels), [5, 17, 40])
    assert ours == theirs
    assert ("gpu" in ours[1]) is (gpu >= 0)


def test_a_large_body_arrives_whole() -> None:
    body = bytes(range(256)) * 24_000  # 6 MB, past any one recv
    frame = inference_frame(
        [(b"id", [(b"Host", b"engine")], [(b"body", b"application/x-npy", body)])]
    )
    with socket_pair() as (sender, receiver):
        writer = send_in_pieces(sender, frame, [])
        command, msg = wire.MessageReader()(receiver)
        writer.join(timeout=10)
    assert command == b"I"
    assert msg[0]["parameters"][0]["value"] == body


def test_messages_sent_back_to_back_are_read_one_at_a_time() -> None:
    first = inference_frame([(b"one", [], [(b"body", b"text/plain", b"a")])])
    second = inference_frame([(b"two", [], [(b"body", b"text/plain", b"b")])])
    reader = wire.MessageReader()
    with socket_pair() as (sender, receiver):
        sender.sendall(first + second)  # one send: the first read buffers both
        assert reader(receiver)[1][0]["requestId"] == b"one"
        assert reader(receiver)[1][0]["requestId"] == b"two"


def test_a_new_connection_starts_with_an_empty_buffer() -> None:
    reader = wire.MessageReader()
    frame = inference_frame([(b"x", [], [])])
    with socket_pair() as (sender, receiver):
        sender.sendall(frame + b"I")  # a message and the start of another
        reader(receiver)
    with socket_pair() as (sender, receiver):
        sender.sendall(frame)
        assert reader(receiver)[1][0]["requestId"] == b"x"


def test_the_frontend_closing_the_socket_ends_the_worker_as_torchserve_does() -> None:
    with socket_pair() as (sender, receiver):
        sender.sendall(b"I" + struct.pack("!i", 10) + b"abc")
        sender.shutdown(socket.SHUT_WR)
        with pytest.raises(SystemExit) as ended:
            wire.MessageReader()(receiver)
    assert ended.value.code == 0


def test_an_unknown_command_is_refused() -> None:
    with socket_pair() as (sender, receiver):
        sender.sendall(b"X")
        with pytest.raises(ValueError, match="Invalid command"):
            wire.MessageReader()(receiver)


def test_install_takes_over_the_workers_reader_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    otf_message_handler = torchserves_reader()
    worker = types.ModuleType("__main__")
    worker.retrieve_msg = otf_message_handler.retrieve_msg  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", worker)
    assert wire.install(received_lines=False)
    assert isinstance(worker.retrieve_msg, wire.MessageReader)
    assert otf_message_handler.retrieve_msg is not worker.retrieve_msg
    assert not wire.install(received_lines=False)  # once only


def test_install_outside_a_torchserve_worker_changes_nothing() -> None:
    # under pytest, __main__ is pytest's: there is no worker loop to serve
    assert not wire.install(received_lines=False)


def test_a_null_string_reads_as_empty_and_the_frame_goes_on() -> None:
    # A -1 length where a string is expected (a null envelope): empty, nothing consumed.
    frame = (
        b"L"
        + _string(b"model")
        + _string(b"/m")
        + struct.pack("!i", 1)
        + struct.pack("!i", -1)  # handler
        + struct.pack("!i", 2)  # GPU 2
        + struct.pack("!i", -1)  # envelope
        + struct.pack("!?", True)
    )
    theirs, ours = read_both(frame, [3])
    assert ours == theirs
    assert ours[1]["handler"] == bytearray() and ours[1]["gpu"] == 2
    assert ours[1]["limitMaxImagePixels"] is True
