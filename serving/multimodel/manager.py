"""The multi-model manager: loads and unloads models in the running engine.

Behind the front, on a Unix socket: ``GET /ping``, ``POST /models``, ``GET /models``,
``GET /models/{name}``, ``DELETE /models/{name}``. A load runs the same checks as
``serve`` does at start-up (the model directory, its hooks, its ``code/serving.yaml``),
refuses with 507 a model that would not fit in memory, installs the model's own
``code/requirements.txt`` into an environment of its own, registers it with the engine
and answers once a worker serves it (or names why none will). Loads of different
models run side by side; a client that gives up does not stop a load.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from aiohttp import web

from serving import process
from serving.admission import check_model, gave_up, requirements_to_install
from serving.config import sizing
from serving.config.batching import with_default_batching
from serving.config.environment import cache_dir, environment_layers
from serving.config.schema import Config, ModelConfig
from serving.config.sources import read_yaml
from serving.config.worker_specs import worker_spec
from serving.engine import ModelRegistry
from serving.errors import (
    ConfigError,
    InsufficientMemory,
    InvalidInput,
    ModelAlreadyLoaded,
    ModelLoadError,
    ModelNotLoaded,
    ServingError,
    UnloadIncomplete,
    error_response,
)
from serving.load_report import read_load_reports, report_files
from serving.machine import memory
from serving.multimodel.catalog import (
    LoadRequest,
    check_name,
    model_config,
    page,
    parse_load_request,
)
from serving.multimodel.launch import ManagerSpec
from serving.worker.hooks import runtime_runs_requests

log = logging.getLogger("serving.models")

POLL_S = 0.1  # how often a load looks for its model's ready flag or a failed report


@dataclass(frozen=True)
class Loaded:
    """A model that serves: where it came from, and what it was estimated to take."""

    url: str
    need_mb: int


@dataclass(frozen=True)
class Pending:
    """A load or an unload under way, and the MiB counted for its model meanwhile."""

    task: asyncio.Task[None]
    mb: int


class Manager:
    """The models of one multi-model endpoint. Its state changes only between awaits,
    on one event loop: a name is checked and claimed in one step."""

    def __init__(
        self,
        config: Config,
        registry: ModelRegistry,
        spec: ManagerSpec,
        environ: Mapping[str, str],
        machine_free_mb: Callable[[], int | None] = memory.machine_free_mb,
    ) -> None:
        self.config = config
        self.registry = registry
        self.spec = spec
        self.environ = environ
        self.machine_free_mb = machine_free_mb
        self.loaded: dict[str, Loaded] = {}
        self.loading: dict[str, Pending] = {}
        self.unloading: dict[str, Pending] = {}  # their MiB still held, as if loaded

    def urls(self) -> dict[str, str]:
        return {name: model.url for name, model in self.loaded.items()}

    @property
    def reserved(self) -> dict[str, int]:
        """MiB set aside for each model loading."""
        return {name: pending.mb for name, pending in self.loading.items()}

    async def load(self, request: LoadRequest) -> None:
        """Load the model ``request`` names; returns once a worker serves it. A second
        request for a name being loaded waits for that load (SageMaker's client gives up
        after 60 s and asks again); one for a name being unloaded waits for the unload."""
        name = request.name
        model = self.settings(request)
        files_mb = await asyncio.to_thread(sizing.model_files_mb, request.model_dir)
        while name in self.loading or name in self.unloading:
            if name in self.loading:
                await asyncio.shield(self.loading[name].task)  # its outcome is this one's
                return
            with contextlib.suppress(Exception):  # a failed unload leaves it loaded: 409
                await asyncio.shield(self.unloading[name].task)
        # From here to the claim, no await: the check and the claim are one step.
        if name in self.loaded:
            raise ModelAlreadyLoaded(f"model {name!r} is already loaded")
        need = sizing.Need(self.config.workers_of(model), files_mb)
        free = sizing.free_mb(
            self.machine_free_mb(),
            self.config.server.memory_limit_mb,
            sum(m.need_mb for m in self.loaded.values())
            + sum(p.mb for p in self.unloading.values()),
            sum(p.mb for p in self.loading.values()),
        )
        if free is not None and need.mb > free:
            raise InsufficientMemory(
                f"model {name!r} needs {need.explain()} and {max(free, 0)} MiB are free: "
                "unload a model and retry"
            )
        task = asyncio.create_task(self._load(model, request, need.mb))
        self.loading[name] = Pending(task, need.mb)
        task.add_done_callback(_log_failure)
        # Shielded: a client that gives up leaves the load to finish (SageMaker's own
        # client waits 60 s, and the load goes on).
        await asyncio.shield(task)

    def settings(self, request: LoadRequest) -> ModelConfig:
        """The model's settings, checked as ``serve`` checks a model at start-up."""
        if not request.model_dir.is_dir():
            raise InvalidInput(f"model {request.name!r}: {request.url} is not a directory")
        bundled_path = request.model_dir / "code" / "serving.yaml"
        try:
            bundled = read_yaml(bundled_path) if bundled_path.is_file() else None
            layers = [environment_layers(self.environ).model]
            model = model_config(self.config, request, bundled, layers)
            hooks = check_model(model)
        except ConfigError as error:
            raise InvalidInput(error.message) from None
        return with_default_batching(model, runtime_runs_requests(hooks), self.config)

    async def _load(self, model: ModelConfig, request: LoadRequest, need_mb: int) -> None:
        name = model.name
        deadline = time.monotonic() + model.startup_timeout_s
        environment = self.spec.environments / name
        # A flag left by an earlier model of this name (the engine drops it within
        # 100 ms of an unload) must not pass for this one's.
        (self.spec.ready_flags / name).unlink(missing_ok=True)
        earlier = report_files(self.spec.load_reports, name)
        try:
            packages = await self._install(model, environment)
            spec = replace(
                worker_spec(
                    model,
                    self.config,
                    cache_dir=cache_dir(self.environ),
                    report_dir=self.spec.load_reports,
                ),
                packages_dir=packages,
            )
            try:
                await self.registry.add(model, self.config, spec)
                await self._until_serving(model, earlier, deadline)
                (self.spec.loaded_flags / name).touch()
            except BaseException:
                await self._remove_quietly(name)
                raise
            self.loaded[name] = Loaded(request.url, need_mb)
            log.info("model %s loaded from %s", name, request.url)
        except BaseException:
            await asyncio.to_thread(shutil.rmtree, environment, ignore_errors=True)
            raise
        finally:
            # Here, not in a callback: whoever waits on this task sees it gone once done.
            del self.loading[name]

    async def _remove_quietly(self, name: str) -> None:
        """Undo a load that failed; a failure to undo it is logged, not raised over the
        failure that made it necessary."""
        try:
            await self.registry.remove(name)
        except Exception:  # noqa: BLE001 - the load's own error is the one to answer
            log.exception("model %s: undoing a failed load failed too", name)

    async def _install(self, model: ModelConfig, environment: Path) -> Path | None:
        """The model's code/requirements.txt, installed for it alone: its packages."""
        requirements = requirements_to_install(model, self.config)
        if requirements is None:
            return None
        await asyncio.to_thread(shutil.rmtree, environment, ignore_errors=True)
        try:
            return await asyncio.to_thread(
                process.install_requirements,
                requirements,
                environment=environment,
                timeout_s=model.startup_timeout_s,
            )
        except ConfigError as error:
            log.error("model %s: %s", model.name, error.message)
            # pip's own output stays in the log: the first line names the requirement.
            raise ModelLoadError(f"model {model.name!r}: {error.message.splitlines()[0]}") from None

    async def _until_serving(self, model: ModelConfig, earlier: set[Path], deadline: float) -> None:
        """Until the engine has a worker serving ``model``; ModelLoadError when a worker
        reports a failed load (a report not among ``earlier``) or the model's
        startup_timeout_s runs out."""
        flag = self.spec.ready_flags / model.name
        while not flag.exists():
            reports = read_load_reports(self.spec.load_reports, model.name, frozenset(earlier))
            failed = gave_up(reports, {model.name: 1})
            if failed is not None:
                # The type only: the client gets no exception text (the log has it all).
                raise ModelLoadError(
                    f"model {model.name!r} failed to load: {failed[1].error_type} "
                    "(the server log has the traceback)"
                )
            if time.monotonic() > deadline:
                raise ModelLoadError(
                    f"model {model.name!r} did not load within its startup_timeout_s "
                    f"({model.startup_timeout_s} s)"
                )
            await asyncio.sleep(POLL_S)

    async def unload(self, name: str) -> None:
        """Unload ``name``; returns once its workers have stopped. An unload that fails
        leaves the model listed (it may still serve), to be unloaded again."""
        while name in self.loading or name in self.unloading:
            with contextlib.suppress(Exception):  # whatever became of it, look again
                await asyncio.shield((self.loading.get(name) or self.unloading[name]).task)
        loaded = self.loaded.pop(name, None)
        if loaded is None:
            raise ModelNotLoaded(f"model {name!r} is not loaded")
        task = asyncio.create_task(self._unload(name, loaded))
        self.unloading[name] = Pending(task, loaded.need_mb)
        await asyncio.shield(task)

    async def _unload(self, name: str, loaded: Loaded) -> None:
        flag = self.spec.loaded_flags / name
        # The front answers 404 from here on, before the engine lets go of it.
        flag.unlink(missing_ok=True)
        incomplete: UnloadIncomplete | None = None
        try:
            await self.registry.remove(name)
        except UnloadIncomplete as error:
            incomplete = error  # the engine let it go: no longer listed, yet a 5xx
        except BaseException:
            self.loaded[name] = loaded  # it may still serve: listed, to be unloaded again
            flag.touch()
            raise
        finally:
            del self.unloading[name]
        for report in report_files(self.spec.load_reports, name):
            report.unlink(missing_ok=True)
        await asyncio.to_thread(shutil.rmtree, self.spec.environments / name, ignore_errors=True)
        if incomplete is not None:
            raise incomplete
        log.info("model %s unloaded", name)

    async def close(self) -> None:
        tasks = [p.task for p in (*self.loading.values(), *self.unloading.values())]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.registry.close()


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        # Seen here too when the client had gone: its failure is in the log.
        log.error("a model load failed: %s", task.exception())


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure as the runtime's JSON error body, never a traceback."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as error:  # noqa: BLE001 - the one place errors become answers
        if not isinstance(error, ServingError):
            log.exception("%s %s failed", request.method, request.path)
        answer = error_response(error)
        return web.Response(
            status=answer.status, body=answer.body(), content_type="application/json"
        )


