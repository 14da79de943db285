"""ModelService: one batch in, one answer per request out, through the real codecs."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
import torch

from serving import InferenceError
from serving.worker.context import Headers, LoadContext
from serving.worker.defaults import DEFAULT_HOOKS, default_input_fn
from serving.worker.hooks import resolve_hooks
from serving.worker.service import ModelService, Request, Response

JSON, CSV, NPY = "application/json", "text/csv", "application/x-npy"


class Model(torch.nn.Module):
    """Counts forward passes; scales by 10; refuses negative input if asked to."""

    def __init__(self, *, scale: int = 10, refuse_negative: bool = False) -> None:
        super().__init__()
        self.calls: list[tuple[int, ...]] = []
        self.scale, self.refuse_negative = scale, refuse_negative

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(tuple(x.shape))
        if self.refuse_negative and bool((x < 0).any()):
            raise ValueError("negative input")
        return x * self.scale


def service(
    user: dict[str, Any] | None = None,
    model: Any = None,
    default_accept: str = JSON,
    max_response_bytes: int | None = None,
) -> ModelService:
    hooks = resolve_hooks(user or {}, DEFAULT_HOOKS)
    context = LoadContext("m", "/m", default_accept=default_accept)
    return ModelService(hooks, Model() if model is None else model, context, max_response_bytes)


def req(body: bytes | str, content_type: str | None = JSON, accept: str | None = None) -> Request:
    headers = {"Content-Type": content_type, "Accept": accept}
    raw = body.encode() if isinstance(body, str) else body
    return Request(
        "rid", Headers({k: v for k, v in headers.items() if v is not None}), bytearray(raw)
    )


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def error(response: Response) -> dict[str, Any]:
    assert response.content_type == JSON
    body = json.loads(response.body)
    assert set(body) == {"code", "type", "message"} and body["code"] == response.status
    assert "Traceback" not in response.body.decode()
    return body


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


# --- dtypes and batching ----------------------------------------------------------------


def test_npy_keeps_int64_both_ways():
    body = npy(np.array([[1, 2**40]], dtype=np.int64))
    response = service(model=Model(scale=1)).handle([req(body, NPY, NPY)])[0]
    out = np.load(io.BytesIO(response.body))
    assert out.dtype == np.int64 and out.tolist() == [[1, 2**40]]


def test_stackable_requests_share_one_forward_pass_and_split_back():
    model = Model()
    responses = service(model=model).handle(
        [req("[[1, 2]]"), req("[[3, 4], [5, 6]]"), req("[[7, 8]]")]
    )
    assert model.calls == [(4, 2)]
    assert [json.loads(r.body) for r in responses] == [[[10, 20]], [[30, 40], [50, 60]], [[70, 80]]]


def test_a_failing_stacked_pass_falls_back_to_one_request_at_a_time():
    model = Model(refuse_negative=True)
    batch = [req("[[1, 2]]"), req("[[-1, 0]]"), req("[[3, 4]]")]
    responses = service(model=model).handle(batch)
    assert [r.status for r in responses] == [200, 500, 200]
    assert json.loads(responses[2].body) == [[30, 40]]
    assert model.calls == [(3, 2), (1, 2), (1, 2), (1, 2)]


def test_mismatched_shapes_are_not_stacked_but_still_answered():
    model = Model()
    batch = [req("[[1, 2]]"), req("[[1, 2, 3]]"), req("[[3, 4]]"), req("[5]")]
    responses = service(model=model).handle(batch)
    assert [json.loads(r.body) for r in responses] == [[[10, 20]], [[10, 20, 30]], [[30, 40]], [50]]
    assert sorted(model.calls) == [(1,), (1, 3), (2, 2)]


def test_a_user_predict_fn_runs_once_per_request():
    calls: list[tuple[int, ...]] = []

    def predict_fn(data, model):
        calls.append(tuple(data.shape))
        return data

    responses = service({"predict_fn": predict_fn}).handle([req("[[1]]"), req("[[2]]")])
    assert calls == [(1, 1), (1, 1)] and [r.body for r in responses] == [b"[[1.0]]", b"[[2.0]]"]


def test_a_user_input_fn_still_stacks_with_the_default_predict_fn():
    model = Model()
    user = {"input_fn": lambda data, ct, context: default_input_fn(data, ct, context)}
    service(user, model=model).handle([req("[[1]]"), req("[[2]]")])
    assert model.calls == [(2, 1)]


def test_transform_fn_answers_each_request_alone():
    def transform_fn(model, input_data, content_type, accept):
        if input_data == "bad":
            raise InferenceError(400, "bad input")
        return f"{input_data}|{content_type}|{accept}", "text/plain"

    responses = service({"transform_fn": transform_fn}, default_accept=CSV).handle(
        [req("[1]", "text/csv; charset=utf-8", "*/*"), req("bad", JSON)]
    )
    assert responses[0].body == b"[1]|text/csv|text/csv"
    assert [r.status for r in responses] == [200, 400]


def test_unsatisfiable_accept_is_refused_before_the_model_runs() -> None:
    model = Model()
    [response] = service(model=model).handle([req("[[1]]", accept="image/png")])
    assert response.status == 406 and "image/png" in error(response)["message"]
    assert model.calls == []


def test_a_user_output_fn_decides_about_accept_itself() -> None:
    def output_fn(prediction: Any, accept: str) -> tuple[bytes, str]:
        return b"png-ish", accept

    [response] = service({"output_fn": output_fn}).handle([req("[[1]]", accept="image/png")])
    assert (response.status, response.content_type, response.body) == (200, "image/png", b"png-ish")


def test_value_error_in_a_user_input_fn_is_the_request_s_fault() -> None:
    def input_fn(input_data: str, content_type: str) -> Any:
        return torch.tensor(json.loads(input_data))

    bad, good = service({"input_fn": input_fn}).handle([req("[[1, 2"), req("[[1, 2]]")])
    assert bad.status == 400
    assert "input_fn rejected the request" in error(bad)["message"]
    assert good.status == 200 and json.loads(good.body) == [[10.0, 20.0]]


def test_a_value_error_that_names_its_status_keeps_it() -> None:
    class UnsupportedContentType(ValueError):
        status_code = 415

    def input_fn(input_data: str, content_type: str) -> Any:
        raise UnsupportedContentType(f"send application/x-text, not {content_type}")

    [response] = service({"input_fn": input_fn}).handle([req("[[1]]")])
    assert response.status == 415
    assert error(response)["message"] == "send application/x-text, not application/json"


def test_other_errors_in_a_user_input_fn_stay_server_errors() -> None:
    def input_fn(input_data: str, content_type: str) -> Any:
        raise KeyError("secret")

    [response] = service({"input_fn": input_fn}).handle([req("[[1]]")])
    assert response.status == 500 and "secret" not in response.body.decode()


# --- user code that raises what is not an Exception ----------------------------------------


class Exits(torch.nn.Module):
    """Calls sys.exit() (or raises KeyboardInterrupt) on a row whose first value is -1."""

    def __init__(self, raised: type[BaseException]) -> None:
        super().__init__()
        self.raised = raised

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool((x[:, 0] == -1).any()):
            raise self.raised("bye from user code")
        return x * 2


@pytest.mark.parametrize("raised", [SystemExit, KeyboardInterrupt])
def test_sys_exit_in_the_model_fails_only_its_own_request(raised: type[BaseException]) -> None:
    batch = [req("[[1, 2]]"), req("[[-1, 0]]"), req("[[3, 4]]")]
    responses = service(model=Exits(raised)).handle(batch)
    assert [r.status for r in responses] == [200, 500, 200]
    assert json.loads(responses[2].body) == [[6, 8]]
    assert "bye from user code" not in error(responses[1])["message"]
    assert "rid" in error(responses[1])["message"]


@pytest.mark.parametrize("hook", ["input_fn", "predict_fn", "output_fn"])
def test_sys_exit_in_any_user_hook_fails_only_its_own_request(hook: str) -> None:
    def default(name: str) -> Any:
        return {
            "input_fn": default_input_fn,
            "predict_fn": lambda data, model: data,
            "output_fn": lambda prediction, accept: json.dumps(prediction.tolist()),
        }[name]

    def exits_on_two(*args: Any) -> Any:
        if "2" in repr(args[0]):
            raise SystemExit(3)
        return default(hook)(*args)

    user = {name: default(name) for name in ("input_fn", "predict_fn", "output_fn")}
    user[hook] = exits_on_two
    responses = service(user).handle([req("[[1]]"), req("[[2]]"), req("[[3]]")])
    assert [r.status for r in responses] == [200, 500, 200]


def test_a_cpu_out_of_memory_in_the_model_is_507() -> None:
    class Hungry(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.empty(2**62, dtype=torch.uint8)  # fails in torch's CPU allocator

    [response] = service(model=Hungry()).handle([req("[[1]]")])
    assert response.status == 507
    assert error(response)["message"] == "out of memory while running the model"


@pytest.mark.parametrize(
    ("accept", "whole", "in_a_transform_job"),
    [
        (CSV, b"10.0,20.0\n30.0,40.0\n", b"10.0,20.0\n30.0,40.0"),
        ("application/jsonlines", b"[10.0,20.0]\n[30.0,40.0]\n", b"[10.0,20.0]\n[30.0,40.0]"),
        (JSON, b"[[10.0,20.0],[30.0,40.0]]", b"[[10.0,20.0],[30.0,40.0]]"),
    ],
)
def test_a_transform_job_gets_line_records_without_a_last_newline(
    accept: str, whole: bytes, in_a_transform_job: bytes
) -> None:
    # SageMaker adds a newline after each answer (AssembleWith=Line): one of ours too
    # would leave a blank line between two mini-batches' records.
    hooks = resolve_hooks({}, DEFAULT_HOOKS)
    context = LoadContext("m", "/m")
    for batch_transform, expected in ((False, whole), (True, in_a_transform_job)):
        job = ModelService(hooks, Model(), context, batch_transform=batch_transform)
        (answer,) = job.handle([req("1,2\n3,4\n", CSV, accept)])
        assert (answer.status, answer.body) == (200, expected)
