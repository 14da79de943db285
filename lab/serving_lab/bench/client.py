"""An asyncio keep-alive HTTP load client (aiohttp) for benchmarking a model server.

Two loops, chosen by ``LoadSpec.mode``:

* ``closed``: ``concurrency`` workers, each sending its next request as soon as the previous
  answer has been read in full. This measures what the server sustains at that depth.
* ``open``: requests *start* on a fixed schedule, request ``i`` at ``t0 + i / rate_rps``, whatever
  the server does, and each latency is measured from the request's *scheduled* start, not from
  when it actually went out. A client that waits for answers (or sleeps after each one) quietly
  stops sending while the server stalls, so a stall shows up in one sample instead of in every
  request that should have been sent during it ("coordinated omission"); timing from the
  schedule charges the stall, and any lag of the client itself, to all of them.
  At most ``concurrency`` requests are in flight: a request whose scheduled start finds the cap
  reached is NOT sent and counts (in ``sent``) as the error ``"overload"``. Waiting for a slot
  instead would let a slow server throttle the client, which an open loop must never allow.

Both run ``warmup_s`` first, not counted (the load stays continuous into the window), then count
requests started in the next ``duration_s``, up to ``max_requests``. Requests in flight at the end
are awaited, each bounded by ``timeout_s`` (error ``"timeout"``), and counted.

``client_cpu_s`` is ``time.process_time()``, i.e. every thread of this process: run the server in
another process or its CPU counts as the client's. ``client_bound`` says the client used most of a
core (>= 80 % of the window), so on a small machine the server may not be what limited the run.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from serving_lab.bench.results import LoadResult, LoadSpec, Percentiles

# on_progress(done, elapsed_s): counted requests finished, seconds since the window opened.
ProgressFn = Callable[[int, float], None]


@dataclass(frozen=True)
class _Outcome:
    """One request: ``error`` None for a 2xx; ``first_part_ns`` when the first part of a
    streamed (chunked) answer arrived, None for a whole answer."""

    error: str | None
    first_part_ns: int | None = None


_Send = Callable[[], Awaitable[_Outcome]]

DEFAULT_TIMEOUT_S = 30.0
CLIENT_BOUND_FRACTION = 0.8
_PROGRESS_EVERY_NS = 200_000_000  # at most ~5 calls a second: a display needs no more
_NS = 1_000_000_000


class _Tally:
    """The counted outcomes of the measured window (single event loop: no locking needed)."""

    def __init__(self, measure_ns: int, max_requests: int, on_progress: ProgressFn | None) -> None:
        self.measure_ns = measure_ns
        self.max_requests = max_requests
        self.on_progress = on_progress
        self.started = 0
        self.done = 0
        self.latencies_us: list[float] = []
        self.first_parts_us: list[float] = []  # streamed answers: start to first part
        self.errors: Counter[str] = Counter()
        self.first_start_ns: int | None = None
        self.last_end_ns = 0
        self.cpu0: float | None = None
        self._last_progress_ns = 0

    def claim(self, start_ns: int) -> None:
        """Count one request starting at ``start_ns``; the first one opens the window."""
        if self.first_start_ns is None:
            self.first_start_ns = start_ns
            self.cpu0 = time.process_time()
        self.started += 1

    def finish(self, start_ns: int, end_ns: int, outcome: _Outcome) -> None:
        """Record one counted request's outcome: ``error`` None means a 2xx answer."""
        self.done += 1
        self.last_end_ns = max(self.last_end_ns, end_ns)
        if outcome.error is None:
            self.latencies_us.append((end_ns - start_ns) / 1000)
            if outcome.first_part_ns is not None:
                self.first_parts_us.append((outcome.first_part_ns - start_ns) / 1000)
        else:
            self.errors[outcome.error] += 1
        if self.on_progress is not None and end_ns - self._last_progress_ns >= _PROGRESS_EVERY_NS:
            self._last_progress_ns = end_ns
            self.on_progress(self.done, (end_ns - self.measure_ns) / _NS)


async def _send(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: aiohttp.ClientTimeout,
) -> _Outcome:
    """Send one request and read its whole answer (a streamed one part by part, noting
    when the first arrived)."""
    try:
        async with session.post(url, data=body, headers=headers, timeout=timeout) as resp:
            first_part_ns = None
            if resp.headers.get("Transfer-Encoding", "").lower() == "chunked":
                async for _ in resp.content.iter_any():
                    first_part_ns = first_part_ns or time.perf_counter_ns()
            else:
                await resp.read()  # the whole body: skipping it would flatter the server
            error = None if 200 <= resp.status < 300 else str(resp.status)
            return _Outcome(error, first_part_ns)
    except asyncio.TimeoutError:  # first: aiohttp's ServerTimeoutError is a connection error too
        return _Outcome("timeout")
    except aiohttp.ClientConnectionError:
        return _Outcome("connection")
    except aiohttp.ClientError as exc:  # a malformed or cut answer: name it rather than crash
        return _Outcome(type(exc).__name__)


async def _closed(spec: LoadSpec, send: _Send, tally: _Tally, end_ns: int) -> None:
    async def worker() -> None:
        # Bounded: by end_ns, by max_requests, and each request by the per-request timeout.
        while True:
            start = time.perf_counter_ns()
            if start >= end_ns:
                return
            counted = start >= tally.measure_ns
            if counted:
                if tally.started >= tally.max_requests:
                    return
                tally.claim(start)
            outcome = await send()
            if counted:
                tally.finish(start, time.perf_counter_ns(), outcome)

    await asyncio.gather(*(worker() for _ in range(spec.concurrency)))


