"""Numbers derived from a BenchReport: medians and spreads over repeats, paired ratios,
serving overhead and efficiency, and the wording that goes with them. Pure functions.

Units follow :mod:`serving_lab.bench.results`: latencies in µs, rates in req/s. Ratios are
candidate / baseline, so a throughput ratio above 1 and a p99 ratio below 1 favour the
candidate.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from serving_lab.bench.results import BenchReport, Floor, FloorName, LoadResult, LoadSpec

Verdict = Literal["faster", "slower", "no clear difference", "not enough repeats"]
LevelKey = tuple[str, int, float | None]  # (mode, concurrency, rate_rps)


@dataclass(frozen=True)
class Spread:
    """Median and range of a handful of repeats; NaN everywhere when there are none."""

    median: float
    min: float
    max: float
    n: int

    @property
    def spread(self) -> float:
        """(max - min) / median as a fraction: 0.1 means the repeats span 10% of the median."""
        if self.n == 0 or self.median == 0 or math.isnan(self.median):
            return math.nan
        return (self.max - self.min) / abs(self.median)

    def to_json(self) -> dict[str, float | int]:
        return {**asdict(self), "spread": self.spread}


def median_and_spread(values: Iterable[float]) -> Spread:
    """Median, min, max of the finite values; NaN/inf (a run with no successes) are left out.

    >>> median_and_spread([3.0, 1.0, 2.0]).spread
    1.0
    """
    finite = [float(v) for v in values if math.isfinite(v)]
    if not finite:
        return Spread(math.nan, math.nan, math.nan, 0)
    return Spread(statistics.median(finite), min(finite), max(finite), len(finite))


def level_key(spec: LoadSpec) -> LevelKey:
    """What identifies one load level: concurrency for a closed loop, rate for an open one."""
    return (spec.mode, spec.concurrency, spec.rate_rps if spec.mode == "open" else None)


def level_text(key: LevelKey) -> str:
    """'concurrency 8' or '200 req/s offered' for prose and table cells."""
    mode, concurrency, rate = key
    if mode == "open" and rate is not None:
        return f"{rate:g} req/s offered"
    return f"concurrency {concurrency}"


def _fields_json(obj: Any, **extra: Any) -> dict[str, Any]:
    """A summary dataclass as JSON: the level key spelled out, spreads as dicts."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name == "key":
            out.update(zip(("mode", "concurrency", "rate_rps"), value, strict=True))
        else:
            out[f.name] = value.to_json() if isinstance(value, Spread) else value
    return {**out, **extra}


@dataclass(frozen=True)
class LoadSummary:
    """One (variant, level) across its repeats. Latency spreads are of per-run percentiles."""

    variant: str
    key: LevelKey
    repeats: int
    throughput_rps: Spread
    p50_us: Spread
    p90_us: Spread
    p99_us: Spread
    sent: int
    ok: int
    errors: dict[str, int] = field(default_factory=dict)
    client_bound: bool = False
    # Streamed answers: time to the first part (the p50/p99 above are to the last part).
    first_part_p50_us: Spread | None = None
    first_part_p99_us: Spread | None = None

    @property
    def error_total(self) -> int:
        return sum(self.errors.values())

    def to_json(self) -> dict[str, Any]:
        return _fields_json(self, error_total=self.error_total)


def summarize_loads(report: BenchReport) -> list[LoadSummary]:
    """One LoadSummary per (variant, level), in the order the variants and levels first ran."""
    groups: dict[tuple[str, LevelKey], list[LoadResult]] = {}
    for load in report.loads:
        groups.setdefault((load.variant, level_key(load.result.spec)), []).append(load.result)
    out = []
    for (variant, key), results in groups.items():
        errors: Counter[str] = Counter()
        for r in results:
            errors.update(r.errors)
        out.append(
            LoadSummary(
                variant=variant,
                key=key,
                repeats=len(results),
                throughput_rps=median_and_spread(r.throughput_rps for r in results),
                p50_us=median_and_spread(r.latency_us.p50 for r in results),
                p90_us=median_and_spread(r.latency_us.p90 for r in results),
                p99_us=median_and_spread(r.latency_us.p99 for r in results),
                sent=sum(r.sent for r in results),
                ok=sum(r.ok for r in results),
                errors=dict(sorted(errors.items())),
                client_bound=any(r.client_bound for r in results),
                **_first_parts(results),
            )
        )
    return out


def _first_parts(results: list[LoadResult]) -> dict[str, Spread]:
    """The first-part spreads of runs whose answers were streamed, if all of them were."""
    firsts = [r.first_part_us for r in results]
    if not firsts or any(f is None for f in firsts):
        return {}
    return {
        "first_part_p50_us": median_and_spread(f.p50 for f in firsts if f is not None),
        "first_part_p99_us": median_and_spread(f.p99 for f in firsts if f is not None),
    }


