"""The images' ENTRYPOINT: ``docker run IMAGE [serve | COMMAND ...]``.

SageMaker runs ``docker run IMAGE serve``. ``serve`` replaces this process (exec), so the
runtime is PID 1 and gets SIGTERM from ``docker stop`` itself: it forwards it to the engine
and reaps orphans (``serving.process``). Any other command runs as given, so
``docker run IMAGE python -c ...`` and ``docker run -it IMAGE bash`` work too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from serving import process


def command_for(argv: Sequence[str]) -> list[str]:
    """What to exec for the container's arguments (``[]`` means the default, ``serve``)."""
    if not argv or argv[0] == "serve":
        return ["serve", *argv[1:]]
    return list(argv)


def main() -> None:
    command = command_for(sys.argv[1:])
    try:
        process.exec_command(command)
    except OSError as error:  # exec failed: say what, exit as a shell would (126/127)
        print(f"serving-entrypoint: {command[0]}: {error.strerror}", file=sys.stderr)
        sys.exit(127 if isinstance(error, FileNotFoundError) else 126)
