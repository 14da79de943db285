"""The data of a benchmark run: plain frozen dataclasses, serialised to results.json.

Every latency is in microseconds, every duration in seconds, every rate in requests
per second. ``SCHEMA_VERSION`` changes whenever a field changes meaning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

LoadMode = Literal["closed", "open"]
FloorName = Literal["forward", "handler", "device"]
CacheState = Literal["cold", "warm", "none"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Percentiles:
    """Exact order statistics (nearest rank) of a sample, in microseconds."""

    count: int
    p50: float
    p90: float
    p99: float
    mean: float
    min: float
    max: float

    @classmethod
    def of(cls, values_us: Sequence[float]) -> Percentiles:
        """Nearest-rank percentiles: the value at rank ceil(q * n) of the sorted sample.

        >>> Percentiles.of([4, 1, 3, 2]).p50
        2.0
        """
        if not values_us:
            nan = math.nan
            return cls(0, nan, nan, nan, nan, nan, nan)
        ordered = sorted(values_us)
        n = len(ordered)

        def rank(q: float) -> float:
            return float(ordered[max(1, math.ceil(q * n)) - 1])

        return cls(
            count=n,
            p50=rank(0.50),
            p90=rank(0.90),
            p99=rank(0.99),
            mean=float(sum(ordered) / n),
            min=float(ordered[0]),
            max=float(ordered[-1]),
        )


@dataclass(frozen=True)
class LoadSpec:
    """What one load run asked for. Every run is bounded by time *and* by count."""

    url: str
    content_type: str
    accept: str | None
    mode: LoadMode
    concurrency: int  # closed loop: requests in flight; open loop: the cap on in flight
    rate_rps: float | None  # open loop only: requests started per second
    duration_s: float
    max_requests: int
    warmup_s: float


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured (warm-up excluded)."""

    spec: LoadSpec
    sent: int
    ok: int
    errors: dict[str, int]  # by HTTP status ("503") or failure ("timeout", "connection")
    wall_s: float
    throughput_rps: float  # ok / wall_s
    latency_us: Percentiles  # successful requests only (a streamed answer: to its last part)
    client_cpu_s: float
    client_bound: bool  # the client used most of a core: the server may not be the limit
    # Streamed (chunked) answers only: request start to the first part's arrival.
    first_part_us: Percentiles | None = None


@dataclass(frozen=True)
class Floor:
    """An in-process measurement the server is compared with."""

    name: FloorName
    variant: str
    latency_us: Percentiles
    threads: int


@dataclass(frozen=True)
class Start:
    """One server start: launch to first successful answer."""

    variant: str
    cache: CacheState
    cold_start_s: float
    compile_s: float | None  # from the workers' load reports; None when not compiled
    compile_fallback: bool


@dataclass(frozen=True)
class VariantLoad:
    """One load run of one variant in one repeat (variants interleave A B A B)."""

    variant: str
    repeat: int
    result: LoadResult


@dataclass
class BenchReport:
    """Everything one `serving bench` run measured, with what it ran on."""

    model: str
    machine: dict[str, Any]
    config: dict[str, Any]
    floors: list[Floor] = field(default_factory=list)
    starts: list[Start] = field(default_factory=list)
    loads: list[VariantLoad] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