def verdict(ratio_spread: Spread, higher_is_better: bool = True, margin: float = 0.0) -> Verdict:
    """Say 'faster' or 'slower' only when every paired ratio lies on the same side of 1.

    A range that touches or crosses 1 (widened by ``margin``, e.g. 0.02 for 2%) is
    'no clear difference'; a single pair has no range to judge noise by, so it gets
    'not enough repeats' rather than a claim.
    """
    if ratio_spread.n < 2:
        return "not enough repeats"
    if ratio_spread.min > 1.0 + margin:
        return "faster" if higher_is_better else "slower"
    if ratio_spread.max < 1.0 - margin:
        return "slower" if higher_is_better else "faster"
    return "no clear difference"


@dataclass(frozen=True)
class RatioSummary:
    """candidate / baseline at one level: from the medians, and paired repeat by repeat."""

    baseline: str
    candidate: str
    key: LevelKey
    throughput_ratio: float  # median(candidate) / median(baseline)
    throughput_paired: Spread  # of candidate[i] / baseline[i], i = repeat
    p99_ratio: float
    p99_paired: Spread

    @property
    def verdict(self) -> Verdict:
        return verdict(self.throughput_paired)

    @property
    def p99_verdict(self) -> Verdict:
        return verdict(self.p99_paired, higher_is_better=False)

    def to_json(self) -> dict[str, Any]:
        extra = {"verdict": self.verdict, "p99_verdict": self.p99_verdict, "text": describe(self)}
        return _fields_json(self, **extra)


def _div(a: float, b: float) -> float:
    return a / b if b and math.isfinite(a) and math.isfinite(b) else math.nan


def ratios(report: BenchReport, baseline: str, candidate: str) -> list[RatioSummary]:
    """candidate/baseline per level both variants ran at.

    Repeat i of one is paired with repeat i of the other: they ran back to back (A B A B),
    so a drift of the machine between repeats cancels out of each paired ratio.
    """
    by_run: dict[tuple[str, LevelKey], dict[int, LoadResult]] = {}
    for load in report.loads:
        by_run.setdefault((load.variant, level_key(load.result.spec)), {})[load.repeat] = (
            load.result
        )
    summaries = {(s.variant, s.key): s for s in summarize_loads(report)}
    out = []
    for (variant, key), base_runs in by_run.items():
        if variant != baseline or (candidate, key) not in by_run:
            continue
        cand_runs = by_run[(candidate, key)]
        pairs = [(base_runs[i], cand_runs[i]) for i in sorted(base_runs) if i in cand_runs]
        base, cand = summaries[(baseline, key)], summaries[(candidate, key)]
        out.append(
            RatioSummary(
                baseline=baseline,
                candidate=candidate,
                key=key,
                throughput_ratio=_div(cand.throughput_rps.median, base.throughput_rps.median),
                throughput_paired=median_and_spread(
                    _div(c.throughput_rps, b.throughput_rps) for b, c in pairs
                ),
                p99_ratio=_div(cand.p99_us.median, base.p99_us.median),
                p99_paired=median_and_spread(
                    _div(c.latency_us.p99, b.latency_us.p99) for b, c in pairs
                ),
            )
        )
    return out


def describe(ratio: RatioSummary) -> str:
    """One honest sentence about a throughput ratio: the claim never outruns the spread."""
    r, p = ratio.throughput_ratio, ratio.throughput_paired
    where, cand, base = level_text(ratio.key), ratio.candidate, ratio.baseline
    measured = f"{r:.2f}× throughput, paired range {p.min:.2f}–{p.max:.2f}× over {p.n} repeats"
    v = ratio.verdict
    if v in ("faster", "slower"):
        return f"At {where}, {cand} is {v} than {base}: {measured}."
    if v == "no clear difference":
        same = f"no clear difference between {cand} and {base}"
        return f"At {where}, {same}: {measured}, which includes 1.0."
    if p.n == 0:
        return f"At {where}, {cand} vs {base}: no paired repeat with a ratio to report."
    lean = "slower" if p.median < 1 else "faster" if p.median > 1 else "no different"
    one = f"in the one paired repeat ({p.median:.2f}×), too few to tell from noise"
    return f"At {where}, {cand} measured {lean} than {base} {one}."


def floor_of(floors: Iterable[Floor], name: FloorName, variant: str) -> Floor | None:
    """A variant's in-process floor of that name; the fewest threads when there are
    several, since the ceiling below multiplies a one-request cost by the cores."""
    mine = [f for f in floors if f.name == name and f.variant == variant]
    return min(mine, key=lambda f: f.threads) if mine else None


def handler_floor(floors: Iterable[Floor], variant: str) -> Floor | None:
    """The in-process handler floor of a variant (:func:`floor_of`)."""
    return floor_of(floors, "handler", variant)


def server_p50_at_one(report: BenchReport, variant: str) -> float:
    """The median over repeats of the server's p50 at closed-loop concurrency 1, in µs;
    NaN when that level was not run."""
    one = [
        s for s in summarize_loads(report) if s.variant == variant and s.key == ("closed", 1, None)
    ]
    return one[0].p50_us.median if one else math.nan


