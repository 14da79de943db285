"""How many intra-op threads each worker gets, so workers never oversubscribe the CPU."""

from __future__ import annotations

from collections.abc import Mapping


def threads_per_worker(cpus: int, workers: int) -> int:
    """Cores shared evenly among all workers of all models, at least one each, after
    one core is left to TorchServe's frontend (HTTP, queueing, the codecs' copies).

    Measured on 2 cores (serving bench, digits MLP, batch size 1,
    concurrency 8): two intra-op
    threads in the one worker served 460-550 req/s, one thread 690-820 req/s, because
    OpenMP threads spin on the core the frontend needs.

    >>> threads_per_worker(16, 3)
    5
    """
    usable = cpus - 1 if cpus > 1 else 1
    return max(1, usable // max(1, workers))


def thread_environment(environ: Mapping[str, str], threads: int) -> dict[str, str]:
    """OMP/MKL thread variables for the workers, unless the user already set them.

    They must be in the environment before a worker imports torch, which TorchServe's
    worker does before our handler runs; ``torch.set_num_threads`` in the handler then
    makes sure of it."""
    return {
        name: environ.get(name) or str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
