"""`serving bench`: start the runtime for one model in each variant, drive it, report.

One run measures, on this machine and in this order:
1. cold starts: a no-op model, eager, compiled with an empty inductor cache;
2. the in-process floors (bare forward, handler path) of each variant, in subprocesses;
3. load, variants interleaved (A B, then B A, ...) for every repeat and concurrency,
   all servers up the whole time so that each variant sees the same machine;
4. a restart of the compiled variant with the cache the first start filled.
With ``--url`` it only drives the given endpoints (``NAME=URL``, repeatable), interleaved
the same way, so another container or the AWS toolkit is measured side by side with
the same client.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from serving import process
from serving.bench.results import (
    BenchReport,
    CacheState,
    Floor,
    FloorName,
    LoadMode,
    LoadResult,
    LoadSpec,
    Percentiles,
    Start,
    VariantLoad,
)
from serving.bench.server import SampleRefused, Server, answers
from serving.engine import engine_class
from serving.load_report import read_load_reports
from serving.net import free_port
from serving.startup.environment import cache_dir
from serving.startup.layering import build_config
from serving.startup.sizing import (
    available_cpus,
    default_workers,
    gpu_count,
    threads_per_worker,
)
from serving.worker_spec import worker_spec

NOOP_MODULE = """
def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    return b"0", "application/json"
"""
_CLIENT_SETTINGS = {
    "sample",
    "content_type",
    "accept",
    "out",
    "concurrencies",
    "rate_rps",
    "duration_s",
    "warmup_s",
    "repeats",
    "max_requests",
    "urls",
    "baseline",
    "candidate",
}


@dataclass(frozen=True)
class BenchPlan:
    """What to measure; every field has a bounded default."""

    model_dir: Path
    sample: Path
    content_type: str
    out: Path
    accept: str | None = None
    variants: tuple[str, ...] = ("eager", "compiled")
    concurrencies: tuple[int, ...] = (1, 8, 32)
    rate_rps: float | None = None
    duration_s: float = 5.0
    warmup_s: float = 1.0
    repeats: int = 3
    max_requests: int = 200_000
    batch_size: int = 8
    max_batch_delay_ms: int = 2
    workers: int | None = 1  # None: sized by serve, as when a config sets none
    dtype: str = "float32"
    device: str = "auto"
    compile_mode: str = "default"
    compile_batch_sizes: tuple[int, ...] = ()  # () : powers of two up to batch_size
    cache_dir: Path | None = None  # the inductor cache; None: a fresh one under out
    warmup_shape: tuple[int, ...] | None = None
    warmup_dtype: str | None = None
    startup_timeout_s: float = 600
    noop: bool = True
    urls: tuple[tuple[str, str], ...] = ()  # (name, url): external endpoints only
    baseline: str | None = None  # the ratio pair: candidate / baseline
    candidate: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def warmup_of(plan: BenchPlan) -> dict[str, Any]:
    """One sample's shape and dtype: given, or read from an NPY/JSON/CSV sample."""
    if plan.warmup_shape is not None:
        return {"shape": list(plan.warmup_shape), "dtype": plan.warmup_dtype or "float32"}
    import numpy as np

    from serving.worker import codecs

    decoded = codecs.decoder_for(plan.content_type).decode(plan.sample.read_bytes())
    array = np.asarray(decoded)
    if array.ndim < 2 or array.dtype.kind not in "biuf":
        raise SystemExit(
            "cannot tell the warm-up shape from the sample: pass --warmup-shape (one "
            "sample's shape without the batch dimension) and --warmup-dtype"
        )
    dtype = str(array.dtype) if plan.content_type.endswith("npy") else "float32"
    return {"shape": list(array.shape[1:]), "dtype": plan.warmup_dtype or dtype}


class Variant(NamedTuple):
    """What a variant name asks for: ``eager`` or ``compiled``, a dtype, and for compiled
    variants an inductor mode (None: the plan's ``compile_mode``)."""

    kind: str
    dtype: str
    compile_mode: str | None = None


def parse_variant(variant: str, default_dtype: str) -> Variant:
    """``eager``, ``compiled``, either with a dtype (``compiled:bfloat16``), and a compiled
    one with a mode too (``compiled:bfloat16:reduce-overhead``).

    >>> parse_variant("compiled:bfloat16", "float32")
    Variant(kind='compiled', dtype='bfloat16', compile_mode=None)
    >>> parse_variant("compiled::max-autotune", "float32").compile_mode
    'max-autotune'
    """
    kind, _, rest = variant.partition(":")
    dtype, _, compile_mode = rest.partition(":")
    if kind not in ("eager", "compiled", "noop") or (compile_mode and kind != "compiled"):
        raise SystemExit(
            f"unknown variant {variant!r}: use eager[:dtype] or compiled[:dtype[:mode]]"
        )
    return Variant(kind, dtype or default_dtype, compile_mode or None)