def make_app(manager: Manager) -> web.Application:
    """The manager's routes."""

    async def ping(_: web.Request) -> web.Response:
        if await manager.registry.alive():
            return web.json_response({"status": "Healthy"})
        return web.json_response({"status": "Unhealthy"}, status=503)

    async def load(request: web.Request) -> web.Response:
        wanted = parse_load_request(await request.read())
        await manager.load(wanted)
        return web.json_response(
            {"modelName": wanted.name, "modelUrl": wanted.url, "status": "loaded"}
        )

    async def list_models(request: web.Request) -> web.Response:
        return web.json_response(page(manager.urls(), request.query).body())

    async def describe(request: web.Request) -> web.Response:
        name = check_name(request.match_info["name"])
        if name not in manager.loaded:
            raise ModelNotLoaded(f"model {name!r} is not loaded")
        return web.json_response({"modelName": name, "modelUrl": manager.loaded[name].url})

    async def unload(request: web.Request) -> web.Response:
        name = check_name(request.match_info["name"])
        await manager.unload(name)
        return web.json_response({"modelName": name, "status": "unloaded"})

    async def close(_: web.Application) -> None:
        await manager.close()

    app = web.Application(middlewares=[_errors])
    app.router.add_get("/ping", ping)
    app.router.add_post("/models", load)
    app.router.add_get("/models", list_models)
    app.router.add_get("/models/{name}", describe)
    app.router.add_delete("/models/{name}", unload)
    app.on_cleanup.append(close)
    return app


def serve_manager(spec: ManagerSpec, registry: ModelRegistry, environ: Mapping[str, str]) -> None:
    """Run the manager on ``spec.socket`` until SIGTERM or SIGINT."""
    config = Config.model_validate(spec.config)
    with contextlib.suppress(FileNotFoundError):
        spec.socket.unlink()
    app = make_app(Manager(config, registry, spec, environ))
    web.run_app(app, path=str(spec.socket), print=None, access_log=None)
