"""Batching when it is free: the default for a model that declares no ``batch_size``.

Such a model gets batches of what is already queued (``batch_size``
:data:`WHEN_FREE_BATCH_SIZE`, ``max_batch_delay_ms`` 0): a lone request goes at once,
as with no batching, and requests that are waiting anyway share one message to the
worker and, where the runtime runs the model itself (the default ``predict_fn``), one
forward pass, split back per request (the worker turns stacking off for good on an output
it cannot split). Measured on a 2-vCPU EPYC (docs/performance.md): 1.26x the
throughput of no batching on the peers' MLP at concurrency 8, 1.22x AWS's toolkit
hand-tuned on a MiniLM encoder where no batching gave 1.08x, and no cost at concurrency 1.

It stays one request per batch where batching would not be free:

- code that declares ``predict_fn``, ``transform_fn`` or ``output_fn``: the runtime does
  not run the model itself, so a batch would be requests run one after another, each
  answered only when the last is (a stream, too, would hold its batch's other answers);
- a compiled model: every batch size is compiled and warmed up at load.

Pure: the hooks are read from the model's code at the edge (``serving.admission``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from serving.config.schema import Config, ModelConfig

#: The most requests a batch of what is queued takes, when the model declares none.
WHEN_FREE_BATCH_SIZE = 8

#: Hooks that run a request's work in the user's code: their model is served one by one.
ONE_BY_ONE_HOOKS = frozenset({"predict_fn", "transform_fn", "output_fn"})


def batches_when_free(model: ModelConfig, hooks: Collection[str]) -> bool:
    """Whether ``model`` (whose code declares ``hooks``) gets batches of what is queued:
    it declares no ``batch_size`` of its own, is not compiled, and the runtime runs its
    model and encodes its answers.

    >>> batches_when_free(ModelConfig(), {"model_fn", "input_fn"})
    True
    >>> batches_when_free(ModelConfig(), {"model_fn", "predict_fn"})
    False
    >>> batches_when_free(ModelConfig(batch_size=1), set())
    False
    """
    return (
        "batch_size" not in model.model_fields_set
        and not model.compile.enabled
        and not ONE_BY_ONE_HOOKS.intersection(hooks)
    )


def with_default_batching(model: ModelConfig, hooks: Collection[str]) -> ModelConfig:
    """``model`` with batches of what is queued when :func:`batches_when_free` says so
    (a ``max_batch_delay_ms`` of its own is kept); else ``model`` itself."""
    if not batches_when_free(model, hooks):
        return model
    update: dict[str, int] = {"batch_size": WHEN_FREE_BATCH_SIZE}
    if "max_batch_delay_ms" not in model.model_fields_set:
        update["max_batch_delay_ms"] = 0
    return model.model_copy(update=update)


def batched(config: Config, hooks: Mapping[str, Collection[str]]) -> Config:
    """``config`` with :func:`with_default_batching` applied to every model, ``hooks``
    holding each model's declared hooks by name."""
    models = tuple(with_default_batching(m, hooks[m.name]) for m in config.models)
    return config.model_copy(update={"models": models})