def is_compiled(variant: str) -> bool:
    return variant.partition(":")[0] == "compiled"


def workers_of(plan: BenchPlan) -> int:
    """The workers the plan's server runs: as given, else what serve sizes for one model
    on this machine (memory aside)."""
    if plan.workers is not None:
        return plan.workers
    gpus = gpu_count(os.environ) if plan.device != "cpu" else 0
    return default_workers(available_cpus(), gpus, models=1)


def variant_config(plan: BenchPlan, variant: str, port: int, model_dir: Path) -> dict[str, Any]:
    kind, dtype, compile_mode = parse_variant(variant, plan.dtype)
    compile_section: dict[str, Any] = {"enabled": False}
    if kind == "compiled":
        compile_section = {
            "enabled": True,
            "mode": compile_mode or plan.compile_mode,
            "warmup": warmup_of(plan),
            "cache_dir": str(plan.cache_dir or plan.out / "inductor-cache"),
        } | ({"batch_sizes": list(plan.compile_batch_sizes)} if plan.compile_batch_sizes else {})
    return {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "install_requirements": False,
        }
        | ({"workers": plan.workers} if plan.workers is not None else {}),
        "models": [
            {
                "name": "model",
                "model_dir": str(model_dir),
                "batch_size": plan.batch_size,
                "max_batch_delay_ms": plan.max_batch_delay_ms,
                "dtype": dtype,
                "device": plan.device,
                "startup_timeout_s": int(plan.startup_timeout_s),
                "compile": compile_section,
            }
        ],
    }


def _has_entries(directory: Path | None) -> bool:
    return directory is not None and directory.is_dir() and any(directory.iterdir())


