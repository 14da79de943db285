"""Command line: ``serve`` (what SageMaker runs) and ``serving serve|config|ping|package``,
plus the commands other installed distributions add (the lab's ``bench`` and ``tune``).

``main(argv, environ) -> int`` is the whole program: argparse, then one function per
command. Each command imports what it needs when it runs, so that ``serving ping`` (the
images' HEALTHCHECK) loads neither pydantic nor numpy nor torch, nor looks for plugins.

A plugin is an entry point in the ``serving.commands`` group naming a :class:`Command`;
the runtime never imports a plugin's package by name.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from serving.config.sources import Flags
from serving.errors import ConfigError

if TYPE_CHECKING:
    from serving.config.schema import Config


#: The entry point group of the commands other distributions add to ``serving``.
PLUGIN_GROUP = "serving.commands"
#: Commands that come with the lab (``lab/``, the ``serving-lab`` distribution): named here
#: only to say how to get them when they are missing.
LAB_COMMANDS = ("bench", "tune")


@dataclass(frozen=True)
class Command:
    """A command a plugin adds: ``serving NAME ...`` parses with ``add_arguments`` and
    runs ``run(args)``, whose return value is the exit status."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def plugin_commands() -> dict[str, Command]:
    """The commands installed distributions add, by name (entry points of
    :data:`PLUGIN_GROUP`); one that is not a :class:`Command` is a packaging error."""
    found: dict[str, Command] = {}
    for point in entry_points(group=PLUGIN_GROUP):
        command = point.load()
        if not isinstance(command, Command):
            raise TypeError(f"entry point {point.value} is not a serving.cli.Command")
        found[point.name] = command
    return found


def _parser(plugins: Mapping[str, Command] | None = None) -> argparse.ArgumentParser:
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
    for name, command in (plugins or {}).items():
        if name not in COMMANDS:
            command.add_arguments(commands.add_parser(name, help=command.help))
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
    from serving.config.layering import load_config as layered

    return layered(flags_of(args), environ)


def run_serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.config.layering import load_config as layered
    from serving.logs import setup_logging
    from serving.startup.serve import serve

    config = layered(flags_of(args), environ)
    setup_logging(config.server.log_level)
    return serve(config, environ)


def run_config(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.config.schema import Config

    if args.config_command == "schema":
        print(json.dumps(Config.model_json_schema(), indent=2))
        return 0
    from serving.config.layering import load_config as layered
    from serving.startup.serve import show

    print(show(layered(flags_of(args), environ), environ))
    return 0


def run_ping(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from serving.ping import ping, ping_url

    return ping(ping_url(flags_of(args), environ))


def run_package(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """``serving package``: check the model directory, then write the archive."""
    from serving.packaging import package

    def warn(note: str) -> None:
        print(f"serving: warning: {note}", file=sys.stderr, flush=True)

    epoch = int(environ.get("SOURCE_DATE_EPOCH", "0"))
    written = package(args.model_dir, args.output, args.config, epoch, warn=warn)
    size_mb = args.output.stat().st_size / 2**20
    print(f"wrote {args.output} ({len(written)} files, {size_mb:.1f} MB):")
    for member in written:
        print(f"  {member.name}")
    return 0


COMMANDS = {
    "serve": run_serve,
    "config": run_config,
    "ping": run_ping,
    "package": run_package,
}


def wants_plugins(argv: Sequence[str]) -> bool:
    """Whether this command line may name a plugin's command: not when it names one of
    ours (``serving ping`` runs every few seconds as a HEALTHCHECK)."""
    return not argv or argv[0] not in COMMANDS


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    plugins: Mapping[str, Command] | None = None,
) -> int:
    """Run one command line; ``plugins`` defaults to the installed ones (when wanted)."""
    environ = os.environ if environ is None else environ
    argv = sys.argv[1:] if argv is None else list(argv)
    if plugins is None:
        plugins = plugin_commands() if wants_plugins(argv) else {}
    if argv and argv[0] in LAB_COMMANDS and argv[0] not in plugins:
        print(
            f"serving: error: `serving {argv[0]}` comes with the lab (lab/, the serving-lab "
            "distribution), which is not installed here: pip install ./lab (make setup does)",
            file=sys.stderr,
            flush=True,
        )
        return 2
    args = _parser(plugins).parse_args(argv)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args, environ)
        return plugins[args.command].run(args)
    except ConfigError as error:
        print(f"serving: error: {error.message}", file=sys.stderr, flush=True)
        return 2


def serve_main() -> int:
    """``serve``: exactly what SageMaker runs in a bring-your-own-container image."""
    return main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
