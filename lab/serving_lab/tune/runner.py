"""Runs a `serving tune` sweep: each cell through the real server and the bench's
client, within a time budget, then the winner against the defaults, interleaved.

The side effects (servers, load, files) are here; what to try and what wins are in
:mod:`serving_lab.tune.cells`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from serving.config.sizing import default_workers
from serving.machine.processors import available_cpus
from serving.net import free_port
from serving_lab.bench.results import LoadSpec
from serving_lab.server import SampleRefused, Server, answers
from serving_lab.tune import cells as tc

#: What stopping a server and the final comparison's bookkeeping take, roughly (s).
STOP_S = 3.0
#: A compiled start when none has been seen yet: inductor's first compile, roughly (s).
COMPILED_START_GUESS_S = 90.0


@dataclass(frozen=True)
class TunePlan:
    """What to tune and how long to spend."""

    model_dir: Path
    sample: Path
    content_type: str
    out: Path
    accept: str | None = None
    entry: str | None = None
    objective: tc.Objective = "throughput"
    p99_limit_ms: float | None = None
    budget_s: float = 600.0
    concurrency: int = 8
    duration_s: float = 3.0
    warmup_s: float = 1.0
    repeats: int = 2
    final_repeats: int = 3
    warmup_shape: tuple[int, ...] | None = None
    warmup_dtype: str | None = None
    startup_timeout_s: float = 600.0
    bfloat16: bool = False  # try compiled bfloat16 too (the device computes it fast)


@dataclass
class TuneResult:
    """Every cell measured, what was skipped and why, the winner and how it compares."""

    measured: list[tc.Measured] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (cell, reason)
    starts_s: dict[tc.Cell, float] = field(default_factory=dict)  # seconds to answer
    winner: tc.Measured | None = None
    final_winner: tc.Measured | None = None  # the A/B runs at the end
    final_default: tc.Measured | None = None
    elapsed_s: float = 0.0


class Tuner:
    """Runs a plan; every server it starts is stopped however the run ends."""

    def __init__(
        self,
        plan: TunePlan,
        progress: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
        cpus: int | None = None,
    ) -> None:
        self.plan = plan
        self.say = progress
        self.clock = clock
        self.cpus = cpus or available_cpus()
        self.body = plan.sample.read_bytes()
        self.result = TuneResult()
        self.started = clock()

    # --- the sweep ------------------------------------------------------------------------

    def run(self) -> TuneResult:
        plan = self.plan
        plan.out.mkdir(parents=True, exist_ok=True)
        stages: list[Callable[[tc.Cell], list[tc.Cell]]] = [
            lambda best: tc.batchings(best),
        ]
        if plan.warmup_shape is not None:
            stages.append(
                lambda best: tc.compilations(
                    best,
                    plan.bfloat16,
                    tc.runner_up_workers(
                        self.result.measured, best, plan.objective, plan.p99_limit_ms
                    ),
                )
            )
        else:
            self.result.skipped.append(("compiled", "no --warmup-shape: compile needs one"))
        self.stage(tc.layouts(self.cpus, default_workers(self.cpus, 0, models=1)))
        for stage in stages:
            leader = tc.best(self.result.measured, plan.objective, plan.p99_limit_ms)
            if leader is None:
                break
            self.stage(stage(leader.cell))
        self.result.winner = tc.best(self.result.measured, plan.objective, plan.p99_limit_ms)
        if self.result.winner is not None:
            self.final(self.result.winner.cell)
        self.result.elapsed_s = self.clock() - self.started
        return self.result

    def stage(self, cells: Sequence[tc.Cell]) -> None:
        for cell in cells:
            if any(m.cell == cell for m in self.result.measured):
                continue
            needed = self.cell_cost(cell) + self.final_cost()
            if self.left() < needed:
                self.result.skipped.append((cell.name, f"budget: {needed:.0f} s needed"))
                self.say(f"skip {cell.name}: {self.left():.0f} s left, about {needed:.0f} needed")
                continue
            try:
                with self.server(cell) as server:
                    [measured] = self.measure([cell], [server.url], self.plan.repeats)
            except ServerFailed as failure:
                self.result.skipped.append((cell.name, str(failure)))
                self.say(f"skip {cell.name}: {failure}")
                continue
            self.result.measured.append(measured)
            self.say(
                f"[{len(self.result.measured):2}] {cell.name:28} {measured.rps:10,.1f} req/s  "
                f"p50 {measured.p50:8.2f} ms  p99 {measured.p99:8.2f} ms  "
                f"errors {measured.errors}  ({self.left():.0f} s of budget left)"
            )

    def final(self, winner: tc.Cell) -> None:
        """The winner and the defaults side by side, both up at once, runs interleaved:
        the ratio and its spread come from the same minutes."""
        default = tc.Cell()
        if winner == default:
            self.say("the defaults won: nothing to compare")
            return
        with ExitStack() as stack:
            try:
                servers = [stack.enter_context(self.server(c)) for c in (winner, default)]
            except ServerFailed as failure:
                self.result.skipped.append(("final", str(failure)))
                return
            runs = self.measure(
                (winner, default), [s.url for s in servers], self.plan.final_repeats
            )
        self.result.final_winner, self.result.final_default = runs

    # --- costs ----------------------------------------------------------------------------

    def left(self) -> float:
        return self.plan.budget_s - (self.clock() - self.started)

    def start_estimate(self, cell: tc.Cell) -> float:
        # A compiled start pays inductor's compile, an eager one does not.
        seen = [
            s for started, s in self.result.starts_s.items() if started.compiled == cell.compiled
        ]
        if seen:
            return max(seen)
        return COMPILED_START_GUESS_S if cell.compiled else 15.0

    def run_s(self, repeats: int) -> float:
        return repeats * (self.plan.warmup_s + self.plan.duration_s)

    def cell_cost(self, cell: tc.Cell) -> float:
        return self.start_estimate(cell) + self.run_s(self.plan.repeats) + STOP_S

    def final_cost(self) -> float:
        """Kept back for the comparison at the end: two starts and the interleaved runs."""
        slowest = max(self.result.starts_s.values(), default=15.0)
        return 2 * slowest + 2 * self.run_s(self.plan.final_repeats) + STOP_S

    # --- servers and load -----------------------------------------------------------------

    def config_of(self, cell: tc.Cell, port: int) -> dict[str, Any]:
        plan = self.plan
        config = tc.serving_yaml(
            cell, plan.model_dir, plan.entry, plan.warmup_shape, plan.warmup_dtype
        )
        config["server"] = {"host": "127.0.0.1", "port": port, "install_requirements": False}
        for model in config["models"]:
            model["startup_timeout_s"] = int(plan.startup_timeout_s)
            if cell.compiled:
                model["compile"]["cache_dir"] = str(plan.out / "inductor-cache")
        return config

    @contextmanager
    def server(self, cell: tc.Cell) -> Iterator[Server]:
        port = free_port()
        path = self.plan.out / "configs" / f"{cell.name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(self.config_of(cell, port), sort_keys=False))
        log = self.plan.out / "logs" / f"{cell.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = self.clock()
        server = Server(["serve", "--config", str(path)], {}, port, log)
        try:
            try:
                server.wait_until(lambda: self.answers(server), timeout=self.plan.startup_timeout_s)
            except AssertionError as error:
                raise ServerFailed(f"did not start: see {log}") from error
            self.result.starts_s[cell] = round(self.clock() - started, 2)
            yield server
        finally:
            server.stop()

    def answers(self, server: Server) -> bool:
        try:
            return answers(server, self.body, self.headers())
        except SampleRefused as refused:
            raise ServerFailed(str(refused)) from None

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": self.plan.content_type}
        if self.plan.accept:
            headers["Accept"] = self.plan.accept
        return headers

    def measure(
        self, cells: Sequence[tc.Cell], urls: Sequence[str], repeats: int
    ) -> list[tc.Measured]:
        """``repeats`` runs against each url (serving ``cells``, in order), interleaved
        (order alternating)."""
        from serving_lab.bench.client import run_load_sync

        runs: list[list[Any]] = [[] for _ in urls]
        for repeat in range(repeats):
            order = list(range(len(urls)))
            for index in order if repeat % 2 == 0 else order[::-1]:
                spec = LoadSpec(
                    url=urls[index] + "/invocations",
                    content_type=self.plan.content_type,
                    accept=self.plan.accept,
                    mode="closed",
                    concurrency=self.plan.concurrency,
                    rate_rps=None,
                    duration_s=self.plan.duration_s,
                    max_requests=200_000,
                    warmup_s=self.plan.warmup_s,
                )
                runs[index].append(run_load_sync(spec, self.body))
        return [
            tc.Measured(
                cell=c,
                throughput_rps=tuple(r.throughput_rps for r in found),
                p99_ms=tuple(r.latency_us.p99 / 1000 for r in found),
                p50_ms=tuple(r.latency_us.p50 / 1000 for r in found),
                errors=sum(sum(r.errors.values()) for r in found),
            )
            for c, found in zip(cells, runs, strict=True)
        ]


class ServerFailed(Exception):
    """A cell's server did not start, or answered the sample with an error."""
