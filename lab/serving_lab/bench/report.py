"""Writes one BenchReport out: results.json, report.md and PNG charts.

results.json is ``BenchReport.to_json()`` plus a computed ``summary``; every NaN or
infinity (a statistic of an empty sample) is written as ``null``. Top-level keys:

- ``schema_version`` (int), ``model`` (str), ``machine`` and ``config`` (objects as given;
  ``machine`` read here: cpu, cores, usable_cores, torch, device), ``notes`` (list of str).
- ``floors``: in-process runs, ``{name: "forward"|"handler"|"device", variant, threads,
  latency_us}``; ``latency_us`` is Percentiles ``{count, p50, p90, p99, mean, min, max}`` in µs.
- ``starts``: ``{variant, cache, cold_start_s, compile_s, compile_fallback}``, in s.
- ``loads``: one per run, ``{variant, repeat, result}``; ``result`` has ``spec``, ``sent``,
  ``ok``, ``errors`` (count by status), ``wall_s`` (s), ``throughput_rps`` (req/s),
  ``latency_us`` (Percentiles, µs; a streamed answer's is to its last part),
  ``client_cpu_s`` (s), ``client_bound``, ``first_part_us`` (Percentiles, µs, from the
  start to the first part of streamed (chunked) answers; null when none were streamed).
- ``summary`` (from :mod:`serving_lab.bench.summary`); a Spread is
  ``{median, min, max, n, spread}`` with spread = (max - min) / median, a fraction:

  - ``pair``: ``{baseline, candidate}`` or null; ``usable_cores``: int or null.
  - ``loads``: per (variant, level) over repeats: ``variant, mode, concurrency, rate_rps,
    repeats``, ``throughput_rps`` (Spread, req/s), ``p50_us, p90_us, p99_us`` (Spreads of
    the per-run percentiles, µs), ``sent, ok, errors, error_total, client_bound`` (any run),
    ``first_part_p50_us, first_part_p99_us`` (Spreads, µs; null unless every run streamed).
  - ``ratios``: candidate / baseline per level: ``throughput_ratio`` (of the medians),
    ``throughput_paired`` (Spread of repeat-by-repeat ratios), ``verdict``, ``p99_ratio``,
    ``p99_paired``, ``p99_verdict``, ``text`` (one sentence).
  - ``overhead_us``: ``{variant: µs or null}``, server p50 at concurrency 1 minus handler p50.
  - ``time_split_us``: ``{variant: {device, forward, handler, server}}`` p50s in µs, for
    variants with a device floor (GPU runs): the device's busy time per forward pass.
  - ``efficiency``: ``{variant: {ceiling_rps (req/s), levels: [{mode, concurrency,
    rate_rps, fraction, shared_ceiling_rps, shared_fraction}]}}``, throughput as a
    fraction of the in-process ceiling, and of that ceiling lowered by the load client's
    own CPU per request on the same cores (``machine.cores``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from serving_lab.bench import summary as sm
from serving_lab.bench.results import BenchReport
from serving_lab.bench.summary import LoadSummary, Spread, level_text

Pair = tuple[str, str] | None  # (baseline, candidate)


def default_pair(report: BenchReport) -> Pair:
    """(baseline, candidate): config's ``baseline``/``candidate`` when set, else eager and
    compiled when both ran, else the first two variants in run order."""
    if "baseline" in report.config and "candidate" in report.config:
        return str(report.config["baseline"]), str(report.config["candidate"])
    variants = list(dict.fromkeys(load.variant for load in report.loads))
    if "eager" in variants and "compiled" in variants:
        return "eager", "compiled"
    return (variants[0], variants[1]) if len(variants) >= 2 else None


def usable_cores_of(report: BenchReport) -> int | None:
    """The cores the server may use (its affinity), falling back to all the machine's."""
    cores = report.machine.get("usable_cores") or report.machine.get("cores")
    return int(cores) if cores else None


def machine_line(report: BenchReport) -> str:
    """'cpu X, 8 cores (4 usable), torch 2.13.0, device cpu'; '?' where the info is missing."""
    machine = report.machine
    m = {k: machine.get(k, "?") for k in ("cpu", "cores", "torch", "device")}
    usable = f" ({machine['usable_cores']} usable)" if "usable_cores" in machine else ""
    return f"cpu {m['cpu']}, {m['cores']} cores{usable}, torch {m['torch']}, device {m['device']}"


