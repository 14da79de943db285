"""Unloading a model through TorchServe's management API, against a hand-written stand-in
of that API on a Unix socket: the unload returns once the model's workers are gone."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from serving import process
from serving.engines.torchserve import registry
from serving.engines.torchserve.registry import TorchServeRegistry
from serving.engines.torchserve.render import RuntimePaths

# A worker that ignores SIGTERM and never exits on its own; one that exits when asked.
STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ignoring', flush=True); time.sleep(120)"
)


@asynccontextmanager
async def engine(
    paths: RuntimePaths, pid: int, on_delete: Callable[[], None]
) -> AsyncIterator[None]:
    """TorchServe's management API as far as an unload uses it."""

    async def describe(request: web.Request) -> web.Response:
        workers = [{"id": "9000", "pid": pid, "status": "READY"}]
        return web.json_response([{"modelName": request.match_info["name"], "workers": workers}])

    async def unregister(_: web.Request) -> web.Response:
        on_delete()
        return web.json_response({"status": "unregistered"})

    app = web.Application()
    app.router.add_get("/models/{name}", describe)
    app.router.add_delete("/models/{name}", unregister)
    runner = web.AppRunner(app)
    await runner.setup()
    paths.management_socket.parent.mkdir(parents=True, exist_ok=True)
    site = web.UnixSite(runner, str(paths.management_socket))
    await site.start()
    try:
        yield
    finally:
        await runner.cleanup()


def test_an_unload_waits_for_the_workers_to_exit(tmp_path: Path) -> None:
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    paths = RuntimePaths(tmp_path)

    async def test() -> None:
        # The engine answers at once; its worker exits a moment later, as seen under load.
        loop = asyncio.get_running_loop()
        on_delete = lambda: loop.call_later(0.3, worker.terminate)  # noqa: E731
        async with engine(paths, worker.pid, on_delete):
            client = TorchServeRegistry(paths, "key")
            try:
                await client.remove("m")
            finally:
                await client.close()
        worker.wait(timeout=5)  # reaped here: it may be a zombie until now
        assert worker.returncode is not None

    try:
        asyncio.run(test())
    finally:
        worker.kill()
        worker.wait()


def test_workers_that_do_not_exit_after_an_unload_are_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "WORKER_EXIT_TIMEOUT_S", 0.3)
    worker = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE)
    assert worker.stdout is not None and worker.stdout.readline() == b"ignoring\n"
    paths = RuntimePaths(tmp_path)

    async def test() -> None:
        async with engine(paths, worker.pid, worker.terminate):  # it ignores SIGTERM
            client = TorchServeRegistry(paths, "key")
            try:
                await client.remove("m")
            finally:
                await client.close()
        assert not process.running(worker.pid)

    try:
        asyncio.run(test())
        assert worker.wait(timeout=5) == -9
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()