async def _open(
    spec: LoadSpec, send: _Send, tally: _Tally, t0_ns: int, end_ns: int, timeout_s: float
) -> None:
    assert spec.rate_rps is not None  # checked by _check
    period_ns = _NS / spec.rate_rps
    # Holds the tasks strongly too: the event loop keeps only weak references to tasks.
    in_flight: set[asyncio.Task[None]] = set()

    async def one(sched_ns: int, counted: bool) -> None:
        try:
            outcome = await send()
        except asyncio.CancelledError:  # only when the final drain gave up on it
            if counted:
                tally.finish(sched_ns, time.perf_counter_ns(), _Outcome("timeout"))
            raise
        if counted:  # latency from the SCHEDULED start: see the module docstring
            tally.finish(sched_ns, time.perf_counter_ns(), outcome)

    i = 0
    while True:  # bounded: the schedule ends at end_ns, and by max_requests
        sched = t0_ns + round(i * period_ns)
        i += 1
        if sched >= end_ns:
            break
        counted = sched >= tally.measure_ns
        if counted and tally.started >= tally.max_requests:
            break
        delay = sched - time.perf_counter_ns()
        # Behind schedule: fire at once, but still yield so answers in flight get read.
        await asyncio.sleep(delay / _NS if delay > 0 else 0)
        if counted:
            tally.claim(sched)
        if len(in_flight) >= spec.concurrency:
            if counted:
                tally.finish(sched, time.perf_counter_ns(), _Outcome("overload"))
            continue
        task = asyncio.create_task(one(sched, counted))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)

    if in_flight:  # aiohttp's timeout bounds each request; this bounds the drain regardless
        _, pending = await asyncio.wait(set(in_flight), timeout=timeout_s + 1.0)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _check(spec: LoadSpec, timeout_s: float) -> None:
    if spec.mode not in ("closed", "open"):
        raise ValueError(f"mode must be 'closed' or 'open', not {spec.mode!r}")
    if spec.concurrency < 1 or spec.max_requests < 1:
        raise ValueError("concurrency and max_requests must be at least 1")
    if spec.duration_s <= 0 or spec.warmup_s < 0 or timeout_s <= 0:
        raise ValueError("duration_s and timeout_s must be > 0, warmup_s >= 0")
    if spec.mode == "open" and not (spec.rate_rps and spec.rate_rps > 0):
        raise ValueError("an open loop needs rate_rps > 0")


async def run_load(
    spec: LoadSpec,
    body: bytes,
    *,
    session: aiohttp.ClientSession | None = None,
    on_progress: ProgressFn | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> LoadResult:
    """POST ``body`` to ``spec.url`` under ``spec``'s load and measure it (warm-up excluded).

    ``session``: used as given and left open (its connector limit should be >= concurrency, or
    requests queue for a connection inside the client); by default one is made and closed here.
    ``timeout_s`` bounds each request; a request over it counts as the error ``"timeout"``.
    """
    _check(spec, timeout_s)
    headers = {"Content-Type": spec.content_type}
    if spec.accept:
        headers["Accept"] = spec.accept
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    own = session is None
    if session is None:
        session = aiohttp.ClientSession(
            # Keep-alive (the default) with one connection per in-flight request.
            connector=aiohttp.TCPConnector(limit=spec.concurrency),
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding",),  # we don't decompress: don't invite it
            trust_env=False,  # no proxies from the environment between us and 127.0.0.1
            timeout=timeout,
        )
    send = functools.partial(_send, session, spec.url, body, headers, timeout)
    try:
        t0 = time.perf_counter_ns()
        tally = _Tally(t0 + round(spec.warmup_s * _NS), spec.max_requests, on_progress)
        end_ns = tally.measure_ns + round(spec.duration_s * _NS)
        if spec.mode == "closed":
            await _closed(spec, send, tally, end_ns)
        else:
            await _open(spec, send, tally, t0, end_ns, timeout_s)
        cpu1 = time.process_time()
    finally:
        if own:
            await session.close()

    first = tally.first_start_ns
    wall_s = (tally.last_end_ns - first) / _NS if first is not None else 0.0
    cpu_s = cpu1 - tally.cpu0 if tally.cpu0 is not None else 0.0
    ok = len(tally.latencies_us)
    return LoadResult(
        spec=spec,
        sent=tally.started,
        ok=ok,
        errors=dict(sorted(tally.errors.items())),
        wall_s=wall_s,
        throughput_rps=ok / wall_s if wall_s > 0 else 0.0,
        latency_us=Percentiles.of(tally.latencies_us),
        first_part_us=Percentiles.of(tally.first_parts_us) if tally.first_parts_us else None,
        client_cpu_s=cpu_s,
        client_bound=wall_s > 0 and cpu_s / wall_s >= CLIENT_BOUND_FRACTION,
    )


def run_load_sync(
    spec: LoadSpec,
    body: bytes,
    *,
    on_progress: ProgressFn | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> LoadResult:
    """`run_load` on a fresh event loop (``asyncio.run``): not from inside a running loop."""
    return asyncio.run(run_load(spec, body, on_progress=on_progress, timeout_s=timeout_s))
