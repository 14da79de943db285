"""The `serving tune` command line."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from serving.cli import Command
from serving.content_types import CSV, JSON, NPY, TEXT

#: The content type of a sample, by its file name's suffix, when none is given.
SAMPLE_TYPES = {".npy": NPY, ".json": JSON, ".csv": CSV, ".txt": TEXT}


def add_tune_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model_dir", type=Path, help="SageMaker-style model directory")
    parser.add_argument("--sample", type=Path, required=True, help="one request body")
    parser.add_argument("--content-type", help="default: from the sample's suffix")
    parser.add_argument("--accept")
    parser.add_argument("--entry", help="module in code/ (default inference.py)")
    parser.add_argument("--objective", choices=["throughput", "latency"], default="throughput")
    parser.add_argument("--p99-ms", type=float, help="cells above this p99 cannot win")
    parser.add_argument("--budget-min", type=float, default=10.0, help="minutes for it all")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before each run")
    parser.add_argument("--repeats", type=int, default=2, help="runs per cell")
    parser.add_argument("--final-repeats", type=int, default=3, help="winner vs defaults")
    parser.add_argument("--warmup-shape", help="one sample's shape, e.g. 2,128: allows compile")
    parser.add_argument("--warmup-dtype", help="e.g. int64")
    parser.add_argument("--out", type=Path, default=Path("tune-results"))


def sample_type(sample: Path, given: str | None) -> str:
    """The content type to send the sample with: as given, else by its suffix.

    >>> sample_type(Path("seven.npy"), None)
    'application/x-npy'
    """
    if given:
        return given
    try:
        return SAMPLE_TYPES[sample.suffix.lower()]
    except KeyError:
        raise SystemExit(f"serving tune: give --content-type for {sample.name}") from None


def fast_bfloat16(cpu_flags: set[str], cuda: bool) -> bool:
    """Whether bfloat16 is worth a cell: a GPU, or a CPU with AMX. AVX-512 BF16 alone is
    not: on a 2-vCPU Xeon without AMX, compiled bfloat16 MiniLM took 40 ms a forward
    pass against eager float32's 27 ms (2026-11-30); with AMX, 5.9 against 24 ms
    (2026-11-24, docs/bench/minilm-bf16).

    >>> fast_bfloat16({"avx512_bf16"}, cuda=False)
    False
    """
    return cuda or "amx_bf16" in cpu_flags


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return set(line.split(":", 1)[1].split())
    return set()


def run_tune(args: argparse.Namespace) -> int:
    """Sweep, write the winning serving.yaml, the table and the plot, print the report."""
    import torch

    from serving_lab.tune.report import markdown, write_all
    from serving_lab.tune.runner import TunePlan, Tuner

    for name in ("budget_min", "duration", "concurrency", "repeats", "final_repeats"):
        value = getattr(args, name)
        if not (math.isfinite(value) and value > 0):
            raise SystemExit(f"serving tune: --{name.replace('_', '-')} must be positive")
    shape = tuple(int(p) for p in args.warmup_shape.split(",")) if args.warmup_shape else None
    plan = TunePlan(
        model_dir=args.model_dir.resolve(),
        sample=args.sample.resolve(),
        content_type=sample_type(args.sample, args.content_type),
        accept=args.accept,
        entry=args.entry,
        out=args.out.resolve(),
        objective=args.objective,
        p99_limit_ms=args.p99_ms,
        budget_s=args.budget_min * 60,
        concurrency=args.concurrency,
        duration_s=args.duration,
        warmup_s=args.warmup,
        repeats=args.repeats,
        final_repeats=args.final_repeats,
        warmup_shape=shape,
        warmup_dtype=args.warmup_dtype,
        bfloat16=fast_bfloat16(_cpu_flags(), torch.cuda.is_available()),
    )
    result = Tuner(plan, progress=lambda line: print(line, flush=True)).run()
    written = write_all(plan, result)
    print(markdown(plan, result))
    print("\n".join(f"wrote {path}" for path in written.values()))
    return 0 if result.winner is not None else 1


#: `serving tune`, as the lab's entry point adds it to the `serving` command line.
COMMAND = Command(
    help="find the fastest way to serve a model, measured",
    add_arguments=add_tune_arguments,
    run=run_tune,
)
