"""The `serving bench` command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from serving.cli import Command


def _numbers(kind: Callable[[str], object]) -> Callable[[str], tuple[object, ...]]:
    def parse(text: str) -> tuple[object, ...]:
        return tuple(kind(part) for part in text.split(",") if part.strip())

    return parse


def _workers(text: str) -> int | None:
    """A worker count, or ``auto`` (None): left to serve's sizing."""
    if text == "auto":
        return None
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError("workers must be at least 1, or auto")
    return count


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model-dir", type=Path, help="SageMaker-style model directory")
    parser.add_argument("--sample", type=Path, required=True, help="one request body")
    parser.add_argument("--content-type", required=True)
    parser.add_argument("--accept")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument(
        "--variants",
        type=_numbers(str),
        default=("eager", "compiled"),
        help="eager[:dtype] or compiled[:dtype[:mode]], e.g. eager,compiled:bfloat16:max-autotune",
    )
    parser.add_argument("--concurrency", type=_numbers(int), default=(1, 8, 32))
    parser.add_argument("--rate", type=float, help="also an open-loop run at this req/s")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before each run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per run")
    parser.add_argument(
        "--batch-size", type=int, help="models[].batch_size (default: the server's, unset)"
    )
    parser.add_argument(
        "--max-batch-delay-ms", type=int, help="models[].max_batch_delay_ms (default: the server's)"
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help="workers of the bench's server, or auto (the default): none set, sized by serve",
    )
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    parser.add_argument(
        "--device", default="auto", help="auto (the GPU where there is one), cpu, cuda, cuda:N"
    )
    parser.add_argument(
        "--compile-mode", default="default", help="for compiled variants that name none"
    )
    parser.add_argument(
        "--compile-batch-sizes",
        type=_numbers(int),
        default=(),
        help="batch sizes compiled, e.g. 1,32 (default: powers of two up to --batch-size)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="inductor cache to use and keep (default: a fresh one under --out)",
    )
    parser.add_argument("--warmup-shape", type=_numbers(int), help="one sample, e.g. 2,128")
    parser.add_argument("--warmup-dtype", help="e.g. int64")
    parser.add_argument("--no-noop", action="store_true", help="skip the no-op model server")
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="[NAME=]URL",
        help="measure this endpoint instead (repeatable: NAME=URL, interleaved)",
    )
    parser.add_argument("--baseline", help="the variant ratios are taken against")
    parser.add_argument("--candidate", help="the variant compared with the baseline")


def _named(text: str) -> tuple[str, str]:
    """``name=http://...`` or a bare URL (named "url")."""
    name, sep, url = text.partition("=")
    if sep and not name.startswith(("http://", "https://")):
        return name, url
    return "url", text


def run_bench(args: argparse.Namespace) -> int:
    """Run the plan, write results.json, report.md and the plots, print the report."""
    from serving_lab.bench.plan import BenchPlan, workers_of
    from serving_lab.bench.report import markdown, write_all
    from serving_lab.bench.runner import Bench

    if not args.url and args.model_dir is None:
        raise SystemExit("serving bench: give --model-dir (or --url for an external endpoint)")
    plan = BenchPlan(
        model_dir=(args.model_dir or Path(".")).resolve(),
        sample=args.sample.resolve(),
        content_type=args.content_type,
        accept=args.accept,
        out=args.out.resolve(),
        variants=tuple(args.variants),
        concurrencies=tuple(args.concurrency),
        rate_rps=args.rate,
        duration_s=args.duration,
        warmup_s=args.warmup,
        repeats=args.repeats,
        max_requests=args.max_requests,
        batch_size=args.batch_size,
        max_batch_delay_ms=args.max_batch_delay_ms,
        workers=args.workers,
        dtype=args.dtype,
        device=args.device,
        compile_mode=args.compile_mode,
        compile_batch_sizes=tuple(args.compile_batch_sizes),
        cache_dir=args.cache_dir.resolve() if args.cache_dir else None,
        warmup_shape=tuple(args.warmup_shape) if args.warmup_shape else None,
        warmup_dtype=args.warmup_dtype,
        noop=not args.no_noop,
        urls=tuple(_named(url) for url in args.url),
        baseline=args.baseline,
        candidate=args.candidate,
    )
    report = Bench(plan).run()
    # The in-process ceiling: each worker runs one batch at a time, with the threads the
    # floors were measured with; for external endpoints the worker count is unknown.
    parallel = None if plan.urls else workers_of(plan)
    written = write_all(report, plan.out, usable_cores=parallel)
    print(markdown(report, usable_cores=parallel))
    print("\n".join(f"wrote {path}" for path in written.values()))
    return 0


#: `serving bench`, as the lab's entry point adds it to the `serving` command line.
COMMAND = Command(
    help="eager vs compiled, under load", add_arguments=add_bench_arguments, run=run_bench
)
