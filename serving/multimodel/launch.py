"""The multi-model manager as a child of ``serve``: its spec file and process (pure).

The manager is a small HTTP server on a Unix socket in the runtime directory, behind
the front, which sends it ``/ping`` and the ``/models`` routes; invocations go from the
front to the engine directly, so that a model loading never holds up the others.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serving.config.schema import Config
from serving.engine import Child, EnginePlan, Host, Upstream

SPEC_FILE = "models.json"


@dataclass(frozen=True)
class ManagerSpec:
    """What the manager process needs: the config, where things are."""

    config: dict[str, Any]  # the effective config, as JSON values
    root: Path  # the runtime directory the engine was planned for
    socket: Path  # where it listens
    loaded_flags: Path  # a file per loaded model, which the front checks
    ready_flags: Path  # the engine's: a file per model that has a worker serving
    load_reports: Path  # where workers leave a LoadReport per load attempt
    environments: Path  # each model's own packages (its code/requirements.txt)

    def to_json(self) -> str:
        values = {k: str(v) if isinstance(v, Path) else v for k, v in vars(self).items()}
        return json.dumps(values, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ManagerSpec:
        values = json.loads(text)
        config = values.pop("config")
        return cls(config=config, **{k: Path(v) for k, v in values.items()})


@dataclass(frozen=True)
class ManagerPlan:
    """The manager's part of the launch: its spec file, its directories, its process, and
    where the front sends ``/ping`` and the ``/models`` routes."""

    files: Mapping[str, str]
    directories: tuple[str, ...]
    child: Child
    upstream: Upstream  # its socket; flags: a file per loaded model


def plan_manager(config: Config, engine: EnginePlan, host: Host, root: Path) -> ManagerPlan:
    """The manager for ``engine``: started after it (and stopped before it), in its
    environment (its key, its workers' paths), watching its ready flags and load reports.
    Pure."""
    assert engine.upstream.flags is not None and engine.loads is not None
    spec = ManagerSpec(
        config=config.model_dump(mode="json"),
        root=root,
        socket=root / "models.sock",
        loaded_flags=root / "loaded",
        ready_flags=engine.upstream.flags,
        load_reports=engine.loads.reports,
        environments=root / "environments",
    )
    manager = Child(
        name="model manager",
        command=(host.python, "-m", "serving.multimodel", str(root / SPEC_FILE)),
        environment=engine.child.environment,
    )
    return ManagerPlan(
        files={SPEC_FILE: spec.to_json()},
        directories=tuple(
            str(path.relative_to(root)) for path in (spec.loaded_flags, spec.environments)
        ),
        child=manager,
        upstream=Upstream(f"unix:{spec.socket}", flags=spec.loaded_flags),
    )
