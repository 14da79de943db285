"""``serve``: check (models, the port) → requirements → the engine's plan, the manager's
and the front's around it → their files → supervise.

Also ``serving config show``, which prints the same plan's files without starting
anything. The engine is looked up by ``server.engine``; nothing here knows which it is.
"""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from serving import net, process
from serving.admission import check_model, gave_up, requirements_to_install
from serving.config.batching import batched
from serving.config.environment import safe_port_range
from serving.config.schema import Config, ModelConfig, batch_waits_past_timeout, dump_yaml
from serving.config.sizing import WORKER_BASE_MB, model_files_mb, sized
from serving.engine import EnginePlan, Host, Launch, LoadWatch, Upstream, engine_class
from serving.errors import ConfigError
from serving.front import find_nginx
from serving.front.nginx import FrontPlan, plan_front
from serving.load_report import read_load_reports
from serving.machine.memory import machine_free_mb
from serving.machine.processors import available_cpus, gpu_count
from serving.multimodel.launch import ManagerPlan, plan_manager
from serving.worker.hooks import runtime_runs_requests

log = logging.getLogger("serving")

# Loopback ports picked free for an engine's private listeners (TorchServe needs 5).
SPARE_PORTS = 8


def current_host(environ: Mapping[str, str], public_port: int | None = None) -> Host:
    """This machine as a launch plan sees it: read here, once. The engine's private
    ports are free ones, from ``SAGEMAKER_SAFE_PORT_RANGE`` when it is set (never the
    public port)."""
    within = safe_port_range(environ)
    exclude = () if public_port is None else (public_port,)
    try:
        ports = net.free_ports(SPARE_PORTS, within, exclude)
    except ValueError as error:
        raise ConfigError(f"SAGEMAKER_SAFE_PORT_RANGE: {error}") from None
    return Host(
        environ=dict(environ),
        cpus=available_cpus(),
        python=sys.executable,
        free_ports=ports,
        user=pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None,
        free_mb=machine_free_mb(),
        secret=secrets.token_urlsafe(32),
    )


def sized_for(config: Config, environ: Mapping[str, str], cpus: int) -> Config:
    """:func:`~serving.config.sizing.sized` with this machine's GPUs, free memory and
    the models' weights read here (the edge)."""
    weights = {m.name: model_files_mb(m.model_dir) for m in config.models if m.model_dir}
    room = machine_free_mb()
    return sized(config, cpus, gpu_count(environ), room, weights, WORKER_BASE_MB)


def log_sizing(before: Config, after: Config, engine: EnginePlan, cpus: int) -> None:
    """Says how many workers each model got, whether that was set, and the intra-op
    threads the engine's plan gives its workers."""
    threads = engine.child.environment.get("OMP_NUM_THREADS", "torch's default")
    for declared, model in zip(before.models, after.models, strict=True):
        chosen = "as set" if declared.workers or before.server.workers else "sized: unset"
        log.info(
            "model %s: %d worker(s) x %s thread(s) on %d core(s) (%s); %s",
            model.name,
            after.workers_of(model),
            threads,
            cpus,
            chosen,
            batching_text(model),
        )


def batching_text(model: ModelConfig) -> str:
    """How ``model``'s requests are batched, in words."""
    if model.batch_size == 1:
        return "one request per batch"
    if model.max_batch_delay_ms == 0:
        return "no wait: a request already queued joins the one a worker takes"
    return f"batches of up to {model.batch_size}, waiting up to {model.max_batch_delay_ms} ms"


def write_launch(root: Path, launch: Launch) -> None:
    """The plan's files and directories, under ``root``."""
    for directory in launch.directories:
        (root / directory).mkdir(parents=True, exist_ok=True)
    for name, text in launch.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def around_engine(config: Config, engine: EnginePlan, host: Host, nginx: str, root: Path) -> Launch:
    """What the supervisor starts: the engine's plan, a multi-model endpoint's manager
    after it, and the front last; each wing plans its own part, and only the few fields
    the supervisor needs are kept. Pure."""
    manager = plan_manager(config, engine, host, root) if config.server.multi_model else None
    front = plan_front(
        config, engine.upstream, manager.upstream if manager else None, host, nginx, root
    )
    parts: list[EnginePlan | ManagerPlan | FrontPlan] = [engine]
    if manager is not None:
        parts.append(manager)
    parts.append(front)
    return Launch(
        files={name: text for part in parts for name, text in part.files.items()},
        directories=tuple(directory for part in parts for directory in part.directories),
        children=tuple(part.child for part in parts),
        ready_url=engine.ready_url,
        ready_timeout_s=engine.ready_timeout_s,
        description=engine.description,
    )


