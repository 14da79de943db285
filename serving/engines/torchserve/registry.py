"""A running TorchServe's models, through its management API: what a multi-model
endpoint's manager loads and unloads (``Engine.registry``).

The management API listens on a Unix socket in the server's private directory and asks
for serve's key; a model is a directory in the model store (its manifest and its
model-config.yaml, which carries the worker's spec), registered by name.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time

import aiohttp

from serving import process
from serving.config.schema import Config, ModelConfig
from serving.engines.torchserve.render import (
    RuntimePaths,
    render_model_archive,
)
from serving.errors import ModelLoadError, UnloadIncomplete
from serving.worker_spec import WorkerSpec

log = logging.getLogger("serving.models")

# Registering returns at once (the workers load after); unregistering waits for the
# workers to stop, up to TorchServe's unregister_model_timeout (120 s).
REGISTER_TIMEOUT_S = 60
UNREGISTER_TIMEOUT_S = 150
# ... and its answer can come before the worker processes have exited: bounded wait,
# then SIGKILL, then a last bounded wait. Their pids are read first.
WORKER_EXIT_TIMEOUT_S = 30
KILLED_EXIT_TIMEOUT_S = 5
WORKER_EXIT_POLL_S = 0.05
DESCRIBE_TIMEOUT_S = 10
_ENGINE = "http://engine"  # the host part is not used on a Unix socket


class TorchServeRegistry:
    """Registers and unregisters models in the TorchServe started from ``paths``."""

    def __init__(self, paths: RuntimePaths, token: str) -> None:
        self._paths = paths
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.UnixConnector(path=str(self._paths.management_socket))
            self._session = aiohttp.ClientSession(connector=connector, headers=self._headers)
        return self._session

    async def add(self, model: ModelConfig, config: Config, spec: WorkerSpec) -> None:
        archive = self._paths.model_archive(model.name)
        for name, text in render_model_archive(model, config, spec).items():
            (archive / name).parent.mkdir(parents=True, exist_ok=True)
            (archive / name).write_text(text)
        params = {
            "url": model.name,  # the directory of that name in the model store
            "model_name": model.name,
            "initial_workers": str(config.workers_of(model)),
            "synchronous": "false",
        }
        timeout = aiohttp.ClientTimeout(total=REGISTER_TIMEOUT_S)
        async with self._client().post(
            f"{_ENGINE}/models", params=params, timeout=timeout
        ) as reply:
            if reply.status in (200, 202):
                return
            text = await reply.text()
        # Its directory stays: the manager undoes a failed add with remove(), which
        # also unregisters whatever of that name the engine already had.
        log.error("TorchServe refused model %s: %s %s", model.name, reply.status, text.strip())
        raise ModelLoadError(
            f"the engine refused model {model.name!r} (HTTP {reply.status}); see the server log"
        )

    async def remove(self, name: str) -> None:
        """Unregister ``name``; returns once its worker processes have exited. TorchServe
        answers the unregister before they have (seen on a busy machine), so their pids
        are read first and waited for, up to :data:`WORKER_EXIT_TIMEOUT_S`."""
        workers = await self._worker_pids(name)
        timeout = aiohttp.ClientTimeout(total=UNREGISTER_TIMEOUT_S)
        async with self._client().delete(f"{_ENGINE}/models/{name}", timeout=timeout) as reply:
            text = await reply.text()
        if reply.status not in (200, 404):
            log.error("TorchServe did not unload %s: %s %s", name, reply.status, text.strip())
            raise ModelLoadError(f"the engine did not unload model {name!r}; see the server log")
        shutil.rmtree(self._paths.model_archive(name), ignore_errors=True)
        if await _exited(workers, WORKER_EXIT_TIMEOUT_S):
            return
        # Its model is gone from the engine: nothing will use them again.
        lingering = [pid for pid in workers if process.running(pid)]
        log.warning(
            "model %s: worker(s) %s still running after its unload: killed", name, lingering
        )
        for pid in lingering:
            process.kill(pid)
        if not await _exited(lingering, KILLED_EXIT_TIMEOUT_S):
            raise UnloadIncomplete(
                f"model {name!r} was unloaded, but {len(lingering)} of its worker process(es) "
                "did not exit, even killed; see the server log"
            )

    async def _worker_pids(self, name: str) -> list[int]:
        """The pids of ``name``'s workers, from TorchServe's description of the model
        (none when it has no such model, no worker has started, or it cannot say: the
        unload goes on without waiting for them)."""
        timeout = aiohttp.ClientTimeout(total=DESCRIBE_TIMEOUT_S)
        try:
            async with self._client().get(f"{_ENGINE}/models/{name}", timeout=timeout) as reply:
                if reply.status != 200:
                    return []
                described = await reply.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("model %s: its workers could not be listed (%s)", name, error)
            return []
        return sorted(
            {
                int(worker["pid"])
                for version in described
                for worker in version.get("workers", [])
                if isinstance(worker.get("pid"), int) and worker["pid"] > 0
            }
        )

    async def alive(self) -> bool:
        try:
            timeout = aiohttp.ClientTimeout(total=5)
            async with self._client().get(f"{_ENGINE}/models", timeout=timeout) as reply:
                return reply.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


async def _exited(pids: list[int], timeout_s: float) -> bool:
    """Whether every process of ``pids`` has exited (a zombie counts) within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while any(process.running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(WORKER_EXIT_POLL_S)
    return True
