"""The worker's public API for tools (serving.worker.local): a model loaded and answered in
this process the way a worker loads and answers it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.errors import ServingError
from serving.worker.local import LocalModel
from serving.worker_spec import Placement
from tests.support.fakes import isolate_user_module, worker_spec, write_model_dir
from tests.support.service import JSON, Model, service

# Doubles its input; a predict_fn that streams when asked for text/plain.
USER_CODE = """
import torch

def model_fn(model_dir, context):
    return lambda x: x * 2

def predict_fn(data, model, context):
    if context.accept == "text/plain":
        return (f"part {i};" for i in range(3))
    return model(data)
"""


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolate_user_module(monkeypatch, tmp_path)


@pytest.fixture
def local(isolated: None, tmp_path: Path) -> LocalModel:
    spec = worker_spec(write_model_dir(tmp_path, USER_CODE))
    return LocalModel.load(spec, Placement())


def test_a_loaded_model_answers_as_the_worker_does(local: LocalModel) -> None:
    assert local.device == "cpu"
    answer = local.answer(b"[[1.0, 2.0]]", JSON)
    assert (answer.status, answer.content_type) == (200, JSON)
    assert json.loads(answer.body) == [[2.0, 4.0]]


def test_a_streamed_answer_comes_whole(local: LocalModel) -> None:
    answer = local.answer(b"[1]", JSON, accept="text/plain")
    assert (answer.status, answer.body) == (200, b"part 0;part 1;part 2;")


def test_a_bad_request_is_an_answer_not_an_exception(local: LocalModel) -> None:
    answer = local.answer(b"[1", JSON)
    assert answer.status == 400 and b"Traceback" not in answer.body
    assert local.answer(b"[1]", JSON, accept="image/png").status == 406


def test_the_forward_pass_runs_predict_fn_alone_on_input_decoded_once() -> None:
    model = Model(scale=3)
    local = LocalModel(service(model=model))
    forward = local.forward_pass(b"[[1.0], [2.0]]", JSON)
    results: list[Any] = [forward() for _ in range(3)]
    assert model.calls == [(2, 1)] * 3  # one forward pass per call, no encoding
    assert [r.tolist() for r in results] == [[[3.0], [6.0]]] * 3


def test_a_streamed_forward_pass_runs_to_its_end(local: LocalModel) -> None:
    forward = local.forward_pass(b"[1]", JSON, accept="text/plain")
    assert forward() == ["part 0;", "part 1;", "part 2;"]


def test_input_that_cannot_be_decoded_fails_when_the_forward_pass_is_made() -> None:
    with pytest.raises(ServingError):
        LocalModel(service()).forward_pass(b"not json", JSON)
