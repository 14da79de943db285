"""Batching when it is free: which models get batches of what is queued by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving import cli
from serving.config.batching import (
    WHEN_FREE_BATCH_SIZE,
    batched,
    batches_when_free,
    with_default_batching,
)
from serving.config.schema import Config, ModelConfig
from serving.worker.hooks import REQUEST_HOOKS, UNKNOWN_HOOKS, runtime_runs_requests

RUNTIME_RUNS_IT = True  # e.g. the MiniLM example: model_fn and input_fn
SERVER = Config()


def model(**values: Any) -> ModelConfig:
    return ModelConfig.model_validate(values)


def test_a_model_with_no_batch_size_takes_one_more_already_queued() -> None:
    served = with_default_batching(model(), RUNTIME_RUNS_IT, SERVER)
    # Two: TorchServe 0.12.0's aggregator takes at most one more request with no delay.
    assert (served.batch_size, served.max_batch_delay_ms) == (2, 0) == (WHEN_FREE_BATCH_SIZE, 0)


def test_code_that_runs_the_request_itself_is_served_one_by_one() -> None:
    assert not batches_when_free(model(), False, SERVER)
    assert with_default_batching(model(), False, SERVER).batch_size == 1


@pytest.mark.parametrize(
    ("declared", "runs"),
    [
        (set[str](), True),
        ({"model_fn", "input_fn", "pre_model_fn", "model_warmup_fn"}, True),
        *[({"model_fn", hook}, False) for hook in sorted(REQUEST_HOOKS)],
        ({"model_fn", UNKNOWN_HOOKS}, False),  # e.g. from handlers import *
    ],
)
def test_the_runtime_runs_requests_unless_the_code_does(declared: set[str], runs: bool) -> None:
    assert runtime_runs_requests(declared) is runs


@pytest.mark.parametrize("size", [1, 2, 64])
def test_a_declared_batch_size_is_kept(size: int) -> None:
    declared = model(batch_size=size)
    assert with_default_batching(declared, RUNTIME_RUNS_IT, SERVER) is declared


def test_a_compiled_model_keeps_one_batch_size() -> None:
    compiled = model(compile={"enabled": True, "warmup": {"shape": [4]}})
    assert with_default_batching(compiled, RUNTIME_RUNS_IT, SERVER).batch_size == 1


def test_a_batch_transform_keeps_one_mini_batch_per_batch() -> None:
    transform = Config.model_validate({"server": {"batch_transform": True}})
    assert with_default_batching(model(), RUNTIME_RUNS_IT, transform).batch_size == 1


def test_a_delay_declared_alone_does_not_hold_a_lone_request() -> None:
    # AWS's examples set SAGEMAKER_TS_MAX_BATCH_DELAY=100000 without a batch size.
    served = with_default_batching(model(max_batch_delay_ms=100_000), RUNTIME_RUNS_IT, SERVER)
    assert (served.batch_size, served.max_batch_delay_ms) == (WHEN_FREE_BATCH_SIZE, 0)


def test_batched_applies_to_each_model_by_its_own_hooks(tmp_path: Path) -> None:
    models: list[dict[str, Any]] = [{"name": "a"}, {"name": "b"}, {"name": "c", "batch_size": 3}]
    for entry in models:
        entry["model_dir"] = str(tmp_path / entry["name"])
    config = Config.model_validate({"models": models})
    hooks = {"a": True, "b": False, "c": True}
    once = batched(config, hooks)
    assert [m.batch_size for m in once.models] == [WHEN_FREE_BATCH_SIZE, 1, 3]
    assert batched(once, hooks) == once  # a chosen batch size now counts as declared
    with pytest.raises(KeyError):
        batched(config, {"a": True})


@pytest.mark.parametrize(
    ("environ", "size"),
    [
        ({}, WHEN_FREE_BATCH_SIZE),
        ({"SAGEMAKER_TS_BATCH_SIZE": "1"}, 1),  # as AWS's toolkit is told
        ({"SAGEMAKER_TS_BATCH_SIZE": "4"}, 4),
        ({"SAGEMAKER_TS_MAX_BATCH_DELAY": "100000"}, WHEN_FREE_BATCH_SIZE),
    ],
)
def test_a_batch_size_set_anywhere_counts_as_declared(environ: dict[str, str], size: int) -> None:
    config = cli.load_config(cli._parser().parse_args(["serve"]), environ)
    assert batched(config, {"model": RUNTIME_RUNS_IT}).models[0].batch_size == size
