"""The load client against a tiny in-process aiohttp server: behaviour, not speed."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import aiohttp
import pytest
from aiohttp import web

from serving_lab.bench.client import run_load, run_load_sync
from serving_lab.bench.results import LoadResult, LoadSpec


class _Server:
    """/ok 200, /fail 503, /slow 200 after 50 ms, /flaky 500 on every 3rd request,
    /stream 200 in two chunked parts 50 ms apart."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.last_headers: dict[str, str] = {}
        self.peers: set[object] = set()  # client (host, port) pairs: one per TCP connection
        self.port = 0
        self.runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path
        self.hits[path] += 1
        self.last_headers = dict(request.headers)
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername"))
        await request.read()
        if path == "/fail":
            return web.Response(status=503, text="busy")
        if path == "/slow":
            await asyncio.sleep(0.05)
        if path == "/flaky" and self.hits[path] % 3 == 0:
            return web.Response(status=500, text="oops")
        return web.Response(text="x" * 100)

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b"first")
        await asyncio.sleep(0.05)
        await response.write(b"second")
        await response.write_eof()
        return response

    async def start(self) -> None:
        app = web.Application()
        for path in ("/ok", "/fail", "/slow", "/flaky"):
            app.router.add_post(path, self._handle)
        app.router.add_post("/stream", self._stream)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.port = self.runner.addresses[0][1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    """The server on its own loop in a thread, so the client's asyncio.run is independent."""
    srv = _Server()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(srv.start(), loop).result(5)
        yield srv
    finally:
        if srv.runner is not None:
            asyncio.run_coroutine_threadsafe(srv.runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def _spec(url: str, **kw: object) -> LoadSpec:
    base = LoadSpec(
        url=url,
        content_type="application/json",
        accept=None,
        mode="closed",
        concurrency=2,
        rate_rps=None,
        duration_s=5.0,
        max_requests=10,
        warmup_s=0.0,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _consistent(r: LoadResult) -> None:
    assert r.sent == r.ok + sum(r.errors.values())
    assert r.latency_us.count == r.ok
    assert r.client_cpu_s >= 0 and isinstance(r.client_bound, bool)
    if r.ok:
        p = r.latency_us
        assert p.min <= p.p50 <= p.p90 <= p.p99 <= p.max
        assert r.wall_s > 0 and r.throughput_rps == pytest.approx(r.ok / r.wall_s)


def test_max_requests_bound_and_headers(server: _Server) -> None:
    r = run_load_sync(_spec(server.url("/ok"), max_requests=7, accept="text/plain"), b"{}")
    _consistent(r)
    assert (r.sent, r.ok, r.errors) == (7, 7, {})
    assert server.last_headers["Content-Type"] == "application/json"
    assert server.last_headers["Accept"] == "text/plain"


def test_connections_are_kept_alive(server: _Server) -> None:
    server.peers.clear()
    r = run_load_sync(_spec(server.url("/ok"), concurrency=2, max_requests=20), b"{}")
    assert r.ok == 20 and 1 <= len(server.peers) <= 2


def test_errors_counted_by_status(server: _Server) -> None:
    r = run_load_sync(_spec(server.url("/fail"), max_requests=5), b"{}")
    _consistent(r)
    assert (r.sent, r.ok, r.errors) == (5, 0, {"503": 5})
    assert r.throughput_rps == 0.0


def test_flaky_every_third_is_an_error(server: _Server) -> None:
    # Any 30 consecutive server-side requests hold exactly 10 multiples of 3.
    r = run_load_sync(_spec(server.url("/flaky"), concurrency=3, max_requests=30), b"{}")
    _consistent(r)
    assert (r.sent, r.ok, r.errors) == (30, 20, {"500": 10})


def test_warmup_is_excluded(server: _Server) -> None:
    before = server.hits["/ok"]
    spec = _spec(server.url("/ok"), warmup_s=0.2, duration_s=0.2, max_requests=10**9)
    r = run_load_sync(spec, b"{}")
    _consistent(r)
    assert r.sent > 0 and r.sent == r.ok
    assert server.hits["/ok"] - before > r.sent


def test_duration_bound_and_progress(server: _Server) -> None:
    calls: list[tuple[int, float]] = []
    t = time.perf_counter()
    spec = _spec(server.url("/ok"), duration_s=0.3, max_requests=10**9)
    r = run_load_sync(spec, b"{}", on_progress=lambda d, e: calls.append((d, e)))
    _consistent(r)
    assert time.perf_counter() - t < 2.0
    assert r.ok > 0 and r.wall_s < 1.0
    assert 1 <= len(calls) <= 3  # at most ~5 a second
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert all(0 <= e < 1.0 for _, e in calls)


def test_slow_latency_percentiles(server: _Server) -> None:
    r = run_load_sync(_spec(server.url("/slow"), max_requests=6), b"{}")
    _consistent(r)
    assert r.ok == 6 and r.latency_us.p50 >= 50_000


def test_streamed_answers_also_report_their_first_part(server: _Server) -> None:
    r = run_load_sync(_spec(server.url("/stream"), max_requests=6), b"{}")
    _consistent(r)
    assert r.ok == 6 and r.first_part_us is not None and r.first_part_us.count == 6
    # The latency is to the last part, sent 50 ms after the first.
    assert r.first_part_us.p50 <= r.latency_us.p50 and r.latency_us.p50 >= 50_000
    whole = run_load_sync(_spec(server.url("/ok"), max_requests=2), b"{}")
    assert whole.first_part_us is None  # not streamed: nothing to report


def test_open_loop_rate(server: _Server) -> None:
    spec = _spec(server.url("/ok"), mode="open", rate_rps=50.0, concurrency=8, duration_s=1.0)
    r = run_load_sync(replace(spec, max_requests=10**9), b"{}")
    _consistent(r)
    assert 35 <= r.sent <= 65 and r.ok == r.sent


def test_open_loop_max_requests(server: _Server) -> None:
    spec = _spec(server.url("/ok"), mode="open", rate_rps=200.0, max_requests=7)
    r = run_load_sync(spec, b"{}")
    _consistent(r)
    assert (r.sent, r.ok) == (7, 7)


def test_open_loop_cap_counts_overload(server: _Server) -> None:
    # 100 rps against a 50 ms answer with one slot: most scheduled starts find it taken.
    spec = _spec(server.url("/slow"), mode="open", rate_rps=100.0, concurrency=1, duration_s=0.3)
    r = run_load_sync(replace(spec, max_requests=10**9), b"{}")
    _consistent(r)
    assert set(r.errors) == {"overload"} and r.errors["overload"] >= 5
    assert 1 <= r.ok <= 8


def test_open_loop_latency_from_schedule(server: _Server) -> None:
    # Stall the client's own loop once: requests scheduled meanwhile go out late, and their
    # latency must include the lag (no coordinated omission) though /ok answers at once.
    stalled: list[bool] = []

    def stall(done: int, elapsed: float) -> None:
        if not stalled:
            stalled.append(True)
            time.sleep(0.15)

    spec = _spec(server.url("/ok"), mode="open", rate_rps=100.0, concurrency=8, duration_s=0.4)
    r = run_load_sync(replace(spec, max_requests=10**9), b"{}", on_progress=stall)
    _consistent(r)
    assert stalled and r.latency_us.max >= 100_000


def test_refused_connection_returns(server: _Server) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = time.perf_counter()
    r = run_load_sync(_spec(f"http://127.0.0.1:{port}/ok", max_requests=5), b"{}")
    assert time.perf_counter() - t < 3.0
    _consistent(r)
    assert (r.sent, r.ok, r.errors) == (5, 0, {"connection": 5})


@pytest.mark.parametrize("mode", ["closed", "open"])
def test_timeouts_counted(server: _Server, mode: str) -> None:
    spec = _spec(server.url("/slow"), mode=mode, rate_rps=100.0, max_requests=3)
    r = run_load_sync(spec, b"{}", timeout_s=0.01)
    _consistent(r)
    assert (r.sent, r.ok, r.errors) == (3, 0, {"timeout": 3})


def test_given_session_is_used_and_left_open(server: _Server) -> None:
    async def go() -> tuple[LoadResult, bool]:
        async with aiohttp.ClientSession() as session:
            r = await run_load(_spec(server.url("/ok"), max_requests=4), b"{}", session=session)
            return r, session.closed

    r, closed = asyncio.run(go())
    _consistent(r)
    assert r.ok == 4 and not closed


@pytest.mark.parametrize(
    "bad",
    [
        {"concurrency": 0},
        {"max_requests": 0},
        {"duration_s": 0.0},
        {"mode": "open", "rate_rps": None},
        {"mode": "sideways"},
    ],
)
def test_bad_spec_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        run_load_sync(_spec("http://127.0.0.1:9/ok", **bad), b"")
