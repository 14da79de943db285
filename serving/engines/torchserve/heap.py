"""The size of TorchServe's Java heap, from what the server may hold: pure.

The frontend keeps every request it has accepted in its memory until a worker has
answered it; a heap too small for the queue lets a flood of large requests run the JVM
out of memory (``-XX:+ExitOnOutOfMemoryError``: every model goes down with it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from serving.config.schema import Config, ModelConfig
from serving.config.torchserve import BATCH_WITH_NO_DELAY
from serving.errors import ConfigError

# The frontend keeps a copy of each request it holds (queued, or in a batch at a worker)
# on its heap, and a second in direct memory (capped at -Xmx too) while the request
# arrives. Measured 2026-12-07 (2-vCPU machine, jcmd's class histogram): 101 queued 6 MiB
# bodies held 612 MB of byte arrays, one copy each; with the bodies all sent at once to
# a slow model, 141 waiting fitted a 1 GiB heap and 171 did not (direct buffer memory
# ran out mid-read, failing requests). The factor leaves room for the copies in transit.
HEAP_PER_BODY = 1.25
HEAP_BASE_MB = 128
DEFAULT_HEAP_MB = 1024


def batch_held(model: ModelConfig) -> int:
    """The most requests one of ``model``'s batches holds in the engine.

    >>> batch_held(ModelConfig(batch_size=8, max_batch_delay_ms=0))
    2
    """
    if model.max_batch_delay_ms == 0:
        return min(model.batch_size, BATCH_WITH_NO_DELAY)
    return model.batch_size


def requests_held(config: Config) -> int:
    """The most requests the frontend may hold at once: each model's queue, and a full
    batch at each of its workers."""
    return sum(m.queue_size + config.workers_of(m) * batch_held(m) for m in config.models)


def heap_needed_mb(config: Config) -> int:
    """The heap the frontend needs to hold :func:`requests_held` of the largest size."""
    held_mb = requests_held(config) * config.server.max_payload_mb
    return math.ceil(HEAP_BASE_MB + HEAP_PER_BODY * held_mb)


@dataclass(frozen=True)
class Heap:
    """The frontend's -Xmx, and what the operator should know about it."""

    mb: int
    warning: str | None = None


def frontend_heap(config: Config, free_mb: int | None = None) -> Heap:
    """The frontend's -Xmx: the setting, else enough for the requests it may hold (at
    least :data:`DEFAULT_HEAP_MB`), but no more than half the memory free at start
    (``free_mb``; the workers need the rest): a heap sized past the machine would only
    trade the JVM's clean exit for the kernel's OOM killer. A setting too small for the
    queue is refused: a flood of large requests would run the JVM out of memory and take
    every model down."""
    setting = config.server.torchserve.java_heap_mb
    needed = heap_needed_mb(config)
    held, payload = requests_held(config), config.server.max_payload_mb
    if setting is not None:
        if setting < needed:
            raise ConfigError(
                f"server.torchserve.java_heap_mb ({setting}) cannot hold the requests the "
                f"server may keep waiting: {held} (each model's queue_size, and workers x "
                f"batch_size) of up to {payload} MB (max_payload_mb) need about {needed} MB; "
                f"raise java_heap_mb to {needed} or more, leave it unset to size it from "
                "them, or lower queue_size or max_payload_mb"
            )
        return Heap(setting)
    ceiling = None if free_mb is None else max(DEFAULT_HEAP_MB, free_mb // 2)
    if ceiling is None or needed <= ceiling:
        return Heap(max(DEFAULT_HEAP_MB, needed))
    return Heap(
        ceiling,
        f"the frontend's heap is {ceiling} MB (half the memory free at start), short of the "
        f"{needed} MB that {held} waiting requests of {payload} MB (max_payload_mb) would "
        "need: a flood of the largest requests could run it out of memory; lower queue_size "
        "or max_payload_mb",
    )
