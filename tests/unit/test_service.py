"""ModelService: what the hooks receive, content negotiation, and errors as answers."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from serving import InferenceError
from serving.worker.codecs import CODECS
from serving.worker.context import Headers
from serving.worker.service import Request
from tests.support.service import CSV, JSON, NPY, error, npy, req, service

# --- what input_fn receives --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "kind", "bare"),
    [
        ("application/json", str, JSON),
        ("Application/JSON; charset=utf-8", str, JSON),
        ("text/csv; charset=utf-8", str, CSV),
        ("Application/X-NPY; v=1", bytes, NPY),
        ("text/plain; charset=utf-8", bytes, "text/plain"),
        ("image/png", bytes, "image/png"),
    ],
)
def test_input_fn_gets_str_for_json_and_csv_else_bytes(content_type: str, kind: type, bare: str):
    seen: list[tuple[type, str]] = []

    def input_fn(input_data, content_type):
        seen.append((type(input_data), content_type))
        return torch.zeros(1)

    response = service({"input_fn": input_fn}).handle([req(b"1", content_type)])[0]
    assert response.status == 200
    assert seen == [(kind, bare)]  # bytes, never TorchServe's bytearray


@pytest.mark.parametrize("name", ["content-type", "CONTENT-TYPE", "Content-Type"])
def test_header_names_are_case_insensitive(name: str):
    request = Request("r", Headers({name: "text/csv; charset=utf-8", "ACCEPT": CSV}), b"1,2\n")
    response = service().handle([request])[0]
    assert (response.status, response.body, response.content_type) == (200, b"10.0,20.0\n", CSV)


def test_json_with_a_byte_order_mark_is_accepted():
    response = service().handle([req(b"\xef\xbb\xbf[1.5]")])[0]
    assert (response.status, response.body) == (200, b"[15.0]")


# --- Accept -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "produced"),
    [
        (None, CSV),
        ("*/*", CSV),
        ("", CSV),
        ("text/csv;q=0.5, application/json", JSON),
        ("application/json;q=0.2, application/x-npy;q=0.9", NPY),
        ("application/*", JSON),
    ],
)
def test_accept_q_values_and_defaults(accept: str | None, produced: str):
    response = service(default_accept=CSV).handle([req("[[1, 2]]", JSON, accept)])[0]
    assert (response.status, response.content_type) == (200, produced)


def test_bare_body_from_output_fn_gets_the_type_chosen_not_the_raw_accept():
    accept = "application/json, text/csv;q=0.5"
    bare = service({"output_fn": lambda prediction, accept: b"[1]"})
    assert bare.handle([req("[1]", JSON, accept)])[0].content_type == JSON
    untyped = service({"output_fn": lambda prediction, accept: (b"[1]", None)})
    assert untyped.handle([req("[1]", JSON, accept)])[0].content_type == JSON
    assert bare.handle([req("[1]", JSON, "*/*")])[0].content_type == JSON
    assert bare.handle([req("[1]", JSON, "application/*")])[0].content_type == JSON


@pytest.mark.parametrize(("accept", "given"), [(None, CSV), ("*/*", CSV), ("text/*", "text/*")])
def test_output_fn_gets_the_default_accept_for_a_missing_or_any_accept(accept, given):
    seen: list[str] = []

    def output_fn(prediction, accept):
        seen.append(accept)
        return b"1"

    service({"output_fn": output_fn}, default_accept=CSV).handle([req("[1]", JSON, accept)])
    assert seen == [given]


def test_output_fn_naming_its_type_is_kept():
    answer = service({"output_fn": lambda prediction, accept: ("ok", "text/plain; charset=utf-8")})
    response = answer.handle([req("[1]", JSON, CSV)])[0]
    assert (response.body, response.content_type) == (b"ok", "text/plain; charset=utf-8")


PIPELINE_OUTPUT = [{"label": "POSITIVE", "score": 0.98}, {"label": "NEGATIVE", "score": 0.02}]


@pytest.mark.parametrize("accept", [CSV, NPY])
def test_a_value_the_accepted_type_cannot_hold_is_answered_as_json_labelled_so(accept: str):
    # A transformers pipeline's list of dicts, through the default output_fn, and a dict
    # from a user's output_fn: AWS's toolkit answers both 200 (JSON labelled as the
    # Accept type); a 406 would fail the request. JSON, labelled as what it is.
    default = service({"predict_fn": lambda data, model: PIPELINE_OUTPUT})
    users = service({"output_fn": lambda prediction, accept: {"label": "POSITIVE"}})
    for svc, expected in ((default, PIPELINE_OUTPUT), (users, {"label": "POSITIVE"})):
        response = svc.handle([req("[1]", JSON, accept)])[0]
        assert (response.status, response.content_type) == (200, JSON)
        assert json.loads(response.body) == expected


def test_an_accept_with_no_codec_at_all_is_still_a_406():
    svc = service({"predict_fn": lambda data, model: PIPELINE_OUTPUT})
    assert svc.handle([req("[1]", JSON, "image/png")])[0].status == 406


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "accept", "status", "message"),
    [
        ("[1", JSON, None, 400, "malformed JSON body"),
        ("1,2\n3\n", CSV, None, 400, "ragged CSV: row 2 has 1 fields, row 1 has 2"),
        (b"\x93NUMPY garbage", NPY, None, 400, "malformed NPY body"),
        (b"\xff\xfe", CSV, None, 400, "not valid UTF-8"),
        ("[1]", "image/png", None, 415, "unsupported Content-Type 'image/png'"),
        ("[1]", None, None, 415, "missing Content-Type"),
        ("[1]", JSON, "image/png", 406, "cannot satisfy Accept 'image/png'"),
        ("[1]", JSON, "application/json;q=0", 406, "cannot satisfy Accept"),
    ],
)
def test_bad_requests_get_a_short_json_error(body, content_type, accept, status, message):
    response = service().handle([req(body, content_type, accept)])[0]
    assert response.status == status
    assert message in error(response)["message"]


UNPICKLED: list[str] = []


def _record(value: str) -> str:
    UNPICKLED.append(value)
    return value


class Payload:
    def __reduce__(self) -> tuple[Any, ...]:
        return (_record, ("unpickled",))


def test_object_npy_is_a_400_and_never_unpickled():
    response = service().handle([req(npy(np.array([Payload()], dtype=object)), NPY)])[0]
    assert response.status == 400
    assert "pickled object arrays are refused" in error(response)["message"]
    assert UNPICKLED == []


def test_internal_errors_do_not_leak_their_message():
    def predict_fn(data, model):
        raise RuntimeError("secret detail")

    response = service({"predict_fn": predict_fn}).handle([req("[1]")])[0]
    assert response.status == 500
    assert "secret detail" not in response.body.decode()
    assert "rid" in error(response)["message"]


def test_inference_error_and_toolkit_errors_keep_their_status():
    class ToolkitError(Exception):
        def __init__(self, status_code: int, message: str) -> None:
            super().__init__(status_code, message)
            self.status_code, self.message = status_code, message

    def input_fn(input_data, content_type):
        if input_data == "[]":
            raise InferenceError(422, "text must not be empty")
        raise ToolkitError(404, "no such label")

    responses = service({"input_fn": input_fn}).handle([req("[]"), req("[2]")])
    assert [(r.status, error(r)["message"]) for r in responses] == [
        (422, "text must not be empty"),
        (404, "no such label"),
    ]


def test_a_response_above_the_limit_is_a_clean_500():
    response = service(max_response_bytes=16).handle([req(json.dumps(list(range(20))))])[0]
    assert response.status == 500
    assert "above the 16-byte limit" in error(response)["message"]
    assert service(max_response_bytes=16).handle([req("[1]")])[0].status == 200


# --- any body, any type -----------------------------------------------------------------

MEDIA_TYPES = [*CODECS, "application/json; charset=utf-8", "text/csv;header=absent", "image/png"]
ACCEPTS = [None, "*/*", *CODECS, "image/png", "application/*;q=0.5, text/csv", ";;;", "*/*;q=x"]


@settings(max_examples=400, deadline=None, database=None)
@given(
    body=st.one_of(st.binary(max_size=200), st.text(max_size=100).map(str.encode)),
    content_type=st.sampled_from(MEDIA_TYPES),
    accept=st.sampled_from(ACCEPTS),
)
def test_no_body_type_or_accept_is_a_server_error(
    body: bytes, content_type: str, accept: str | None
) -> None:
    # A model that takes anything: what is left to fail is decoding and encoding, and a
    # client's bytes must only ever cost a 4xx there.
    [response] = service(model=lambda data: data).handle([req(body, content_type, accept)])
    assert response.status < 500, (response.status, response.body)
    if response.status != 200:
        error(response)  # the short JSON error, no traceback
