"""ModelService: batches (stacking, dtypes, one request at a time), user hooks, and
faults that must cost only their own request."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from serving import InferenceError
from serving.worker.context import LoadContext
from serving.worker.defaults import DEFAULT_HOOKS, default_input_fn
from serving.worker.hooks import resolve_hooks
from serving.worker.service import STACKING_MISFIRES, ModelService
from tests.support.service import CSV, JSON, NPY, Model, error, npy, req, service

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


class OneRowAtATime(Model):
    """A model that takes one row only, as one traced with a fixed batch dimension."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[0] > 1:
            self.calls.append(tuple(x.shape))
            raise RuntimeError("expected a batch of 1")
        return super().forward(x)


def test_stacking_stops_after_passes_that_fail_where_each_request_runs_alone():
    model = OneRowAtATime()
    job = service(model=model)
    for _ in range(STACKING_MISFIRES + 1):
        answers = job.handle([req("[[1, 2]]"), req("[[3, 4]]")])
        assert [json.loads(a.body) for a in answers] == [[[10, 20]], [[30, 40]]]
    stacked = [(2, 2)] + [(1, 2)] * 2  # a failed stacked pass, then each alone
    assert model.calls == stacked * STACKING_MISFIRES + [(1, 2)] * 2
    assert not job.stacking


def test_a_bad_request_in_a_batch_does_not_stop_stacking():
    model = Model(refuse_negative=True)
    job = service(model=model)
    for _ in range(STACKING_MISFIRES + 1):
        answers = job.handle([req("[[1, 2]]"), req("[[-1, 0]]")])
        assert [a.status for a in answers] == [200, 500]
    assert job.stacking
    job.handle([req("[[1, 2]]"), req("[[3, 4]]")])
    assert model.calls[-1] == (2, 2)  # still one pass for the two


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


# --- a request's answer does not depend on its batch --------------------------------------


def _npy_rows(rows: list[list[float]], dtype: type) -> bytes:
    return npy(np.array(rows, dtype=dtype))


_rows = st.lists(st.lists(st.integers(-5, 5), min_size=2, max_size=2), min_size=1, max_size=3)
REQUEST_BODIES = st.one_of(
    st.tuples(st.binary(max_size=50), st.sampled_from([JSON, CSV, NPY, "text/plain"])),
    st.tuples(_rows.map(lambda rows: json.dumps(rows).encode()), st.just(JSON)),
    st.tuples(_rows.map(lambda rows: _npy_rows(rows, np.float32)), st.just(NPY)),
    st.tuples(_rows.map(lambda rows: _npy_rows(rows, np.int64)), st.just(NPY)),
    st.tuples(st.just(b"1,2\n3,4\n"), st.just(CSV)),
)
ACCEPTS = st.sampled_from([None, JSON, NPY, CSV, "image/png"])


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(REQUEST_BODIES, ACCEPTS), min_size=1, max_size=5))
def test_a_request_gets_the_same_answer_in_any_batch_as_alone(
    items: list[tuple[tuple[bytes, str], str | None]],
) -> None:
    # Stacked, split back, or run one by one after a failed stack: a row-wise model's
    # answer to each request is the one it gets when sent alone, bad neighbours or not.
    def answer(batch: list[tuple[tuple[bytes, str], str | None]]) -> list[tuple[Any, ...]]:
        requests = [req(body, content_type, accept) for (body, content_type), accept in batch]
        responses = service(model=Model(scale=3)).handle(requests)
        return [(r.status, r.content_type, bytes(r.body)) for r in responses]

    assert answer(items) == [answer([item])[0] for item in items]


# --- a batch near its shared response timeout ---------------------------------------------


class SteppingClock:
    """A clock that moves on by the next step each time it is read."""

    def __init__(self, *steps: float) -> None:
        self.now, self.steps = 0.0, list(steps)

    def __call__(self) -> float:
        self.now += self.steps.pop(0)
        return self.now


@pytest.mark.parametrize(
    ("batch_size", "batches", "warnings"),
    [
        (2, [(2, 29.0)], 0),  # a full batch under half of 60 s
        (2, [(1, 14.0)], 0),  # a full batch of two reckoned at 28 s
        (2, [(1, 16.0)], 1),  # ... at 32 s
        (1, [(1, 59.0)], 0),  # no batches: its own timeout, nothing to change
        (2, [(2, 31.0)], 1),
        (4, [(2, 31.0), (3, 50.0)], 1),  # once per worker
    ],
)
def test_a_full_batch_over_half_the_timeout_is_warned_of_once(
    batch_size: int,
    batches: list[tuple[int, float]],
    warnings: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    steps = [step for _, took in batches for step in (1.0, took)]
    context = LoadContext("m", "/m", batch_size=batch_size)
    hooks = resolve_hooks({}, DEFAULT_HOOKS)
    job = ModelService(hooks, Model(), context, response_timeout_s=60, clock=SteppingClock(*steps))
    with caplog.at_level("WARNING", logger="serving.worker.service"):
        for size, _ in batches:
            answers = job.handle([req("[[1, 2]]")] * size)
            assert [a.status for a in answers] == [200] * size
    slow = [r.getMessage() for r in caplog.records if "half the response timeout" in r.getMessage()]
    assert len(slow) == warnings
    if warnings:
        first_size, first_took = batches[0]
        expected = first_took / first_size * batch_size
        assert f"a full batch of {batch_size} could take about {expected:.0f} s" in slow[0]


def test_an_empty_batch_is_answered_with_nothing() -> None:
    context = LoadContext("m", "/m", batch_size=2)
    job = ModelService(resolve_hooks({}, DEFAULT_HOOKS), Model(), context, response_timeout_s=60)
    assert job.handle([]) == []  # nothing to reckon a full batch from
