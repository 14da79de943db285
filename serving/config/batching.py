"""Batching when it is free: the default for a model that declares no ``batch_size``.

Such a model gets ``batch_size`` :data:`WHEN_FREE_BATCH_SIZE` with ``max_batch_delay_ms``
0: a lone request goes at once, as with no batching, and a request already waiting when a
worker takes one joins it, sharing one message to the worker and, where the runtime runs
the model itself (the default ``predict_fn``), one forward pass, split back per request
(the worker turns stacking off for good on an output it cannot split).

Two, because that is what TorchServe 0.12.0's aggregator takes with no delay: its
``Model.pollBatch`` takes the first request, then polls for the others while the delay
lasts and stops once it is spent, so with a delay of 0 it takes at most one more,
however many are queued (read from its source; a batch size above 2 would only make the
frontend's heap reserve room for requests it never batches). Measured on a 2-vCPU EPYC
(docs/performance.md): 1.26x the throughput of no batching on the peers' MLP at
concurrency 8, 1.21x AWS's toolkit hand-tuned on a MiniLM encoder where no batching gave
1.08x, and no cost at concurrency 1.

It stays one request per batch where batching would not be free, or is not known to be:

- code that declares ``predict_fn``, ``transform_fn`` or ``output_fn``, or whose hooks
  cannot be read without running it (``from x import *``): a batch would be requests
  run one after another, each answered only when the last is (a stream, too, would hold
  its batch's other answers);
- a compiled model: every batch size is compiled and warmed up at load;
- a batch transform (``server.batch_transform``): each request is already a mini-batch of
  records, up to the payload limit, and SageMaker sends as many at once as it is told.

A ``max_batch_delay_ms`` without a ``batch_size`` is not taken as a wish to wait: AWS's
examples set ``SAGEMAKER_TS_MAX_BATCH_DELAY`` alone, which meant nothing with one request
per batch, and must not now hold a lone request.

Pure: whether the runtime runs a model's requests is read from its code at the edge
(``serving.admission``, ``serving.worker.hooks.runtime_runs_requests``).
"""

from __future__ import annotations

from collections.abc import Mapping

from serving.config.schema import Config, ModelConfig
from serving.config.torchserve import BATCH_WITH_NO_DELAY

#: The batch size when the model declares none: the first request and one already queued,
#: all that the engine takes with no delay.
WHEN_FREE_BATCH_SIZE = BATCH_WITH_NO_DELAY


def batches_when_free(model: ModelConfig, runtime_runs_it: bool, config: Config) -> bool:
    """Whether ``model`` gets batches of what is queued: it declares no ``batch_size`` of
    its own, the runtime runs its requests (``runtime_runs_it``: its code declares no
    ``predict_fn``, ``transform_fn`` or ``output_fn``; see
    ``serving.worker.hooks.runtime_runs_requests``), it is not compiled, and the server is
    not serving a batch transform.

    >>> batches_when_free(ModelConfig(), True, Config())
    True
    >>> batches_when_free(ModelConfig(), False, Config())
    False
    >>> batches_when_free(ModelConfig(batch_size=1), True, Config())
    False
    """
    return (
        runtime_runs_it
        and "batch_size" not in model.model_fields_set
        and not model.compile.enabled
        and not config.server.batch_transform
    )


def with_default_batching(model: ModelConfig, runtime_runs_it: bool, config: Config) -> ModelConfig:
    """``model`` with batches of what is queued when :func:`batches_when_free` says so;
    else ``model`` itself."""
    if not batches_when_free(model, runtime_runs_it, config):
        return model
    return model.model_copy(update={"batch_size": WHEN_FREE_BATCH_SIZE, "max_batch_delay_ms": 0})


def batched(config: Config, runtime_runs: Mapping[str, bool]) -> Config:
    """``config`` with :func:`with_default_batching` applied to every model,
    ``runtime_runs`` saying by model name whether the runtime runs its requests."""
    models = tuple(with_default_batching(m, runtime_runs[m.name], config) for m in config.models)
    return config.model_copy(update={"models": models})
