"""Batching when it is free: which models get batches of what is queued by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving import cli
from serving.config.batching import (
    ONE_BY_ONE_HOOKS,
    WHEN_FREE_BATCH_SIZE,
    batched,
    batches_when_free,
    with_default_batching,
)
from serving.config.schema import Config, ModelConfig

RUNTIME_RUNS_IT = {"model_fn", "input_fn"}  # the MiniLM example's hooks


def model(**values: Any) -> ModelConfig:
    return ModelConfig.model_validate(values)


def test_a_model_with_no_batch_size_takes_what_is_queued() -> None:
    served = with_default_batching(model(), RUNTIME_RUNS_IT)
    assert (served.batch_size, served.max_batch_delay_ms) == (WHEN_FREE_BATCH_SIZE, 0)
    assert WHEN_FREE_BATCH_SIZE > 1
    assert with_default_batching(model(), set()).batch_size == WHEN_FREE_BATCH_SIZE


@pytest.mark.parametrize("hook", sorted(ONE_BY_ONE_HOOKS))
def test_code_that_runs_the_request_itself_is_served_one_by_one(hook: str) -> None:
    assert not batches_when_free(model(), {*RUNTIME_RUNS_IT, hook})
    assert with_default_batching(model(), {hook}).batch_size == 1


@pytest.mark.parametrize("size", [1, 2, 64])
def test_a_declared_batch_size_is_kept(size: int) -> None:
    declared = model(batch_size=size)
    assert with_default_batching(declared, RUNTIME_RUNS_IT) is declared


def test_a_compiled_model_keeps_one_batch_size() -> None:
    compiled = model(compile={"enabled": True, "warmup": {"shape": [4]}})
    assert with_default_batching(compiled, RUNTIME_RUNS_IT).batch_size == 1


def test_a_declared_delay_is_kept() -> None:
    served = with_default_batching(model(max_batch_delay_ms=5), RUNTIME_RUNS_IT)
    assert (served.batch_size, served.max_batch_delay_ms) == (WHEN_FREE_BATCH_SIZE, 5)


def test_batched_applies_to_each_model_by_its_own_hooks(tmp_path: Path) -> None:
    models: list[dict[str, Any]] = [{"name": "a"}, {"name": "b"}, {"name": "c", "batch_size": 2}]
    for entry in models:
        entry["model_dir"] = str(tmp_path / entry["name"])
    config = Config.model_validate({"models": models})
    hooks = {"a": RUNTIME_RUNS_IT, "b": {"transform_fn"}, "c": set[str]()}
    sizes = [m.batch_size for m in batched(config, hooks).models]
    assert sizes == [WHEN_FREE_BATCH_SIZE, 1, 2]
    with pytest.raises(KeyError):
        batched(config, {"a": set()})


@pytest.mark.parametrize(
    ("environ", "argv", "size"),
    [
        ({}, [], WHEN_FREE_BATCH_SIZE),
        ({"SAGEMAKER_TS_BATCH_SIZE": "1"}, [], 1),  # as AWS's toolkit is told
        ({"SAGEMAKER_TS_BATCH_SIZE": "4"}, [], 4),
    ],
)
def test_a_batch_size_set_anywhere_counts_as_declared(
    environ: dict[str, str], argv: list[str], size: int
) -> None:
    config = cli.load_config(cli._parser().parse_args(["serve", *argv]), environ)
    assert batched(config, {"model": RUNTIME_RUNS_IT}).models[0].batch_size == size