def machine_info() -> dict[str, Any]:
    import torch

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cuda = torch.cuda.is_available()
    return {
        "cpu": cpu,
        "cores": available_cpus(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "device": torch.cuda.get_device_name(0) if cuda else "cpu",
    }


class Bench:
    """Runs a plan; holds the servers so that they are all stopped, whatever happens."""

    def __init__(self, plan: BenchPlan, progress: Any = print) -> None:
        self.plan = plan
        self.body = plan.sample.read_bytes()
        self.say = progress
        settings = {k: v for k, v in vars(plan).items() if v not in (None, (), {})}
        if plan.urls:  # only the client's settings mean anything for external endpoints
            settings = {k: v for k, v in settings.items() if k in _CLIENT_SETTINGS}
        self.report = BenchReport(
            model=plan.model_dir.name if not plan.urls else plan.sample.name,
            machine=machine_info(),
            config={k: str(v) for k, v in settings.items()},
        )
        names = [name for name, _ in plan.urls] if plan.urls else list(plan.variants)
        baseline = plan.baseline or (names[0] if names else None)
        candidate = plan.candidate or next((n for n in names if n != baseline), None)
        if baseline and candidate:  # the pair every ratio in the report is about
            self.report.config |= {"baseline": baseline, "candidate": candidate}

    # --- servers ------------------------------------------------------------------------

    @contextmanager
    def server(self, variant: str, model_dir: Path, cache: CacheState) -> Iterator[Server]:
        port = free_port()
        config = variant_config(self.plan, variant, port, model_dir)
        path = self.plan.out / "configs" / f"{variant}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        log = self.plan.out / "logs" / f"{variant}-{cache}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        # Each worker writes how its load went (compile time, fallback) here.
        reports = self.plan.out / "load-reports" / f"{variant}-{cache}"
        shutil.rmtree(reports, ignore_errors=True)
        started = time.monotonic()
        server = Server(
            ["serve", "--config", str(path)], {"SERVING_REPORT_DIR": str(reports)}, port, log
        )
        try:
            server.wait_until(lambda: self._answers(server), timeout=self.plan.startup_timeout_s)
            cold_start = time.monotonic() - started
            outcomes = [r.compile for r in read_load_reports(reports) if r.compile is not None]
            start = Start(
                variant=variant,
                cache=cache,
                cold_start_s=round(cold_start, 3),
                compile_s=round(max(o.seconds for o in outcomes), 3) if outcomes else None,
                compile_fallback=any(not o.compiled for o in outcomes),
            )
            self.report.starts.append(start)
            self.say(
                f"started {variant:9} ({cache} cache) in {cold_start:.1f} s"
                + (f", compile {start.compile_s:.1f} s" if start.compile_s else "")
            )
            if start.compile_fallback:
                self.report.notes.append(f"{variant}: compilation failed, served eager")
            yield server
        finally:
            server.stop()

    def _answers(self, server: Server) -> bool:
        headers = {"Content-Type": self.plan.content_type}
        if self.plan.accept:
            headers["Accept"] = self.plan.accept
        try:
            return answers(server, self.body, headers)
        except SampleRefused as refused:
            raise SystemExit(str(refused)) from None

    # --- measurements ---------------------------------------------------------------------

    def floors(self, variant: str) -> None:
        config = build_config(
            variant_config(self.plan, variant, 8080, self.plan.model_dir),
            "bench",
            server_layers=[],
            model_layers=[],
        )
        spec = worker_spec(config.models[0], config, cache_dir=cache_dir(os.environ))
        reserved = engine_class(config.server.engine).reserved_cores
        threads = threads_per_worker(available_cpus(), workers_of(self.plan), reserved)
        command = [
            sys.executable,
            "-m",
            "serving.bench.floors",
            "--spec",
            json.dumps(spec.to_dict()),
            "--sample",
            str(self.plan.sample),
            "--content-type",
            self.plan.content_type,
            "--threads",
            str(threads),
        ]
        if self.plan.accept:
            command += ["--accept", self.plan.accept]
        # Killed with the bench, like its servers: a floor can run for minutes (compiling).
        done = process.run(command, timeout_s=900, die_with_parent=signal.SIGKILL)
        if done.returncode != 0:
            raise SystemExit(f"floors of {variant} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        names: tuple[FloorName, ...] = ("forward", "handler", "device")
        for name in (name for name in names if name in result):  # device: on a GPU only
            latency = Percentiles(**result[name])
            self.report.floors.append(Floor(name, variant, latency, result["threads"]))
            self.say(
                f"floor {variant:9} {name:8} p50 {latency.p50:9.1f} µs  p99 {latency.p99:9.1f} µs"
            )

    def load(self, variant: str, url: str, repeat: int, concurrency: int, mode: LoadMode) -> None:
        from serving.bench.client import run_load_sync

        spec = LoadSpec(
            url=url,
            content_type=self.plan.content_type,
            accept=self.plan.accept,
            mode=mode,
            concurrency=concurrency,
            rate_rps=self.plan.rate_rps if mode == "open" else None,
            duration_s=self.plan.duration_s,
            max_requests=self.plan.max_requests,
            warmup_s=self.plan.warmup_s,
        )
        result: LoadResult = run_load_sync(spec, self.body)
        self.report.loads.append(VariantLoad(variant, repeat, result))
        latency = result.latency_us
        errors = sum(result.errors.values())
        self.say(
            f"[{variant:9} r{repeat} {mode} c={concurrency:<3}] {result.throughput_rps:8.1f} req/s"
            f"  p50 {latency.p50 / 1000:7.2f} ms  p99 {latency.p99 / 1000:7.2f} ms"
            f"  errors {errors}" + ("  CLIENT-BOUND" if result.client_bound else "")
        )

    def sweep(self, urls: dict[str, str]) -> None:
        """Every repeat and concurrency, variants interleaved, order alternating."""
        variants = list(urls)
        for repeat in range(self.plan.repeats):
            order = variants if repeat % 2 == 0 else variants[::-1]
            for concurrency in self.plan.concurrencies:
                for variant in order:
                    self.load(variant, urls[variant], repeat, concurrency, "closed")
            if self.plan.rate_rps:
                for variant in order:
                    self.load(variant, urls[variant], repeat, max(self.plan.concurrencies), "open")

    def run(self) -> BenchReport:
        plan = self.plan
        plan.out.mkdir(parents=True, exist_ok=True)
        if plan.urls:
            self.sweep({name: url.rstrip("/") for name, url in plan.urls})
            return self.report
        # A cache given by the caller is kept (and may start warm); the run's own starts empty.
        if plan.cache_dir is None:
            shutil.rmtree(plan.out / "inductor-cache", ignore_errors=True)
        first_start: CacheState = "warm" if _has_entries(plan.cache_dir) else "cold"
        with ExitStack() as stack:
            urls: dict[str, str] = {}
            if plan.noop:
                noop_dir = plan.out / "noop-model"
                (noop_dir / "code").mkdir(parents=True, exist_ok=True)
                (noop_dir / "code" / "inference.py").write_text(NOOP_MODULE)
                noop = stack.enter_context(self.server("noop", noop_dir, "none"))
                urls["noop"] = noop.url + "/invocations"
            for variant in plan.variants:
                cache: CacheState = first_start if is_compiled(variant) else "none"
                server = stack.enter_context(self.server(variant, plan.model_dir, cache))
                urls[variant] = server.url + "/invocations"
            for variant in plan.variants:
                self.floors(variant)
            self.sweep(urls)
        for variant in filter(is_compiled, plan.variants):
            with self.server(variant, plan.model_dir, "warm"):
                pass
        return self.report
