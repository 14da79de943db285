"""Answers in parts on the worker side: which answers stream, how parts are encoded,
and that the user's generator is closed (its ``finally`` run) however the stream ends."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from serving.errors import ResponseTooLarge
from serving.worker.context import Headers
from serving.worker.service import Request
from serving.worker.streams import PartStream, StreamFailed, is_stream
from tests.unit.test_service import JSON, req, service

JSON_LINES = "application/jsonlines"
NPY = "application/x-npy"


class Generator:
    """A user generator that records how far it got and whether it was closed."""

    def __init__(self, items: list[Any], fail_at: int | None = None) -> None:
        self.items, self.fail_at = items, fail_at
        self.made = 0
        self.closed = False

    def __call__(self) -> Iterator[Any]:
        try:
            for index, item in enumerate(self.items):
                if index == self.fail_at:
                    raise RuntimeError("secret detail")
                self.made += 1
                yield item
        finally:
            self.closed = True


@pytest.mark.parametrize(
    ("value", "streams"),
    [
        ((x for x in []), True),
        (iter([1, 2]), True),
        (map(str, [1]), True),
        (b"bytes", False),
        ("text", False),
        ([1, 2], False),
        ({"a": 1}, False),
        (np.zeros(3), False),
        (torch.zeros(3), False),
    ],
)
def test_only_iterators_are_answers_in_parts(value: Any, streams: bool) -> None:
    assert is_stream(value) is streams


def test_parts_are_encoded_one_by_one_and_empty_parts_are_skipped() -> None:
    stream = PartStream(iter(["a", "", "b"]), str.encode, "rid")
    assert (stream.start(), stream.next_part(), stream.next_part()) == (b"a", b"b", None)
    assert stream.parts_sent == 2 and stream.closed


def test_an_empty_generator_has_no_first_part_and_is_closed() -> None:
    source = Generator([])
    stream = PartStream(source(), str.encode, "rid")
    assert stream.start() is None
    assert source.closed


def test_a_failure_before_the_first_part_propagates_after_closing() -> None:
    source = Generator(["a"], fail_at=0)
    stream = PartStream(source(), str.encode, "rid")
    with pytest.raises(RuntimeError):
        stream.start()
    assert source.closed


def test_a_failure_mid_stream_is_logged_with_the_request_id_and_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = Generator(["a", "b", "c"], fail_at=2)
    stream = PartStream(source(), str.encode, "req-7")
    assert (stream.start(), stream.next_part()) == (b"a", b"b")
    with (
        caplog.at_level(logging.ERROR, logger="serving.worker.streams"),
        pytest.raises(StreamFailed) as raised,
    ):
        stream.next_part()
    assert "secret" not in str(raised.value)  # the client never sees the text
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and "req-7" in record.getMessage()
    assert "2 parts" in record.getMessage() and record.exc_info is not None
    assert source.closed


def test_closing_a_stream_runs_the_generators_finally_once() -> None:
    source = Generator(["a", "b", "c"])
    stream = PartStream(source(), str.encode, "rid")
    stream.start()
    stream.close()
    stream.close()
    assert source.closed and source.made == 1
    assert stream.next_part() is None


def test_a_part_above_the_response_limit_fails_the_stream() -> None:
    stream = PartStream(iter(["ok", "x" * 10]), str.encode, "rid", max_part_bytes=4)
    assert stream.start() == b"ok"
    with pytest.raises(StreamFailed) as raised:
        stream.next_part()
    assert isinstance(raised.value.__cause__, ResponseTooLarge)


# --- through the service: which hooks may stream ---------------------------------------


def drain(response: Any) -> list[bytes]:
    parts = [response.body]
    while (part := response.stream.next_part()) is not None:
        parts.append(part)
    return parts


def test_a_generator_predict_fn_streams_through_the_default_output_fn() -> None:
    source = Generator([{"token": "a"}, {"token": "b"}])
    svc = service({"predict_fn": lambda data, model: source()})
    (response,) = svc.handle([req("[1]", accept=JSON_LINES)])
    assert (response.status, response.content_type) == (200, JSON_LINES)
    assert drain(response) == [b'{"token":"a"}\n', b'{"token":"b"}\n']
    assert source.closed


TOKENS = ["chunk 1: alpha\n", "chunk 2: é\n"]


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain", "text/*, application/json;q=0.5"])
def test_streamed_text_from_predict_fn_is_sent_as_utf8_text(accept: str | None) -> None:
    source = Generator(TOKENS)
    svc = service({"predict_fn": lambda data, model: source()})
    (response,) = svc.handle([req("[1]", accept=accept)])
    assert (response.status, response.content_type) == (200, "text/plain; charset=utf-8")
    assert drain(response) == [token.encode() for token in TOKENS]
    assert source.closed


def test_streamed_text_is_one_json_string_per_line_when_json_is_what_the_client_takes() -> None:
    svc = service({"predict_fn": lambda data, model: iter(TOKENS)})
    (response,) = svc.handle([req("[1]", accept=JSON_LINES)])
    assert response.content_type == JSON_LINES
    assert [json.loads(part) for part in drain(response)] == TOKENS


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/octet-stream"),
        ("*/*", "application/octet-stream"),
        ("application/octet-stream", "application/octet-stream"),
        (NPY, NPY),
    ],
)
def test_streamed_bytes_from_predict_fn_are_sent_as_they_are(
    accept: str | None, content_type: str
) -> None:
    parts = [b"\x93NUMPY\x00\xff", b"\n\n", b"tail"]
    svc = service({"predict_fn": lambda data, model: iter(parts)})
    (response,) = svc.handle([req("[1]", accept=accept)])
    assert (response.status, response.content_type) == (200, content_type)
    assert drain(response) == parts


def test_a_stream_whose_first_item_fails_in_the_default_output_fn_is_an_ordinary_error() -> None:
    source = Generator(TOKENS, fail_at=0)
    (response,) = service({"predict_fn": lambda data, model: source()}).handle([req("[1]")])
    assert (response.status, response.stream) == (500, None)
    assert source.closed


def test_streamed_tensors_use_the_negotiated_codec_per_part() -> None:
    def predict_fn(data: torch.Tensor, model: Any) -> Iterator[torch.Tensor]:
        for row in data:
            yield row * 2

    (response,) = service({"predict_fn": predict_fn}).handle([req("[[1, 2], [3, 4]]")])
    assert response.content_type == JSON  # the default accept; one JSON value per line
    assert [json.loads(p) for p in drain(response)] == [[2.0, 4.0], [6.0, 8.0]]


def test_output_fn_and_transform_fn_may_stream_with_their_own_type() -> None:
    def output_fn(prediction: Any, accept: str) -> tuple[Iterator[str], str]:
        return (f"data: {v}\n\n" for v in prediction.tolist()[0]), "text/event-stream"

    (response,) = service({"output_fn": output_fn}).handle([req("[[1, 2]]")])
    assert response.content_type == "text/event-stream"
    assert drain(response) == [b"data: 10.0\n\n", b"data: 20.0\n\n"]

    def transform_fn(model: Any, data: Any, content_type: str, accept: str) -> Iterator[bytes]:
        yield b"one"
        yield b"two"

    (response,) = service({"transform_fn": transform_fn}).handle([req("x", "text/plain")])
    assert drain(response) == [b"one", b"two"]


def test_a_stream_that_fails_before_its_first_part_is_an_ordinary_error() -> None:
    source = Generator(["a"], fail_at=0)
    (response,) = service({"predict_fn": lambda data, model: source()}).handle([req("[1]")])
    assert (response.status, response.stream) == (500, None)
    assert "secret" not in response.body.decode()
    assert source.closed


def test_an_empty_stream_is_an_empty_whole_answer() -> None:
    (response,) = service({"predict_fn": lambda data, model: iter([])}).handle([req("[1]")])
    assert (response.status, response.body, response.stream) == (200, b"", None)


def test_whole_and_streamed_answers_share_a_batch() -> None:
    def predict_fn(data: Any, model: Any) -> Any:
        return iter(["x", "y"]) if data.shape[-1] == 2 else data

    svc = service({"predict_fn": predict_fn, "output_fn": lambda p, a: p})
    whole, streamed = svc.handle(
        [
            Request("r1", Headers({"Content-Type": "text/csv"}), bytearray(b"1")),
            req("[[1, 2]]"),
        ]
    )
    assert whole.stream is None and streamed.stream is not None
    assert drain(streamed) == [b"x", b"y"]
