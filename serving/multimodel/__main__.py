"""``python -m serving.multimodel SPEC``: the manager process ``serve`` starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from serving.engine import engine_class
from serving.logs import setup_logging
from serving.multimodel.launch import ManagerSpec
from serving.multimodel.manager import serve_manager


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m serving.multimodel SPEC", file=sys.stderr)
        return 2
    spec = ManagerSpec.from_json(Path(argv[0]).read_text())
    setup_logging(spec.config["server"]["log_level"])
    environ = dict(os.environ)
    engine = engine_class(spec.config["server"]["engine"])
    serve_manager(spec, engine.registry(spec.root, environ), environ)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
