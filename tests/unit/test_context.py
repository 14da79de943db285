"""The context hooks receive: per-request headers in, per-request response headers out."""

from __future__ import annotations

import pytest

from serving import LoadContext, RequestContext
from serving.content_types import CUSTOM_ATTRIBUTES_HEADER
from serving.worker.context import Headers
from tests.support.fakes import FakeContext


def _request(headers: dict[str, str], **kwargs: object) -> RequestContext:
    return RequestContext(
        model_name="m", model_dir="/opt/ml/model", headers=Headers(headers), **kwargs
    )


def test_headers_are_case_insensitive_and_keep_the_sent_names():
    headers = Headers({"content-TYPE": "text/csv", "Accept": "application/json"})
    assert headers["Content-Type"] == headers["CONTENT-TYPE"] == "text/csv"
    assert "accept" in headers
    assert dict(headers) == {"content-TYPE": "text/csv", "Accept": "application/json"}
    assert len(headers) == 2


def test_headers_drop_torchserve_per_part_dicts_and_decode_bytes():
    headers = Headers({"body": {"content-type": "application/json"}, "X-Raw": b"caf\xe9"})
    assert dict(headers) == {"X-Raw": "café"}


def test_headers_are_read_only():
    headers = Headers({"A": "1"})
    with pytest.raises(TypeError):
        headers["A"] = "2"  # type: ignore[index]


def test_request_context_reads_its_own_headers():
    context = _request(
        {
            "content-type": "application/json; charset=utf-8",
            "ACCEPT": "text/csv",
            "x-amzn-sagemaker-custom-attributes": "trace=1",
        }
    )
    assert context.content_type == "application/json; charset=utf-8"
    assert context.accept == "text/csv"
    assert context.custom_attributes == "trace=1"
    assert _request({}).custom_attributes is None
    assert _request({}).content_type is None


def test_sagemakers_inference_id_reaches_the_context_and_names_the_request_in_logs():
    context = _request({"X-Amzn-SageMaker-Inference-Id": "job-42"})
    assert context.inference_id == "job-42"
    assert context.label == f"{context.request_id} (inference id job-42)"
    assert _request({}).inference_id is None
    assert _request({}).label == _request({}).request_id
    # The caller's text: cut, and nothing unprintable reaches a log line.
    odd = _request({"X-Amzn-SageMaker-Inference-Id": "a\x1bb" + "x" * 300})
    assert odd.label.endswith("(inference id a?b" + "x" * 125 + ")")


def test_set_custom_attributes_sets_the_sagemaker_response_header():
    context = _request({})
    context.set_custom_attributes("x=1")
    assert context.response_headers == {CUSTOM_ATTRIBUTES_HEADER: "x=1"}


@pytest.mark.parametrize("value", ["a" * 1025, "line\nbreak", "tab\there", "caf\u00e9"])
def test_set_custom_attributes_refuses_what_sagemaker_would_not_forward(value: str):
    context = _request({})
    with pytest.raises(ValueError, match="1024 visible US-ASCII"):
        context.set_custom_attributes(value)
    assert context.response_headers == {}


def test_set_custom_attributes_accepts_exactly_1024_characters():
    context = _request({})
    context.set_custom_attributes("a" * 1024)
    assert context.response_headers[CUSTOM_ATTRIBUTES_HEADER] == "a" * 1024


def test_torchserve_shaped_members_speak_for_this_request_whatever_the_idx():
    context = _request({"X-Trace": "abc", "Content-Type": "text/csv"})
    assert context.request_processor[0].get_request_properties() == {
        "X-Trace": "abc",
        "Content-Type": "text/csv",
    }
    assert context.request_processor[0].get_request_property("x-trace") == "abc"
    assert context.get_request_header(3, "X-TRACE") == "abc"
    assert context.get_all_request_header(5) == {"X-Trace": "abc", "Content-Type": "text/csv"}
    context.set_response_header(7, "X-Model-Version", "3")
    assert context.response_headers == {"X-Model-Version": "3"}


@pytest.mark.parametrize("value", ["a\r\nSet-Cookie: x", "a\nb", "a\rb", "nul\x00", "del\x7f"])
def test_set_response_header_refuses_header_injection(value: str):
    context = _request({})
    with pytest.raises(ValueError, match="line break or other control character"):
        context.set_response_header(0, "X-Out", value)
    assert context.response_headers == {}


@pytest.mark.parametrize("key", ["", "X Out", "X-Out:", "X-Out\r\nSet-Cookie", "caf\u00e9"])
def test_set_response_header_refuses_invalid_names(key: str):
    context = _request({})
    with pytest.raises(ValueError, match="not a valid HTTP header name"):
        context.set_response_header(0, key, "v")
    context.set_response_header(0, "X-Tab-Ok", "a\tb")
    assert context.response_headers == {"X-Tab-Ok": "a\tb"}


def test_load_context_system_properties_are_torchserve_shaped():
    context = LoadContext(model_name="m", model_dir="/opt/ml/model", gpu_id=1, batch_size=4)
    assert context.system_properties == {
        "model_dir": "/opt/ml/model",
        "gpu_id": 1,
        "batch_size": 4,
        "server_name": "serving",
    }
    assert _request({}, gpu_id=2).system_properties["gpu_id"] == 2


# --- the fake TorchServe context itself: it must catch what the real one would -----


def test_fake_context_records_per_index_and_keeps_torchserve_signatures():
    fake = FakeContext({"model_dir": "/m"})
    fake.batch((b"{}", {"content-type": "application/json"}), (b"", {"Accept": "text/csv"}))
    # As TorchServe gets it from the front: a neutral type, the client's aside.
    assert fake.get_all_request_header(0) == {
        "body": {"content-type": "application/octet-stream"},
        "Content-Type": "application/octet-stream",
        "X-Serving-Client-Content-Type": "application/json",
    }
    assert fake.get_request_id(1) == "req-1"
    fake.set_response_status(415, "Unsupported Media Type", 1)
    fake.set_response_status(200)  # idx defaults to 0, as in TorchServe
    fake.set_response_content_type(1, "application/json")
    assert fake.statuses == {0: 200, 1: 415}
    assert fake.content_types == {1: "application/json"}
    with pytest.raises(IndexError):
        fake.set_response_status(200, "OK", 2)
    with pytest.raises(TypeError):
        fake.set_response_status(200, 1)  # type: ignore[arg-type]  # idx passed as phrase
