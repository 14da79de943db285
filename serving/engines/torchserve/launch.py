"""TorchServe as an engine: what it needs on this machine, and its launch plan.

:meth:`TorchServe.discover` is the edge (finds Java, TorchServe's home, the /ping
plugin jar); :meth:`TorchServe.plan` is pure: the config, the host and a runtime
directory in, every file, the command line and the environment out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from serving.config.environment import cache_dir, report_dir
from serving.config.schema import Config
from serving.config.sizing import thread_environment, threads_per_worker
from serving.config.worker_specs import worker_spec
from serving.engine import Child, EnginePlan, Host, LoadWatch, ModelRegistry, Upstream, local_url
from serving.engines.torchserve import SOCKET_ENV, TOKEN_ENV
from serving.engines.torchserve.heap import frontend_heap
from serving.engines.torchserve.render import (
    Ports,
    RuntimePaths,
    build_java_command,
    render_config_properties,
    render_log4j2,
    render_model_archive,
)
from serving.errors import ConfigError
from serving.worker_spec import WorkerSpec

# What TorchServe prints itself at every start, past its logging configuration: that it
# started (serve says when it is ready), and, on a machine without nvidia-smi, that
# counting GPUs with it failed (it then counts none, as it should). Its logged start-up
# lines are render.STARTUP_LINES.
QUIET_LINES = ("Model server started.", "nvidia-smi not available or failed: ")
# serve reports "not ready" this long after the slowest model's startup timeout.
READY_MARGIN_S = 30
# TCP listeners TorchServe opens, all on 127.0.0.1: management (only when a port is
# asked for), metrics, two gRPC (configured, never opened: the plugin's NettyServerBuilder)
# and the first worker's (it numbers the others up).
PRIVATE_LISTENERS = 5


@dataclass(frozen=True)
class Installation:
    """Where TorchServe and what it needs live on this machine."""

    java: str
    home: Path  # the directory holding TorchServe's `ts` package (model_server_home)
    plugin_jar: Path
    python_path: Path  # holds `handlers` and `serving`, for the workers' imports
    # Ahead of TorchServe's jar: maintained builds of the libraries hardening took out.
    library_jars: tuple[Path, ...] = ()
    library_warning: str | None = None  # TorchServe's jar as shipped, unhardened


@dataclass(frozen=True)
class TorchServe:
    """TorchServe 0.12.0's Java frontend, started directly (not through its CLI)."""

    installation: Installation
    name: ClassVar[str] = "torchserve"
    # The frontend's own core: HTTP, queueing and the copies between it and the workers.
    reserved_cores: ClassVar[int] = 1

    @classmethod
    def discover(cls, environ: Mapping[str, str]) -> TorchServe:
        """Find Java, TorchServe's installed package, the libraries that replace those its
        jar embedded (hardened: frontend_jar) and the plugin (built on first use)."""
        from serving.engines.torchserve import frontend_jar, plugin

        java = find_java(environ)
        frontend = frontend_jar.installed_jar()
        libraries, warning = frontend_jar.library_jars(frontend)
        return cls(
            Installation(
                java=java,
                home=frontend.parents[2],
                plugin_jar=plugin.plugin_jar(frontend, cache_dir(environ), libraries),
                python_path=Path(__file__).resolve().parents[3],
                library_jars=tuple(libraries),
                library_warning=warning,
            )
        )

    def plan(self, config: Config, host: Host, root: Path) -> EnginePlan:
        paths = RuntimePaths(root)
        ports = ports_for(config, host.free_ports)
        reports = report_dir(host.environ) or root / "load-reports"
        specs = worker_specs(config, host.environ, reports)
        files = {
            "config.properties": render_config_properties(config, ports, paths, host.secret),
            "log4j2.xml": render_log4j2(config.server.log_level, config.server.access_log),
        }
        for model, spec in zip(config.models, specs, strict=True):
            archive = paths.model_archive(model.name).relative_to(root)
            for name, text in render_model_archive(model, config, spec).items():
                files[f"{archive}/{name}"] = text
        heap = frontend_heap(config, host.free_mb)
        command = build_java_command(
            java=self.installation.java,
            ts_home=self.installation.home,
            plugin_jar=self.installation.plugin_jar,
            library_jars=self.installation.library_jars,
            python=host.python,
            paths=paths,
            heap_mb=heap.mb,
            cpus=host.cpus,
        )
        server = config.server
        engine = Child(
            name="TorchServe",
            command=tuple(command),
            environment=worker_environment(config, host, paths, self.installation.python_path),
            quiet_lines=QUIET_LINES,
        )
        return EnginePlan(
            files=files,
            directories=(
                str(paths.tmp.relative_to(root)),
                str(paths.model_store.relative_to(root)),
                str(paths.ready_flags.relative_to(root)),
            ),
            child=engine,
            ready_url=local_url(server.host, server.port, "/ping"),
            # With no model at start (a multi-model endpoint), the JVM's own start.
            ready_timeout_s=max((m.startup_timeout_s for m in config.models), default=90)
            + READY_MARGIN_S,
            upstream=Upstream(
                address=f"unix:{paths.inference_socket}",
                flags=paths.ready_flags,
                authorization=f"Bearer {host.secret}" if host.secret else "",
                # TorchServe sends its per-part streaming flag to the client too.
                private_headers=("ts_stream_next",),
            ),
            loads=LoadWatch(reports, {m.name: m.load_attempts for m in config.models}),
            description=f"TorchServe for {served(config)} on port {server.port}",
            warnings=tuple(w for w in (heap.warning, self.installation.library_warning) if w),
        )

    @classmethod
    def registry(cls, root: Path, environ: Mapping[str, str]) -> ModelRegistry:
        from serving.engines.torchserve.registry import TorchServeRegistry

        return TorchServeRegistry(RuntimePaths(root), environ.get(TOKEN_ENV, ""))

    @classmethod
    def describe(cls, config: Config, host: Host) -> str:
        placeholder = Installation("java", Path("<ts>"), Path("<plugin>"), Path("<serving>"))
        launch = cls(placeholder).plan(config, host, Path("<runtime dir>"))
        parts = [
            "# config.properties. <runtime dir> is a fresh private directory per start; the",
            "# management, metrics, gRPC and worker ports (127.0.0.1 only) are picked free at",
            "# start unless set in the YAML; these were free just now.",
            launch.files["config.properties"],
        ]
        for model in config.models:
            parts += [
                f"# model-config.yaml of model {model.name!r}",
                launch.files[f"model-store/{model.name}/model-config.yaml"],
            ]
        return "\n".join(parts)