def _nulled(value: Any) -> Any:
    """NaN/inf to None all the way down: JSON has no NaN, and a reader must not guess."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _nulled(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nulled(v) for v in value]
    return value


def results_json(
    report: BenchReport, pair: Pair = None, usable_cores: int | None = None
) -> dict[str, Any]:
    """The results.json document (module docstring), NaN already nulled."""
    pair = pair or default_pair(report)
    cores = usable_cores or usable_cores_of(report)
    document: dict[str, Any] = _nulled(
        {**report.to_json(), "summary": sm.summary_json(report, pair, cores)}
    )
    return document


def write_json(
    report: BenchReport, path: Path, pair: Pair = None, usable_cores: int | None = None
) -> Path:
    """Write results.json (:func:`results_json`) to ``path``; returns ``path``."""
    text = json.dumps(results_json(report, pair, usable_cores), indent=2, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _f(value: float | None, spec: str = ".0f", scale: float = 1.0) -> str:
    return "–" if value is None or not math.isfinite(value) else format(value * scale, spec)


def _rps(value: float) -> str:
    return _f(value, ",.0f" if value >= 100 else ".1f")


def _table(headers: str, rows: Sequence[Sequence[Any]]) -> list[str]:
    """A Markdown table; ``headers`` is one string split on '|' to keep call sites short."""
    lines = [f"| {headers.replace('|', ' | ')} |", "|" + "---|" * (headers.count("|") + 1)]
    return lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows] + [""]


def _range(s: Spread, spec: str = ".2f") -> str:
    return f"{_f(s.min, spec)}–{_f(s.max, spec)}"


def _load_row(s: LoadSummary) -> list[Any]:
    t, ms = s.throughput_rps, [_f(p.median, ".2f", 1e-3) for p in (s.p50_us, s.p90_us, s.p99_us)]
    errors = ", ".join(f"{k}: {v}" for k, v in s.errors.items()) or "0"
    throughput = f"{_rps(t.median)} [{_rps(t.min)}–{_rps(t.max)}]"
    bound = "**yes**" if s.client_bound else "no"
    return [level_text(s.key), s.repeats, throughput, _f(t.spread, ".0%"), *ms, errors, bound]


def markdown(report: BenchReport, pair: Pair = None, usable_cores: int | None = None) -> str:
    """The human report: every table states its unit; every comparison states its spread."""
    pair = pair or default_pair(report)
    cores = usable_cores or usable_cores_of(report)
    out = [f"# Benchmark: {report.model}", "", f"Machine: {machine_line(report)}", ""]
    out += ["Config: " + ", ".join(f"{k}={v}" for k, v in report.config.items()), ""]
    if report.floors:
        out += ["## In-process floors (µs)", ""]
        lat = [(f, f.latency_us) for f in report.floors]
        floors = [[f.variant, f.name, f.threads, p.count, _f(p.p50), _f(p.p99)] for f, p in lat]
        out += _table("variant|floor|threads|n|p50 µs|p99 µs", floors)
    if report.starts:
        out += ["## Cold starts (s)", ""]
        starts = [
            [s.variant, s.cache, _f(s.cold_start_s, ".1f"), _f(s.compile_s, ".1f")]
            + ["**yes**" if s.compile_fallback else "no"]
            for s in report.starts
        ]
        out += _table("variant|cache|start s|compile s|fallback", starts)
    loads = sm.summarize_loads(report)
    headers = "level|repeats|req/s median [min–max]|spread|"
    headers += "p50 ms|p90 ms|p99 ms|errors|client-bound"
    for variant in dict.fromkeys(s.variant for s in loads):
        out += [f"## Load: {variant}", ""]
        out += _table(headers, [_load_row(s) for s in loads if s.variant == variant])
    streamed = [s for s in loads if s.first_part_p50_us is not None]
    if streamed:
        out += ["## Streamed answers: first part and last part (ms)", ""]
        rows = [
            [s.variant, level_text(s.key)] + [_f(x.median, ".2f", 1e-3) for x in _stream_spreads(s)]
            for s in streamed
        ]
        out += _table("variant|level|first p50|first p99|last p50|last p99", rows)
    if any(s.client_bound for s in loads):
        out += [
            "Client-bound rows: the load generator used most of a core, so the server "
            "may not be the limit there; their throughput is a lower bound.",
            "",
        ]
    if pair and (found := sm.ratios(report, *pair)):
        base, cand = pair
        out += [f"## {cand} / {base}", ""]
        # a client-bound run on either side makes that level's ratio a client measurement
        bound = {s.key for s in loads if s.client_bound and s.variant in pair}
        rows = [
            [level_text(r.key), _f(r.throughput_ratio, ".2f"), _range(r.throughput_paired)]
            + [r.verdict, _f(r.p99_ratio, ".2f"), _range(r.p99_paired), r.p99_verdict]
            + ["**yes**" if r.key in bound else "no"]
            for r in found
        ]
        headers = "level|throughput ratio|paired range|verdict|p99 ratio|p99 paired range"
        out += _table(headers + "|p99 verdict|client-bound", rows)
        out += [f"- {sm.describe(r)}" for r in found] + [""]
        if all(r.verdict == "slower" for r in found):
            out += [f"**{cand} is slower than {base} at every level measured.**", ""]
    out += _time_split_lines(report, loads)
    out += _overhead_lines(report, loads, cores)
    out += [f"Note: {note}" for note in report.notes]
    return "\n".join(out).rstrip() + "\n"


def _stream_spreads(s: LoadSummary) -> list[Spread]:
    assert s.first_part_p50_us is not None and s.first_part_p99_us is not None
    return [s.first_part_p50_us, s.first_part_p99_us, s.p50_us, s.p99_us]


def _time_split_lines(report: BenchReport, loads: list[LoadSummary]) -> list[str]:
    """Where a GPU model's request spends its time, when the floors measured the device."""
    rows = []
    for variant in dict.fromkeys(s.variant for s in loads):
        if (split := sm.time_split(report, variant)) is not None:
            share = split["device"] / split["server"] if split["server"] > 0 else math.nan
            rows.append([variant, *(_f(split[k]) for k in _SPLIT), _f(share, ".0%")])
    if not rows:
        return []
    headers = "variant|GPU busy|forward|handler|server, concurrency 1|GPU share of server"
    return [
        "## Where one request's time goes (p50, µs)",
        "",
        *_table(headers, rows),
        "GPU busy: the device's kernels and copies per forward pass (profiler); forward: "
        "the same pass timed on the host, synchronised; handler: decode, forward, encode "
        "in-process; server: through the front at concurrency 1.",
        "",
    ]


