"""In-process floors: the bare forward pass and the handler path, timed without HTTP
(through the worker's public API, :mod:`serving.worker.local`), and on a GPU the device's
own busy time per forward pass.

Run in a subprocess of its own (``python -m serving_lab.bench.floors``) so that compiling,
thread settings and the user's module never leak into the benchmark process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from serving.worker_spec import Placement, WorkerSpec
from serving_lab.bench.results import Percentiles


def time_calls(
    call: Callable[[], Any],
    *,
    warmup: int,
    iterations: int,
    max_seconds: float,
    sync: Callable[[], None] = lambda: None,
) -> Percentiles:
    """Microsecond percentiles of ``call()``, after ``warmup`` untimed calls; bounded in
    count and in time. ``sync`` runs inside each timed call: on a GPU it waits for the
    kernels, which otherwise run on after ``call()`` has returned."""
    for _ in range(warmup):
        call()
    sync()
    samples: list[float] = []
    deadline = time.perf_counter() + max_seconds
    while len(samples) < iterations and time.perf_counter() < deadline:
        started = time.perf_counter_ns()
        call()
        sync()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return Percentiles.of(samples)


def device_busy_us(events: Iterable[Any]) -> float:
    """Microseconds of GPU work (kernels, copies, memsets) among a profiler's events:
    what the GPU itself spent, without the host's launch gaps between them."""
    from torch._C._autograd import DeviceType

    busy: float = sum(e.time_range.elapsed_us() for e in events if e.device_type == DeviceType.CUDA)
    return busy


def time_on_device(call: Callable[[], Any], *, calls: int, max_seconds: float) -> Percentiles:
    """Percentiles of the GPU's busy time per ``call()``, each call profiled on its own
    (so that the profiler's cost lands between samples, not in them)."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    samples: list[float] = []
    deadline = time.perf_counter() + max_seconds
    while not samples or (len(samples) < calls and time.perf_counter() < deadline):
        with profile(activities=[ProfilerActivity.CUDA]) as profiled:
            call()
            torch.cuda.synchronize()
        samples.append(device_busy_us(profiled.events()))
    return Percentiles.of(samples)


def measure(
    spec: WorkerSpec,
    body: bytes,
    content_type: str,
    accept: str | None,
    threads: int,
    iterations: int,
    max_seconds: float,
) -> dict[str, Any]:
    import torch

    from serving.worker.local import LocalModel

    torch.set_num_threads(threads)
    # One worker on a GPU host: the first GPU, as the server places a one-worker model.
    model = LocalModel.load(spec, Placement(gpu_id=0 if torch.cuda.is_available() else None))
    on_gpu = model.device.startswith("cuda")
    first = model.answer(body, content_type, accept)
    if first.status != 200:
        raise SystemExit(f"the sample request fails in-process ({first.status}): {first.body!r}")
    forward_pass = model.forward_pass(body, content_type, accept)
    bounds: dict[str, Any] = {
        "warmup": max(20, iterations // 10),
        "iterations": iterations,
        "max_seconds": max_seconds,
        "sync": torch.cuda.synchronize if on_gpu else (lambda: None),
    }
    forward = time_calls(forward_pass, **bounds)
    handler = time_calls(lambda: model.answer(body, content_type, accept), **bounds)
    result = {"forward": asdict(forward), "handler": asdict(handler), "threads": threads}
    if on_gpu:
        try:
            busy = time_on_device(forward_pass, calls=50, max_seconds=max_seconds)
            result["device"] = asdict(busy)
        except Exception as exc:  # noqa: BLE001 - the other floors stand without the profiler
            print(f"the device floor was not measured: {exc!r}", file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", required=True, help="the worker's spec, as JSON")
    parser.add_argument("--sample", type=Path, required=True)
    parser.add_argument("--content-type", required=True)
    parser.add_argument("--accept")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    result = measure(
        WorkerSpec.from_dict(json.loads(args.spec)),
        args.sample.read_bytes(),
        args.content_type,
        args.accept,
        args.threads,
        args.iterations,
        args.max_seconds,
    )
    # The last line of stdout is the answer; the model may have printed before it.
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
