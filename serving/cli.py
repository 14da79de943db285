"""Command line: ``serve`` (what SageMaker runs) and
``serving serve|config|ping|package|bench|tune``.

``main(argv, environ) -> int`` is the whole program: argparse, then one function per
command. Each command imports what it needs when it runs, so that ``serving ping`` (the
images' HEALTHCHECK) loads neither pydantic nor numpy nor torch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from serving.errors import ConfigError
from serving.startup.sources import Flags

if TYPE_CHECKING:
    from serving.startup.config import Config


def _parser() -> argparse.ArgumentParser:
    from serving.bench.cli import add_bench_arguments
    from serving.tune.cli import add_tune_arguments

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
        config_commands.add_parser("show", help="effective config and the engine's files")
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
    add_tune_arguments(
        commands.add_parser("tune", help="find the fastest way to serve a model, measured")
    )
    return parser


def flags_of(args: argparse.Namespace) -> Flags:
    return Flags(
        config=args.config,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        model_dir=args.model_dir,
    )


def load_config(args: argparse.Namespace, environ: Mapping[str, str]) -> Config:
    """The validated config for these arguments (see ``startup.layering``)."""
    from serving.startup.layering import load_config as layered

    return layered(flags_of(args), environ)


def run_serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.startup.layering import load_config as layered
    from serving.startup.serve import serve, setup_logging

    config = layered(flags_of(args), environ)
    setup_logging(config.server.log_level)
    return serve(config, environ)


def run_config(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.startup.config import Config

    if args.config_command == "schema":
        print(json.dumps(Config.model_json_schema(), indent=2))
        return 0
    from serving.startup.layering import load_config as layered
    from serving.startup.serve import show

    print(show(layered(flags_of(args), environ), environ))
    return 0


def run_ping(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.startup.ping import ping, ping_url

    return ping(ping_url(flags_of(args), environ))


def run_package(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """``serving package``: check the model directory, then write the archive."""
    from serving.startup.packaging import package

    def warn(note: str) -> None:
        print(f"serving: warning: {note}", file=sys.stderr, flush=True)

    epoch = int(environ.get("SOURCE_DATE_EPOCH", "0"))
    written = package(args.model_dir, args.output, args.config, epoch, warn=warn)
    size_mb = args.output.stat().st_size / 2**20
    print(f"wrote {args.output} ({len(written)} files, {size_mb:.1f} MB):")
    for member in written:
        print(f"  {member.name}")
    return 0


def run_bench(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.bench.cli import run_bench as bench

    return bench(args)


def run_tune(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.tune.cli import run_tune as tune

    return tune(args)


COMMANDS = {
    "serve": run_serve,
    "config": run_config,
    "ping": run_ping,
    "package": run_package,
    "bench": run_bench,
    "tune": run_tune,
}


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, environ)
    except ConfigError as error:
        print(f"serving: error: {error.message}", file=sys.stderr, flush=True)
        return 2


def serve_main() -> int:
    """``serve``: exactly what SageMaker runs in a bring-your-own-container image."""
    return main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