def check_port(host: str, port: int) -> None:
    """Refuse to start when something already listens on the public port, before any
    readiness probe could mistake that other server's /ping for ours."""
    if not net.can_listen(host, port):
        raise ConfigError(
            f"port {port} on {host} is in use by another process; stop it, or serve on "
            "another port (--port, SAGEMAKER_BIND_TO_PORT or server.port)"
        )


def serve(config: Config, environ: Mapping[str, str]) -> int:
    """Check the models, install requirements, start the engine and supervise it."""
    runs = {model.name: runtime_runs_requests(check_model(model)) for model in config.models}
    config = batched(config, runs)
    check_port(config.server.host, config.server.port)
    engine = engine_class(config.server.engine).discover(environ)
    nginx = find_nginx(environ)
    for model in config.models:
        requirements = requirements_to_install(model, config)
        if requirements is not None:
            process.install_requirements(requirements)
    root = Path(tempfile.mkdtemp(prefix="serving-"))
    try:
        host = current_host(environ, config.server.port)
        declared, config = config, sized_for(config, environ, host.cpus)
        for warning in batch_waits_past_timeout(config):
            log.warning("%s", warning)
        engine_plan = engine.plan(config, host, root)
        log_sizing(declared, config, engine_plan, host.cpus)
        for warning in engine_plan.warnings:
            log.warning("%s", warning)
        launch = around_engine(config, engine_plan, host, nginx, root)
        write_launch(root, launch)
        log.info("starting %s", launch.description)
        supervisor = process.Supervisor(launch.children, root)
        return supervisor.run(
            ping_url=launch.ready_url,
            ready_timeout_s=launch.ready_timeout_s,
            give_up=lambda: give_up_reason(engine_plan.loads),
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def runtime_runs_for_show(config: Config) -> dict[str, bool]:
    """Whether the runtime runs each model's requests, for ``show``; a model that
    ``serve`` would refuse shows no batching of its own (its error is ``serve``'s)."""
    runs: dict[str, bool] = {}
    for model in config.models:
        try:
            runs[model.name] = runtime_runs_requests(check_model(model))
        except (ConfigError, OSError, UnicodeDecodeError):
            runs[model.name] = False
    return runs


def give_up_reason(loads: LoadWatch | None) -> str | None:
    """Why serve should stop: a model whose last loads all failed (see the model's
    ``load_attempts``), named with its last error; None while every model may load."""
    if loads is None or not loads.attempts:
        return None  # no model at start (a multi-model endpoint): nothing to give up on
    verdict = gave_up(read_load_reports(loads.reports), loads.attempts)
    if verdict is None:
        return None
    model, last = verdict
    return (
        f"model {model!r} failed to load {loads.attempts[model]} times in a row, "
        f"giving up (models[].load_attempts); the last error: {last.error}"
    )


def show(config: Config, environ: Mapping[str, str]) -> str:
    """The effective config and what the engine would generate from it."""
    engine = engine_class(config.server.engine)
    # Each start draws its own key: show where it goes, never a key.
    host = replace(current_host(environ), secret="<drawn at each start>")
    config = sized_for(batched(config, runtime_runs_for_show(config)), environ, host.cpus)
    runtime = Path("<runtime dir>")
    upstream = Upstream(
        "unix:<runtime dir>/inference.sock",
        flags=runtime / "ready",
        authorization=f"Bearer {host.secret}",
    )
    manager = Upstream("unix:<runtime dir>/models.sock", flags=runtime / "loaded")
    multi = config.server.multi_model
    front = plan_front(config, upstream, manager if multi else None, host, "nginx", runtime)
    return "\n".join(
        [
            "# Effective config (defaults < YAML < SAGEMAKER_* environment < flags)",
            dump_yaml(config),
            "# nginx.conf (the front on the public port)",
            front.files["nginx.conf"],
            engine.describe(config, host),
        ]
    )
