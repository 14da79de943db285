"""What `serving tune` writes: the winning serving.yaml, the table of every cell (JSON and
Markdown), and a plot of throughput against p99 with one point per cell."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml

from serving_lab.tune import cells as tc
from serving_lab.tune.runner import TunePlan, TuneResult


def verdict(result: TuneResult) -> str:
    """How the winner compares with the defaults, from the interleaved runs at the end."""
    winner, default = result.final_winner, result.final_default
    if result.winner is None:
        return "no cell answered without errors within the limits: nothing to recommend"
    if winner is None or default is None:
        return f"{result.winner.cell.name} won; the defaults won or were not compared"
    ratios = tc.paired_ratios(winner.throughput_rps, default.throughput_rps)
    low, high = (min(ratios), max(ratios)) if ratios else (math.nan, math.nan)
    return (
        f"{winner.cell.name}: {winner.rps:,.1f} req/s (p99 {winner.p99:.2f} ms) against the "
        f"defaults' {default.rps:,.1f} req/s (p99 {default.p99:.2f} ms): "
        f"{winner.rps / default.rps:.2f}x throughput, paired range {low:.2f}-{high:.2f}x "
        f"over {len(ratios)} interleaved repeats"
    )


def rows(result: TuneResult) -> list[dict[str, Any]]:
    """One row per measured cell, in the order they ran."""
    found = []
    for m in result.measured:
        cell = m.cell
        found.append(
            {
                "cell": cell.name,
                "workers": cell.workers,
                "batch_size": cell.batch_size,
                "max_batch_delay_ms": None if cell.batch_size is None else cell.max_batch_delay_ms,
                "compiled": cell.compiled,
                "dtype": cell.dtype,
                "rps_median": round(m.rps, 2),
                "rps_min": round(min(m.throughput_rps), 2),
                "rps_max": round(max(m.throughput_rps), 2),
                "p50_ms": round(m.p50, 3),
                "p99_ms": round(m.p99, 3),
                "errors": m.errors,
                "start_s": result.starts_s.get(cell),
                "winner": result.winner is not None and m.cell == result.winner.cell,
            }
        )
    return found


def markdown(plan: TunePlan, result: TuneResult) -> str:
    lines = [
        f"# serving tune: {plan.model_dir.name}",
        "",
        f"Objective: {plan.objective}"
        + (f", p99 at most {plan.p99_limit_ms} ms" if plan.p99_limit_ms else "")
        + f"; closed loop, concurrency {plan.concurrency}, {plan.repeats} x "
        f"{plan.duration_s:g} s per cell; {result.elapsed_s:.0f} s of a {plan.budget_s:.0f}-s "
        "budget.",
        "",
        "| cell | workers | batch | delay ms | compiled | dtype | req/s median [min-max] "
        "| p50 ms | p99 ms | errors | start s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows(result):
        name = f"**{row['cell']}**" if row["winner"] else row["cell"]
        delay = "-" if row["max_batch_delay_ms"] is None else row["max_batch_delay_ms"]
        lines.append(
            f"| {name} | {row['workers'] or 'sized'} | {row['batch_size'] or 'default'} "
            f"| {delay} | {'yes' if row['compiled'] else 'no'} "
            f"| {row['dtype']} | {row['rps_median']:,.1f} [{row['rps_min']:,.1f}-"
            f"{row['rps_max']:,.1f}] | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {row['errors']} | {row['start_s'] if row['start_s'] is not None else '-'} |"
        )
    if result.skipped:
        lines += ["", "Not run: " + "; ".join(f"{c} ({why})" for c, why in result.skipped)]
    lines += ["", verdict(result), ""]
    return "\n".join(lines)


def write_all(plan: TunePlan, result: TuneResult) -> dict[str, Path]:
    """serving.yaml (when a cell won), cells.json, report.md, tune.png; returns them."""
    out = plan.out
    written: dict[str, Path] = {}
    if result.winner is not None:
        config = tc.serving_yaml(
            result.winner.cell, None, plan.entry, plan.warmup_shape, plan.warmup_dtype
        )
        header = (
            f"# Written by `serving tune`: {verdict(result)}\n"
            "# Put it in the model's code/serving.yaml, or serve it with\n"
            f"# `serving serve --config serving.yaml --model-dir {plan.model_dir}`.\n"
        )
        (out / "serving.yaml").write_text(header + yaml.safe_dump(config, sort_keys=False))
        written["config"] = out / "serving.yaml"
    document = {
        "objective": plan.objective,
        "p99_limit_ms": plan.p99_limit_ms,
        "concurrency": plan.concurrency,
        "budget_s": plan.budget_s,
        "elapsed_s": round(result.elapsed_s, 1),
        "cells": rows(result),
        "skipped": [{"cell": c, "reason": why} for c, why in result.skipped],
        "verdict": verdict(result),
    }
    (out / "cells.json").write_text(json.dumps(document, indent=2))
    written["table"] = out / "cells.json"
    (out / "report.md").write_text(markdown(plan, result))
    written["report"] = out / "report.md"
    if result.measured:
        written["plot"] = plot(result, out / "tune.png", plan.model_dir.name)
    return written


def plot(result: TuneResult, path: Path, title: str) -> Path:
    """Throughput against p99, one point per cell; the winner and the defaults marked."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 5), layout="constrained")
    ax = fig.subplots()
    for m in result.measured:
        winner = result.winner is not None and m.cell == result.winner.cell
        marker = "*" if winner else ("s" if m.cell == tc.Cell() else "o")
        ax.plot(m.p99, m.rps, marker, markersize=12 if winner else 6)
        ax.annotate(
            m.cell.name, (m.p99, m.rps), fontsize=7, xytext=(4, 4), textcoords="offset points"
        )
    ax.set(xlabel="p99 latency ms (median of repeats)", ylabel="throughput req/s (median)")
    ax.set_title(f"serving tune: {title} (star: winner, square: defaults)", fontsize=9)
    ax.grid(alpha=0.3)
    FigureCanvasAgg(fig).print_png(str(path))  # type: ignore[no-untyped-call]
    fig.clear()
    return path