_SPLIT = ("device", "forward", "handler", "server")


def _overhead_lines(report: BenchReport, loads: list[LoadSummary], cores: int | None) -> list[str]:
    lines = []
    for variant in dict.fromkeys(s.variant for s in loads):
        overhead = sm.serving_overhead_us(report, variant)
        if overhead is not None:
            lines.append(
                f"- {variant}: serving overhead {_f(overhead)} µs per request "
                "(server p50 at concurrency 1 minus in-process handler p50)"
            )
        ceiling = sm.ceiling_rps(report, variant, cores) if cores else None
        if ceiling is not None and cores:
            shares = sm.efficiency(report, variant, cores).items()
            reached = ", ".join(f"{_f(f, '.0%')} at {level_text(k)}" for k, f in shares)
            lines.append(
                f"- {variant}: server throughput is {reached} of the in-process ceiling, "
                f"{_rps(ceiling)} req/s = {cores} parallel handler(s) × 1e6 / "
                f"{_f(cores * 1e6 / ceiling)} µs handler p50"
            )
            machine = int(report.machine.get("cores") or cores)
            client = sm.client_cpu_us(report, variant)
            shared = sm.shared_efficiency(report, variant, cores, machine).items()
            lines += (
                [
                    f"- {variant}: with the load client's own CPU on the same {machine} core(s), "
                    + ", ".join(
                        f"{_f(f, '.0%')} of {_rps(c)} req/s at {level_text(k)} "
                        f"({_f(client[k])} µs of client CPU per request)"
                        for k, (c, f) in shared
                    )
                ]
                if shared
                else []
            )
    return ["## Overhead and efficiency", "", *lines, ""] if lines else []


