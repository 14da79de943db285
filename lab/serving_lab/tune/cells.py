"""What `serving tune` tries, and how it picks: pure functions over plain values.

A cell is one way to serve the model: workers (intra-op threads follow from them, the
cores split evenly as ``serve`` does), batch size and delay, eager or compiled (with a
dtype). The sweep goes in stages, each around the best cell so far, so that cells that
cannot win are never started: layouts with the runtime's batching; then batch sizes and
delays on the best layout; then compiled on the best of those. Every cell it ran is in
the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from serving.config.sizing import MAX_DEFAULT_WORKERS

Objective = Literal["throughput", "latency"]

#: Batch sizes and delays tried on the best layout.
BATCH_SIZES = (4, 8, 16)
BATCH_DELAYS_MS = (1, 2, 5)
#: The most workers a sweep tries: twice the default's cap.
MAX_TUNED_WORKERS = 2 * MAX_DEFAULT_WORKERS


@dataclass(frozen=True)
class Cell:
    """One configuration to serve the model with. ``workers`` None: the runtime sizes;
    ``batch_size`` None: the runtime's batching (see serving.config.batching)."""

    workers: int | None = None
    batch_size: int | None = None
    max_batch_delay_ms: int = 1
    compiled: bool = False
    dtype: str = "float32"

    @property
    def name(self) -> str:
        """Short and unique, e.g. ``default``, ``w2``, ``w2-b8d1``, ``w2-b8d1-compiled-bf16``."""
        parts = ["default" if self.workers is None else f"w{self.workers}"]
        if self.batch_size is not None:
            parts.append(f"b{self.batch_size}d{self.max_batch_delay_ms}")
        if self.compiled:
            parts.append("compiled" + ("" if self.dtype == "float32" else f"-{_short(self.dtype)}"))
        return "-".join(parts)

    def model_settings(
        self, warmup_shape: Sequence[int] | None, warmup_dtype: str | None
    ) -> dict[str, Any]:
        """This cell's settings for a ``models`` entry of serving.yaml."""
        settings: dict[str, Any] = {}
        if self.workers is not None:
            settings["workers"] = self.workers
        if self.batch_size is not None:
            settings["batch_size"] = self.batch_size
            settings["max_batch_delay_ms"] = self.max_batch_delay_ms
        if self.dtype != "float32":
            settings["dtype"] = self.dtype
        if self.compiled:
            assert warmup_shape is not None, "compiled cells need a warm-up shape"
            warmup: dict[str, Any] = {"shape": list(warmup_shape)}
            if warmup_dtype:
                warmup["dtype"] = warmup_dtype
            settings["compile"] = {"enabled": True, "warmup": warmup}
        return settings


def _short(dtype: str) -> str:
    return {"bfloat16": "bf16", "float16": "fp16"}.get(dtype, dtype)


@dataclass(frozen=True)
class Measured:
    """A cell's load runs: throughput (req/s) and p99 (ms) of each repeat."""

    cell: Cell
    throughput_rps: tuple[float, ...]
    p99_ms: tuple[float, ...]
    p50_ms: tuple[float, ...]
    errors: int = 0

    @property
    def rps(self) -> float:
        return _median(self.throughput_rps)

    @property
    def p99(self) -> float:
        return _median(self.p99_ms)

    @property
    def p50(self) -> float:
        return _median(self.p50_ms)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def layouts(cpus: int, sized: int) -> list[Cell]:
    """Stage one: the runtime's default (``sized`` workers on this machine), then 1, 2, ...
    workers up to the cores (and at most :data:`MAX_TUNED_WORKERS`) but the default's
    count, all with the runtime's batching.

    >>> [c.name for c in layouts(4, sized=4)]
    ['default', 'w1', 'w2', 'w3']
    """
    counts = range(1, min(cpus, MAX_TUNED_WORKERS) + 1)
    return [Cell()] + [Cell(workers=w) for w in counts if w != sized]


def batchings(best: Cell) -> list[Cell]:
    """Stage two: batch sizes and delays on the best layout."""
    return [
        replace(best, batch_size=size, max_batch_delay_ms=delay)
        for size in BATCH_SIZES
        for delay in BATCH_DELAYS_MS
    ]


def compilations(
    best: Cell, bfloat16: bool, runner_up_workers: int | None | Literal["none"] = "none"
) -> list[Cell]:
    """Stage three: the best so far, compiled; in bfloat16 too where the device has it.
    With ``runner_up_workers`` (the best other worker count measured; None is the
    runtime's), also its batching on that count, compiled in the faster dtype: a faster
    forward pass can change which layout wins.

    >>> [c.name for c in compilations(Cell(workers=2), False, runner_up_workers=1)]
    ['w2-compiled', 'w1-compiled']
    """
    cells = [replace(best, compiled=True)]
    if bfloat16:
        cells.append(replace(best, compiled=True, dtype="bfloat16"))
    if runner_up_workers != "none" and runner_up_workers != best.workers:
        dtype = "bfloat16" if bfloat16 else "float32"
        cells.append(replace(best, workers=runner_up_workers, compiled=True, dtype=dtype))
    return cells


def runner_up_workers(
    results: Sequence[Measured], leader: Cell, objective: Objective, p99_limit_ms: float | None
) -> int | None | Literal["none"]:
    """The worker count of the best cell with another count than the leader's ("none"
    if there is none)."""
    others = [r for r in results if r.cell.workers != leader.workers]
    found = best(others, objective, p99_limit_ms)
    return "none" if found is None else found.cell.workers


def acceptable(result: Measured, p99_limit_ms: float | None) -> bool:
    """No errors, and within the p99 limit when there is one."""
    return result.errors == 0 and (p99_limit_ms is None or result.p99 <= p99_limit_ms)


def best(
    results: Sequence[Measured], objective: Objective, p99_limit_ms: float | None = None
) -> Measured | None:
    """The winner: the highest median throughput (objective ``throughput``) or the lowest
    median p99 (``latency``) among the acceptable cells; None if none is."""
    candidates = [r for r in results if acceptable(r, p99_limit_ms)]
    if not candidates:
        return None
    if objective == "throughput":
        return max(candidates, key=lambda r: (r.rps, -r.p99))
    return min(candidates, key=lambda r: (r.p99, -r.rps))


def serving_yaml(
    cell: Cell,
    model_dir: Path | None,
    entry: str | None,
    warmup_shape: Sequence[int] | None,
    warmup_dtype: str | None,
) -> dict[str, Any]:
    """The serving.yaml that serves ``cell``: one model, only what differs from the
    defaults (so the file says what the tuning found). Without ``model_dir`` it is the
    model's own ``code/serving.yaml`` (served from wherever the model is)."""
    model: dict[str, Any] = {"name": "model"}
    if model_dir is not None:
        model["model_dir"] = str(model_dir)
    if entry:
        model["entry"] = entry
    model |= cell.model_settings(warmup_shape, warmup_dtype)
    return {"models": [model]}


def paired_ratios(candidate: Sequence[float], baseline: Sequence[float]) -> tuple[float, ...]:
    """Candidate over baseline, repeat by repeat (runs taken side by side).

    >>> paired_ratios([4.0, 6.0], [2.0, 2.0])
    (2.0, 3.0)
    """
    return tuple(c / b for c, b in zip(candidate, baseline, strict=True) if b > 0)