def time_split(report: BenchReport, variant: str) -> dict[str, float] | None:
    """One request's p50s from the GPU outwards, in µs: the device's busy time per forward,
    the forward pass on the host (synchronised), the handler path, the server at
    concurrency 1. None without a device floor (a CPU run); a part not measured is NaN."""

    def p50(name: FloorName) -> float:
        floor = floor_of(report.floors, name, variant)
        return floor.latency_us.p50 if floor is not None else math.nan

    if floor_of(report.floors, "device", variant) is None:
        return None
    return {
        "device": p50("device"),
        "forward": p50("forward"),
        "handler": p50("handler"),
        "server": server_p50_at_one(report, variant),
    }


def serving_overhead_us(report: BenchReport, variant: str) -> float | None:
    """Server p50 at closed-loop concurrency 1 minus the in-process handler p50, in µs:
    what HTTP, the frontend and the worker IPC add to one request. None when unmeasured."""
    floor = handler_floor(report.floors, variant)
    server = server_p50_at_one(report, variant)
    if floor is None or not math.isfinite(server):
        return None
    return server - floor.latency_us.p50


def ceiling_rps(report: BenchReport, variant: str, usable_cores: int) -> float | None:
    """The in-process ceiling: every usable core running the handler back to back."""
    floor = handler_floor(report.floors, variant)
    if floor is None or not floor.latency_us.p50 > 0:
        return None
    return usable_cores * 1e6 / floor.latency_us.p50


def efficiency(report: BenchReport, variant: str, usable_cores: int) -> dict[LevelKey, float]:
    """Median server throughput at each level as a fraction of :func:`ceiling_rps`."""
    ceiling = ceiling_rps(report, variant, usable_cores)
    if ceiling is None:
        return {}
    return {
        s.key: s.throughput_rps.median / ceiling
        for s in summarize_loads(report)
        if s.variant == variant
    }


def client_cpu_us(report: BenchReport, variant: str) -> dict[LevelKey, float]:
    """The load client's own CPU time per answered request at each level, in µs: the median
    over repeats of ``client_cpu_s / ok`` (runs that answered nothing left out)."""
    per_level: dict[LevelKey, list[float]] = {}
    for load in report.loads:
        if load.variant == variant and load.result.ok > 0:
            key = level_key(load.result.spec)
            per_level.setdefault(key, []).append(load.result.client_cpu_s * 1e6 / load.result.ok)
    return {key: statistics.median(values) for key, values in per_level.items()}


def shared_ceiling_rps(
    handler_us: float, client_us: float, usable_cores: int, machine_cores: int
) -> float:
    """The in-process ceiling once the load client runs on the same cores: the
    ``machine_cores`` share their time between the handler and the client's own work per
    request, and no more than ``usable_cores`` handlers run at once.

    >>> shared_ceiling_rps(109.0, 200.0, usable_cores=2, machine_cores=2)  # doctest: +ELLIPSIS
    6472.4...
    """
    handlers_alone = usable_cores * 1e6 / handler_us
    with_client = machine_cores * 1e6 / (handler_us + client_us)
    return min(handlers_alone, with_client)


def shared_efficiency(
    report: BenchReport, variant: str, usable_cores: int, machine_cores: int
) -> dict[LevelKey, tuple[float, float]]:
    """Per level: (:func:`shared_ceiling_rps` with that level's client CPU, the median
    server throughput as a fraction of it). Empty without a handler floor."""
    floor = handler_floor(report.floors, variant)
    if floor is None or not floor.latency_us.p50 > 0:
        return {}
    client = client_cpu_us(report, variant)
    out = {}
    for s in summarize_loads(report):
        if s.variant == variant and s.key in client:
            ceiling = shared_ceiling_rps(
                floor.latency_us.p50, client[s.key], usable_cores, machine_cores
            )
            out[s.key] = (ceiling, s.throughput_rps.median / ceiling)
    return out


def summary_json(
    report: BenchReport, pair: tuple[str, str] | None, usable_cores: int | None
) -> dict[str, Any]:
    """Everything above as plain JSON-ready data (NaN still in place; the writer nulls it)."""
    loads = summarize_loads(report)
    variants = list(dict.fromkeys(s.variant for s in loads))
    out: dict[str, Any] = {
        "pair": {"baseline": pair[0], "candidate": pair[1]} if pair else None,
        "usable_cores": usable_cores,
        "loads": [s.to_json() for s in loads],
        "ratios": [r.to_json() for r in ratios(report, *pair)] if pair else [],
        "overhead_us": {v: serving_overhead_us(report, v) for v in variants},
        "time_split_us": {v: split for v in variants if (split := time_split(report, v))},
        "efficiency": {},
    }
    machine_cores = int(report.machine.get("cores") or 0)
    for v in variants:
        if usable_cores and (ceiling := ceiling_rps(report, v, usable_cores)) is not None:
            levels = efficiency(report, v, usable_cores).items()
            shared = shared_efficiency(report, v, usable_cores, machine_cores or usable_cores)
            out["efficiency"][v] = {
                "ceiling_rps": ceiling,
                "levels": [
                    {
                        "mode": k[0],
                        "concurrency": k[1],
                        "rate_rps": k[2],
                        "fraction": f,
                        "shared_ceiling_rps": shared[k][0] if k in shared else None,
                        "shared_fraction": shared[k][1] if k in shared else None,
                    }
                    for k, f in levels
                ],
            }
    return out
