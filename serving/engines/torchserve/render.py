"""Pure rendering of TorchServe's files and command line from the validated config.

This is the only module that knows TorchServe's key names. Nothing here touches the
file system or the environment: paths, ports and worker specs come in as values, text
comes out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from serving.config.schema import Config, ModelConfig
from serving.config.worker_specs import response_limit_bytes
from serving.engines.torchserve import SPEC_KEY
from serving.worker_spec import MB, WorkerSpec

HANDLER = "handlers.sagemaker_handler:handle"
MODEL_VERSION = "1.0"

_LOG4J_LEVELS = {"DEBUG": "debug", "INFO": "info", "WARNING": "warn", "ERROR": "error"}
# The lines TorchServe 0.12 writes at INFO for every request that succeeds (measured:
# five, 581 bytes a request with the digits model, and one per /ping): the frontend's
# worker thread and batch aggregator, the worker's "received inference" and its
# per-request metrics.
# Dropped unless log_level is DEBUG; worker starts, deaths and errors still show.
PER_REQUEST_LINES = (
    "Looping backend response at",
    "Backend response time",
    "Sending response for jobId",
    "Backend received inference at",
    # Each call of a plugin endpoint: /ping, which SageMaker calls every few seconds.
    "Running .+ endpoint took",
    # The metrics line is logged as "result={}, pattern={}"; log4j's filter sees that
    # pattern, not the formatted line.
    "result=\\{\\}, pattern=",
)


@dataclass(frozen=True)
class Ports:
    """TorchServe's TCP listeners: all bind 127.0.0.1. (Its inference listener, and its
    management listener unless a port is asked for, are Unix sockets in the runtime
    directory: reachable by this user only, the front included.)"""

    management: int | None
    metrics: int
    grpc_inference: int
    grpc_management: int
    first_worker: int


@dataclass(frozen=True)
class RuntimePaths:
    """Where one server's generated files live (a private directory per server)."""

    root: Path

    @property
    def config_properties(self) -> Path:
        return self.root / "config.properties"

    @property
    def log_config(self) -> Path:
        return self.root / "log4j2.xml"

    @property
    def inference_socket(self) -> Path:
        return self.root / "inference.sock"

    @property
    def management_socket(self) -> Path:
        return self.root / "management.sock"

    @property
    def model_store(self) -> Path:
        return self.root / "model-store"

    @property
    def ready_flags(self) -> Path:
        return self.root / "ready"

    @property
    def tmp(self) -> Path:
        # java.io.tmpdir: TorchServe names worker sockets <tmpdir>/.ts.sock.<port>,
        # so a private tmpdir keeps two servers on one machine apart.
        return self.root / "tmp"

    def model_archive(self, name: str) -> Path:
        return self.model_store / name


def expected_workers(config: Config) -> str:
    """``name=count,...``: what the /ping plugin waits for."""
    return ",".join(f"{m.name}={config.workers_of(m)}" for m in config.models)


