"""Command line: ``serve`` (what SageMaker runs) and ``serving serve|config``.

``main(argv) -> int`` is the whole program; it reads the environment and the config
file once, here, and hands plain values to the rest.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import serving
from serving import process
from serving.bench.cli import add_bench_arguments, run_bench
from serving.engines.torchserve import plugin
from serving.engines.torchserve.render import (
    Ports,
    RuntimePaths,
    build_java_command,
    render_config_properties,
    render_log4j2,
    render_manifest,
    render_model_config_yaml,
    workers_of,
)
from serving.errors import ConfigError
from serving.startup.config import Config, Layer, build_config, dump_yaml, read_yaml
from serving.startup.environment import environment_layers
from serving.startup.packaging import package
from serving.startup.preflight import check_model, requirements_file
from serving.startup.sizing import thread_environment, threads_per_worker

log = logging.getLogger("serving")
PROJECT_ROOT = Path(serving.__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="serving", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def add_config_flags(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--config", type=Path, help="YAML config (default: SageMaker mode)")
        sub.add_argument("--port", type=int, help="public port (overrides YAML and environment)")
        sub.add_argument("--workers", type=int, help="default workers per model")
        sub.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
        sub.add_argument("--model-dir", type=Path, help="model directory (single-model configs)")

    add_config_flags(commands.add_parser("serve", help="start the server"))
    config = commands.add_parser("config", help="inspect the config")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    add_config_flags(
        config_commands.add_parser("show", help="effective config and TorchServe files")
    )
    config_commands.add_parser("schema", help="JSON Schema of the YAML config")
    add_config_flags(
        commands.add_parser("ping", help="exit 0 if the local server is ready (HEALTHCHECK)")
    )
    pack = commands.add_parser("package", help="write a model directory as model.tar.gz")
    pack.add_argument("model_dir", type=Path, help="weights at the top, code/inference.py")
    pack.add_argument("-o", "--output", type=Path, default=Path("model.tar.gz"))
    pack.add_argument("--config", type=Path, help="YAML to bundle as code/serving.yaml")
    add_bench_arguments(commands.add_parser("bench", help="eager vs compiled, under load"))
    return parser


def _flag_layers(args: argparse.Namespace) -> tuple[Layer, Layer]:
    server, model = Layer("command line"), Layer("command line")
    if args.port is not None:
        server.set(("server", "port"), args.port, f"--port {args.port}")
    if args.workers is not None:
        server.set(("server", "workers"), args.workers, f"--workers {args.workers}")
    if args.log_level is not None:
        server.set(("server", "log_level"), args.log_level, f"--log-level {args.log_level}")
    if args.model_dir is not None:
        model.set(("model_dir",), str(args.model_dir.resolve()), f"--model-dir {args.model_dir}")
    return server, model


def config_path_for(
    explicit: Path | None, environ: Mapping[str, str], model_dir: Path
) -> Path | None:
    """The YAML to read: --config, else SERVING_CONFIG, else <model dir>/code/serving.yaml."""
    if explicit is not None:
        return explicit
    if environ.get("SERVING_CONFIG"):
        return Path(environ["SERVING_CONFIG"])
    bundled = model_dir / "code" / "serving.yaml"
    return bundled if bundled.is_file() else None


def load_config(args: argparse.Namespace, environ: Mapping[str, str]) -> Config:
    """Defaults < YAML < SAGEMAKER_* environment < flags, validated once."""
    env = environment_layers(environ)
    model_dir = args.model_dir.resolve() if args.model_dir is not None else env.model_dir
    path = config_path_for(args.config, environ, model_dir)
    values = read_yaml(path) if path is not None else {}
    flags_server, flags_model = _flag_layers(args)
    return build_config(
        values,
        str(path) if path else "built-in defaults",
        server_layers=[env.server, flags_server],
        model_layers=[env.model, flags_model],
        model_defaults=env.model_defaults,
        yaml_dir=path.parent.resolve() if path else None,
    )


def _ports(config: Config) -> Ports:
    server = config.server
    return Ports(
        management=server.management_port or process.free_port(),
        metrics=server.metrics_port or process.free_port(),
        grpc_inference=process.free_port(),
        grpc_management=process.free_port(),
        first_worker=process.free_port(),
    )


def write_runtime(config: Config, paths: RuntimePaths, ports: Ports) -> None:
    """Write TorchServe's files into this server's private directory."""
    paths.tmp.mkdir(parents=True, exist_ok=True)
    paths.config_properties.write_text(render_config_properties(config, ports, paths))
    paths.log_config.write_text(render_log4j2(config.server.log_level, config.server.access_log))
    for model in config.models:
        archive = paths.model_archive(model)
        (archive / "MAR-INF").mkdir(parents=True, exist_ok=True)
        (archive / "MAR-INF" / "MANIFEST.json").write_text(render_manifest(model))
        (archive / "model-config.yaml").write_text(render_model_config_yaml(model, config))


def _worker_environment(
    environ: Mapping[str, str], paths: RuntimePaths, config: Config
) -> dict[str, str]:
    env = dict(environ)
    workers = sum(workers_of(m, config) for m in config.models)
    env |= thread_environment(environ, threads_per_worker(len(os.sched_getaffinity(0)), workers))
    pythonpath = [str(PROJECT_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    env["PYTHONUNBUFFERED"] = "1"  # user print() reaches stdout as it happens
    env["LOG_LOCATION"] = env["METRICS_LOCATION"] = str(paths.root / "logs")
    return env


def serve(config: Config, environ: Mapping[str, str]) -> int:
    """Check the models, install requirements, start TorchServe and supervise it."""
    for model in config.models:
        check_model(model)
    java = process.find_java(environ)
    import ts  # TorchServe's Python package only locates the frontend jar here

    ts_home = Path(ts.__file__).resolve().parent.parent
    jar = plugin.plugin_jar(ts_home / "ts" / "frontend" / "model-server.jar")
    if config.server.install_requirements:
        for model in config.models:
            requirements = requirements_file(model)
            if requirements is not None:
                process.install_requirements(requirements)
    root = Path(tempfile.mkdtemp(prefix="serving-"))
    try:
        paths = RuntimePaths(root)
        write_runtime(config, paths, _ports(config))
        command = build_java_command(
            java=java,
            ts_home=ts_home,
            plugin_jar=jar,
            python=sys.executable,
            paths=paths,
            heap_mb=config.server.java_heap_mb,
        )
        log.info(
            "starting TorchServe for %s on port %d",
            ", ".join(m.name for m in config.models),
            config.server.port,
        )
        supervisor = process.Supervisor(command, _worker_environment(environ, paths, config), root)
        return supervisor.run(
            ping_url=local_ping_url(config),
            ready_timeout_s=max(m.startup_timeout_s for m in config.models) + 30,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def show(config: Config) -> str:
    """The effective config and the TorchServe files that would be generated from it."""
    paths = RuntimePaths(Path("<runtime dir>"))
    ports = _ports(config)
    parts = [
        "# Effective config (defaults < YAML < SAGEMAKER_* environment < flags)",
        dump_yaml(config),
        "# config.properties. <runtime dir> is a fresh private directory per start; the",
        "# management, metrics, gRPC and worker ports (127.0.0.1 only) are picked free at",
        "# start unless set in the YAML; these were free just now.",
        render_config_properties(config, ports, paths),
    ]
    for model in config.models:
        parts += [
            f"# model-config.yaml of model {model.name!r}",
            render_model_config_yaml(model, config),
        ]
    return "\n".join(parts)


def local_ping_url(config: Config) -> str:
    """/ping of the server this config describes, as reached from this machine."""
    host = "127.0.0.1" if config.server.host in ("0.0.0.0", "::") else config.server.host
    return f"http://{host}:{config.server.port}/ping"


def ping(config: Config, timeout_s: float = 5.0) -> int:
    """0 if this machine's server answers /ping with 200 (the image's HEALTHCHECK)."""
    url = local_ping_url(config)
    status = process.http_status(url, timeout_s)
    print(f"{url}: {status if status is not None else 'no answer'}")
    return 0 if status == 200 else 1


def run_package(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """``serving package``: check the model directory, then write the archive."""
    written = package(
        args.model_dir, args.output, args.config, int(environ.get("SOURCE_DATE_EPOCH", "0"))
    )
    size_mb = args.output.stat().st_size / 2**20
    print(f"wrote {args.output} ({len(written)} files, {size_mb:.1f} MB):")
    for member in written:
        print(f"  {member.name}")
    return 0


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    args = _parser().parse_args(argv)
    try:
        if args.command == "bench":
            return run_bench(args)
        if args.command == "package":
            return run_package(args, environ)
        if args.command == "config" and args.config_command == "schema":
            print(json.dumps(Config.model_json_schema(), indent=2))
            return 0
        config = load_config(args, environ)
        if args.command == "config":
            print(show(config))
            return 0
        if args.command == "ping":
            return ping(config)
        _setup_logging(config.server.log_level)
        return serve(config, environ)
    except ConfigError as error:
        print(f"serving: error: {error.message}", file=sys.stderr, flush=True)
        return 2


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        stream=sys.stdout,
        level=level,
        format="%(asctime)s [%(levelname)-5s] %(name)s - %(message)s",
        force=True,
    )


def serve_main() -> int:
    """``serve``: exactly what SageMaker runs in a bring-your-own-container image."""
    return main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