def write_plots(report: BenchReport, directory: Path, pair: Pair = None) -> list[Path]:
    """Throughput, latency and ratio charts as PNGs, one set per load mode; returns the paths.

    Uses Figure with the Agg canvas directly: no pyplot, so no global figure registry to
    leak into and no backend switch for whoever imported us.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    loads, pair = sm.summarize_loads(report), pair or default_pair(report)
    paths: list[Path] = []

    def chart(panels: int = 1) -> tuple[Any, Any]:
        fig = Figure(figsize=(3 + 4 * panels, 4.5), layout="constrained")
        return fig, fig.subplots(1, panels, sharey=True, squeeze=False)[0]

    def save(fig: Any, name: str) -> None:
        fig.suptitle(f"{report.model} — {machine_line(report)}", fontsize=9)
        FigureCanvasAgg(fig).print_png(str(directory / name))  # type: ignore[no-untyped-call]
        fig.clear()  # frees the artists now; no pyplot registry holds the figure
        paths.append(directory / name)

    for mode in dict.fromkeys(s.key[0] for s in loads):
        suffix, xlabel = ("", "concurrency") if mode == "closed" else ("_open", "offered req/s")
        here = [s for s in loads if s.key[0] == mode]
        variants = list(dict.fromkeys(s.variant for s in here))
        fig, (ax,) = chart()
        for v in variants:
            _errorbar(ax, [(_x(s), s.throughput_rps) for s in here if s.variant == v], v)
        _axes(ax, xlabel, "throughput req/s (median, min–max)", here)
        save(fig, f"throughput{suffix}.png")
        fig, axes = chart(len(variants))
        for ax, v in zip(axes, variants, strict=True):
            mine = [s for s in here if s.variant == v]
            for q in ("p50", "p90", "p99"):
                _errorbar(ax, [(_x(s), getattr(s, f"{q}_us")) for s in mine], q, scale=1e-3)
            _axes(ax, xlabel, "latency ms (median, min–max)", mine, v)
        save(fig, f"latency{suffix}.png")
        found = [r for r in sm.ratios(report, *pair) if r.key[0] == mode] if pair else []
        if pair and found:
            fig, (ax,) = chart()
            ax.axhline(1.0, color="grey", linestyle="--", linewidth=1)
            for shift, label in ((0.97, "throughput"), (1.03, "p99 latency")):
                _ratio_bars(ax, found, label, shift)
            _axes(ax, xlabel, f"{pair[1]} / {pair[0]}", found)
            save(fig, f"ratio{suffix}.png")
    return paths


def _x(item: Any) -> float:
    mode, concurrency, rate = item.key
    return float(rate if mode == "open" and rate is not None else concurrency)


def _errorbar(ax: Any, points: list[tuple[float, Any]], label: str, scale: float = 1.0) -> None:
    """Median with min–max whiskers; points without a finite median are left out."""
    points = sorted(((x, s) for x, s in points if math.isfinite(s.median)), key=lambda p: p[0])
    if points:
        xs, med = [x for x, _ in points], [s.median * scale for _, s in points]
        low = [(s.median - s.min) * scale for _, s in points]
        high = [(s.max - s.median) * scale for _, s in points]
        ax.errorbar(xs, med, yerr=[low, high], marker="o", capsize=3, label=label)


def _ratio_bars(ax: Any, found: list[Any], label: str, shift: float) -> None:
    """Ratio of the medians as the point, the paired min–max as a bar: both as in the table
    (the point can sit outside the bar, so no errorbar). ``shift`` keeps the series apart."""
    q = "throughput" if label == "throughput" else "p99"
    xs = [_x(r) * shift for r in found]
    paired = [getattr(r, f"{q}_paired") for r in found]
    ys = [getattr(r, f"{q}_ratio") for r in found]
    line = ax.plot(xs, ys, "o", label=f"{label} (ratio of medians, bar: paired range)")[0]
    ax.vlines(xs, [p.min for p in paired], [p.max for p in paired], color=line.get_color())


def _axes(ax: Any, xlabel: str, ylabel: str, items: list[Any], title: str = "") -> None:
    xs = sorted({_x(i) for i in items})
    if xs and xs[0] > 0 and xs[-1] / xs[0] >= 4:  # concurrency doubles: spread it evenly
        ax.set_xscale("log", base=2)
    ax.set_xticks(xs, [f"{x:g}" for x in xs])
    ax.minorticks_off()
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)


def write_all(
    report: BenchReport, directory: Path, pair: Pair = None, usable_cores: int | None = None
) -> dict[str, Path]:
    """results.json, report.md and the charts into ``directory``, keyed by file name.

    ``pair`` (baseline, candidate) and ``usable_cores`` default to :func:`default_pair`
    and :func:`usable_cores_of`.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "results.json"
    written = {path.name: write_json(report, path, pair, usable_cores)}
    path = directory / "report.md"
    path.write_text(markdown(report, pair, usable_cores), encoding="utf-8")
    written[path.name] = path
    written.update({p.name: p for p in write_plots(report, directory, pair)})
    return written