def render_config_properties(
    config: Config, ports: Ports, paths: RuntimePaths, secret: str = ""
) -> str:
    """TorchServe's config.properties, one key per line, newline-terminated. With a
    ``secret``, every listener asks for it (the plugin installs it as every key)."""
    server = config.server
    load_models = ",".join(f"{m.name}={paths.model_archive(m.name)}" for m in config.models)
    properties: dict[str, Any] = {
        # Behind the front (serving/front): private, and one hop cheaper than TCP.
        "inference_address": f"unix:{paths.inference_socket}",
        "management_address": (
            f"http://127.0.0.1:{ports.management}"
            if ports.management is not None
            else f"unix:{paths.management_socket}"
        ),
        "metrics_address": f"http://127.0.0.1:{ports.metrics}",
        "grpc_inference_address": "127.0.0.1",
        "grpc_management_address": "127.0.0.1",
        "grpc_inference_port": ports.grpc_inference,
        "grpc_management_port": ports.grpc_management,
        "initial_worker_port": ports.first_worker,
        # The inference and management listeners are Unix sockets in a 0700 directory,
        # the others loopback-only; the model API (register from a URL) stays off but
        # for a multi-model endpoint, which registers its models through it (on the
        # management socket, with the key).
        # Token authorization on, with serve's key (PrivateKeys.java): TorchServe's two
        # gRPC listeners, which cannot be turned off, refuse whoever lacks it.
        "disable_token_authorization": "false" if secret else "true",
        "enable_model_api": "true" if server.multi_model else "false",
        "enable_envvars_config": "false",
        # Hooks get the raw bytes, as with the AWS toolkit.
        "decode_input_request": "false",
        # Each model names its own workers (model-config.yaml); this covers any other.
        "default_workers_per_model": server.workers or 1,
        "default_response_timeout": server.response_timeout_s,
        "max_request_size": server.max_payload_mb * MB,
        # A response above max_response_size makes TorchServe drop the worker's
        # connection (and restart the worker): the workers refuse answers above this
        # same limit themselves, with a clean error.
        "max_response_size": response_limit_bytes(server.max_payload_mb),
        "model_store": paths.model_store,
        **({"load_models": load_models} if load_models else {}),
        "allowed_urls": "file://.*",
        "async_logging": "true",
        # A Python subprocess collecting host metrics every minute, for logs we drop.
        "disable_system_metrics": "true",
        # Read by our /ping and /execution-parameters endpoints (serving/plugin/).
        "serving_expected_workers": expected_workers(config),
        # ... which is ready once TorchServe is up when there is no model at start.
        "serving_multi_model": "true" if server.multi_model else "false",
        # The plugin keeps a file per model here while it can serve (ReadyFlags.java).
        "serving_ready_dir": paths.ready_flags,
        **({"serving_token": secret} if secret else {}),
        "serving_max_concurrent_transforms": server.max_concurrent_transforms,
        "serving_batch_strategy": server.batch_strategy,
        "serving_max_payload_in_mb": server.max_payload_mb,
    }
    lines = ["# Generated by serving; do not edit. See `serving config show`."]
    lines += [f"{key}={_escape(str(value))}" for key, value in properties.items()]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    # java.util.Properties treats backslash as an escape character.
    return value.replace("\\", "\\\\")


def render_model_config(model: ModelConfig, config: Config, spec: WorkerSpec) -> dict[str, Any]:
    """The per-model model-config.yaml: TorchServe's keys, and the worker's spec."""
    workers = config.workers_of(model)
    return {
        "minWorkers": workers,
        "maxWorkers": max(workers, model.max_workers or workers),
        "batchSize": model.batch_size,
        "maxBatchDelay": model.max_batch_delay_ms,
        # Always emit both timeouts: with any model-config.yaml present, TorchServe
        # silently uses 120 s for a missing one and ignores config.properties.
        "responseTimeout": model.response_timeout_s or config.server.response_timeout_s,
        "startupTimeout": model.startup_timeout_s,
        "jobQueueSize": model.queue_size,
        **({"deviceType": "cpu"} if model.device == "cpu" else {}),
        SPEC_KEY: spec.to_dict(),
    }


def render_model_config_yaml(model: ModelConfig, config: Config, spec: WorkerSpec) -> str:
    return yaml.safe_dump(render_model_config(model, config, spec), sort_keys=False)


def render_model_archive(model: ModelConfig, config: Config, spec: WorkerSpec) -> dict[str, str]:
    """A model's no-archive directory in the model store: path within it -> content."""
    return {
        "MAR-INF/MANIFEST.json": render_manifest(model),
        "model-config.yaml": render_model_config_yaml(model, config, spec),
    }


def render_manifest(model: ModelConfig) -> str:
    """MAR-INF/MANIFEST.json of the generated no-archive model directory."""
    return json.dumps(
        {
            "runtime": "python",
            "model": {
                "modelName": model.name,
                "handler": HANDLER,
                "modelVersion": MODEL_VERSION,
                "configFile": "model-config.yaml",
            },
            "archiverVersion": "0.12.0",
        },
        indent=2,
    )


# What TorchServe 0.12 writes at INFO (and one WARN) while it and each worker start: its
# configuration dump, plugin and listener lines, and the Python worker's own start-up.
# None says anything a user acts on (serve logs what it sized, each model it loaded
# with its hooks, and when it is ready); dropped unless log_level is DEBUG. Worker
# deaths, failed loads and errors still show.
STARTUP_LINES = (
    "\\nTorchserve version:",  # the 40-line configuration dump, one message
    "Initializing plugins manager",
    "Loading plugin for endpoint",
    " ?Loading snapshot serializer plugin",
    "Successfully loaded metrics configuration",
    "Loading initial models",
    "createTempDir ",
    "createSymbolicDir ",
    # No archive is built (the model store holds generated directories): nothing to
    # upgrade, whatever it says.
    "Model archive createdOn is not defined",
    "Model \\S+ loaded\\.$",
    "Initialize \\S+ server with",
    "\\S+ API bind to",
    "Connecting to: ",
    # The Python worker's start, through MODEL_LOG.
    "s_name_part0=",
    "Listening on port: ",
    "Successfully loaded \\S+metrics\\.yaml",
    "\\[PID\\]",
    "Torch worker started\\.",
    "Python runtime: ",
    "Connection accepted: ",
    "model_name: \\S+, batchSize: ",
)


