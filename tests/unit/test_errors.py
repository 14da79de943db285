"""errors.error_response: every exception becomes a status and a short JSON body."""

from __future__ import annotations

import json

import pytest
import torch

from serving import InferenceError
from serving.errors import (
    ConfigError,
    ErrorResponse,
    InvalidInput,
    ModelLoadError,
    NotAcceptable,
    PayloadTooLarge,
    ServingError,
    UnsupportedContentType,
    error_response,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("bad body"), 400),
        (NotAcceptable("bad accept"), 406),
        (PayloadTooLarge("too big"), 413),
        (UnsupportedContentType("bad type"), 415),
        (ModelLoadError("no model"), 500),
        (ConfigError("bad config"), 500),
        (ServingError("generic"), 500),
    ],
)
def test_serving_errors_keep_their_status_type_and_message(error: ServingError, status: int):
    answer = error_response(error, "rid")
    assert answer == ErrorResponse(status, type(error).__name__, error.message)


def test_inference_error_chooses_status_and_message():
    answer = error_response(InferenceError(422, "text must not be empty"))
    assert answer == ErrorResponse(422, "InferenceError", "text must not be empty")
    assert json.loads(answer.body()) == {
        "code": 422,
        "type": "InferenceError",
        "message": "text must not be empty",
    }


@pytest.mark.parametrize("status", [200, 302, 399, 600, 0, -1])
def test_inference_error_refuses_statuses_outside_4xx_5xx(status: int):
    with pytest.raises(ValueError, match=f"400-599, got {status}"):
        InferenceError(status, "x")


@pytest.mark.parametrize("status", [400, 599])
def test_inference_error_bounds_are_inclusive(status: int):
    assert error_response(InferenceError(status, "edge")).status == status


class BaseInferenceToolkitError(Exception):
    """The AWS sagemaker-inference toolkit's error shape."""

    def __init__(self, status_code: int, message: str, phrase: str) -> None:
        self.status_code = status_code
        self.message = message
        self.phrase = phrase
        super().__init__(status_code, message, phrase)


def test_toolkit_style_errors_keep_their_status_and_message():
    answer = error_response(BaseInferenceToolkitError(404, "no such label", "Not Found"))
    assert answer == ErrorResponse(404, "BaseInferenceToolkitError", "no such label")


def test_status_code_attribute_without_message_uses_str():
    class Teapot(Exception):
        status_code = 418

    assert error_response(Teapot("short and stout")) == ErrorResponse(
        418, "Teapot", "short and stout"
    )


@pytest.mark.parametrize("status", [200, 302, 600, "404", None, 404.0])
def test_status_code_attributes_that_are_not_an_error_status_are_ignored(status: object):
    error = RuntimeError("secret detail")
    error.status_code = status  # type: ignore[attr-defined]
    answer = error_response(error, "rid-1")
    assert answer.status == 500
    assert "secret detail" not in answer.message


def test_memory_errors_are_507():
    expected = ErrorResponse(507, "InsufficientStorage", "out of memory while running the model")
    assert error_response(MemoryError()) == expected
    assert error_response(torch.OutOfMemoryError("CUDA out of memory. Tried ...")) == expected


def test_generic_errors_are_500_without_details_but_with_the_request_id():
    answer = error_response(RuntimeError("secret detail at /home/user/model.py"), "req-42")
    assert answer.status == 500
    assert answer.type == "InternalServerError"
    assert "req-42" in answer.message
    assert "secret detail" not in answer.message
    assert "Traceback" not in answer.body().decode()


def test_body_is_short_json_with_exactly_code_type_message():
    body = json.loads(error_response(KeyError("k"), "r").body())
    assert set(body) == {"code", "type", "message"}
    assert body["code"] == 500


def test_toolkit_style_5xx_errors_keep_their_status_but_not_their_text():
    answer = error_response(
        BaseInferenceToolkitError(503, "db password rejected for user admin", "Unavailable"),
        "req-9",
    )
    assert (answer.status, answer.type) == (503, "BaseInferenceToolkitError")
    assert "password" not in answer.message and "req-9" in answer.message


def test_torchs_cpu_allocator_failing_is_507():
    error = RuntimeError(
        "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate "
        "memory: you tried to allocate 100000000000000 bytes. Error code 12"
    )
    assert error_response(error).status == 507
    assert error_response(RuntimeError("shape mismatch")).status == 500


@pytest.mark.parametrize("raised", [SystemExit(1), KeyboardInterrupt()])
def test_base_exceptions_from_user_code_are_generic_500s(raised: BaseException):
    answer = error_response(raised, "r1")
    assert (answer.status, answer.type) == (500, "InternalServerError")


def test_an_error_carries_headers_the_front_can_answer_it_again_from() -> None:
    answer = ErrorResponse(503, "InferenceError", 'busy "now"\nretry — later')
    headers = answer.headers()
    assert headers["X-Serving-Error"] == "InferenceError"
    message = headers["X-Serving-Message"]
    assert message.isascii() and "\n" not in message and '"' not in message.replace('\\"', "")
    # Put between quotes (as the front does), it is the message again.
    assert json.loads(f'"{message}"') == 'busy "now"\nretry — later'
    # Every error is marked: the front intercepts some 4xx too (405, 408, 413).
    assert ErrorResponse(413, "InferenceError", "big").headers()["X-Serving-Error"] == (
        "InferenceError"
    )
    # A long message is cut for the header (the body itself keeps it whole).
    long = ErrorResponse(500, "InferenceError", "x" * 10_000).headers()
    assert len(long["X-Serving-Message"]) == 2000
