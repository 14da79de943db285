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
from pathlib import Path
from typing import Any

import yaml

from serving import process
from serving.config.environment import cache_dir
from serving.config.layering import build_config
from serving.config.sizing import threads_per_worker
from serving.config.worker_specs import worker_spec
from serving.engine import engine_class
from serving.load_report import read_load_reports
from serving.machine.processors import available_cpus
from serving.net import free_port
from serving_lab.bench.plan import (
    CLIENT_SETTINGS,
    BenchPlan,
    described_settings,
    is_compiled,
    variant_config,
    workers_of,
)
from serving_lab.bench.results import (
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
from serving_lab.server import SampleRefused, Server, answers

NOOP_MODULE = """
def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    return b"0", "application/json"
"""


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
            settings = {k: v for k, v in settings.items() if k in CLIENT_SETTINGS}
        else:  # the server's: as set, or its defaults, said so
            settings |= described_settings(plan)
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
            "serving_lab.bench.floors",
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
        from serving_lab.bench.client import run_load_sync

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