def served(config: Config) -> str:
    """What the log says the server serves."""
    if config.server.multi_model:
        return "a multi-model endpoint"
    return ", ".join(m.name for m in config.models)


def ports_for(config: Config, free: Sequence[int]) -> Ports:
    """The private listeners: the YAML's management and metrics ports, else free ones."""
    if len(free) < PRIVATE_LISTENERS:
        raise ValueError(f"TorchServe needs {PRIVATE_LISTENERS} free ports, got {len(free)}")
    settings = config.server.torchserve
    return Ports(
        management=settings.management_port,
        metrics=settings.metrics_port or free[1],
        grpc_inference=free[2],
        grpc_management=free[3],
        first_worker=free[4],
    )


def worker_specs(
    config: Config, environ: Mapping[str, str], reports: Path
) -> tuple[WorkerSpec, ...]:
    """Each model's spec, with the serving cache of ``environ`` and ``reports``."""
    cache = cache_dir(environ)
    return tuple(worker_spec(m, config, cache_dir=cache, report_dir=reports) for m in config.models)


def worker_environment(
    config: Config, host: Host, paths: RuntimePaths, python_path: Path
) -> dict[str, str]:
    """The frontend's environment, which its workers inherit."""
    env = dict(host.environ)
    workers = sum(config.workers_of(m) for m in config.models)
    threads = threads_per_worker(host.cpus, workers, reserved=TorchServe.reserved_cores)
    env |= thread_environment(host.environ, threads)
    inherited = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
    env["PYTHONPATH"] = os.pathsep.join([str(python_path), *inherited])
    env["PYTHONUNBUFFERED"] = "1"  # user print() reaches stdout as it happens
    env["LOG_LOCATION"] = env["METRICS_LOCATION"] = str(paths.root / "logs")
    env[SOCKET_ENV] = str(paths.inference_socket)
    if host.secret:
        env[TOKEN_ENV] = host.secret  # the workers' stream checks ask the engine too
    return env


def find_java(environ: Mapping[str, str]) -> str:
    """``$JAVA_HOME/bin/java``, else ``java`` on PATH; ConfigError if neither runs."""
    java_home = environ.get("JAVA_HOME")
    candidate = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not candidate or not os.access(candidate, os.X_OK):
        raise ConfigError(
            "TorchServe needs Java 17: install openjdk-17-jre-headless or set JAVA_HOME"
        )
    return candidate