def render_log4j2(log_level: str, access_log: bool = False) -> str:
    """Everything to stdout, nothing to files: containers ship stdout to CloudWatch.
    No line per successful request below DEBUG (the access log aside, when asked for),
    nor TorchServe's routine start-up lines."""
    level = _LOG4J_LEVELS[log_level]
    access = level if access_log else "off"
    quiet = (
        ""
        if log_level == "DEBUG"
        else (
            f'  <RegexFilter regex="(?s)(?:{"|".join(PER_REQUEST_LINES + STARTUP_LINES)}).*" '
            'onMatch="DENY" onMismatch="NEUTRAL"/>\n'
        )
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
{quiet}  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="%d{{DEFAULT}} [%-5p] %c{{1}} - %m%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="MODEL_LOG" level="{level}" additivity="false">
      <AppenderRef ref="STDOUT"/>
    </Logger>
    <Logger name="ACCESS_LOG" level="{access}" additivity="false">
      <AppenderRef ref="STDOUT"/>
    </Logger>
    <Logger name="org.pytorch.serve" level="{level}" additivity="false">
      <AppenderRef ref="STDOUT"/>
    </Logger>
    <!-- Its banner names a key file the plugin deletes: serve's key is the one in use. -->
    <Logger name="org.pytorch.serve.util.TokenAuthorization" level="warn" additivity="false">
      <AppenderRef ref="STDOUT"/>
    </Logger>
    <Logger name="MODEL_METRICS" level="off"/>
    <Logger name="TS_METRICS" level="off"/>
    <Logger name="io.netty" level="error"/>
    <Logger name="org.apache" level="off"/>
    <Root level="{level}"><AppenderRef ref="STDOUT"/></Root>
  </Loggers>
</Configuration>
"""


def fork_join_parallelism(cpus: int) -> int:
    """The JVM's common pool size: its own default (cpus - 1), but never below 2.

    TorchServe's WorkerThread hands every request to its worker with
    ``CompletableFuture.runAsync``, which runs on the common pool, or, where that pool's
    parallelism is below 2 (the JVM's default on one or two cores), on a new thread per
    task. On a 2-core machine that was a thread started for every request, on the
    request's path (measured: 1.46x the throughput at concurrency 8 with the pool at 2,
    docs/bench/overhead/before-after).
    """
    return max(2, cpus - 1)


def build_java_command(
    *,
    java: str,
    ts_home: Path,
    plugin_jar: Path,
    library_jars: Sequence[Path] = (),
    python: str,
    paths: RuntimePaths,
    heap_mb: int,
    cpus: int,
) -> list[str]:
    """The frontend's command line. We start Java ourselves rather than through the
    ``torchserve`` CLI: the CLI keeps one pid file per TMPDIR (one server per machine),
    forwards no signals, and would hide the process we must supervise."""
    # The plugin first: it also carries classes that replace the frontend jar's own; then
    # the maintained libraries that replace those the hardened jar no longer embeds.
    frontend = ts_home / "ts" / "frontend" / "*"
    classpath = ":".join(str(path) for path in (plugin_jar, *library_jars, frontend))
    return [
        java,
        f"-Xmx{heap_mb}m",
        "-XX:+ExitOnOutOfMemoryError",
        f"-Djava.util.concurrent.ForkJoinPool.common.parallelism={fork_join_parallelism(cpus)}",
        f"-Djava.io.tmpdir={paths.tmp}",
        f"-Dmodel_server_home={ts_home}",
        f"-Dlog4j.configurationFile=file://{paths.log_config}",
        "-cp",
        classpath,
        "org.pytorch.serve.ModelServer",
        "--python",
        python,
        "-f",
        str(paths.config_properties),
        "-s",
        str(paths.model_store),
        "-ncs",
    ]
