"""The engine seam: what start-up asks of the model server that runs the workers.

An engine turns the validated config into an :class:`EnginePlan` (``plan``: pure, tested
by value) and says what it would generate (``describe``, for ``serving config show``).
``discover`` is its one edge: it finds what the engine needs on this machine (a Java
runtime, a jar) and fails with a :class:`~serving.errors.ConfigError` naming what is
missing. Engines live in ``serving/engines/<name>/`` and are looked up by the name in
``server.engine``; importing this module imports none of them.
"""

from __future__ import annotations

import importlib
import signal
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from serving.config.schema import Config, ModelConfig
    from serving.worker_spec import WorkerSpec

# server.engine -> "module:class"; the module is imported only when the engine is used.
ENGINES: Mapping[str, str] = {"torchserve": "serving.engines.torchserve.launch:TorchServe"}


@dataclass(frozen=True)
class Host:
    """What a launch plan may depend on of this machine, read once at the edge."""

    environ: Mapping[str, str]
    cpus: int  # usable by this process (its affinity), not the machine's count
    python: str  # the interpreter the workers run
    free_ports: tuple[int, ...] = ()  # loopback ports free when start-up looked
    user: str | None = None  # the user serve runs as, when it runs as root
    # Memory this machine (or container) could give at start, in MiB; None: not known.
    free_mb: int | None = None
    # A random key drawn at start-up: the engine's private listeners ask for it, and only
    # the front and the workers have it. Empty: the engine asks for none.
    secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class Child:
    """One process ``serve`` starts and supervises."""

    name: str  # what the log calls it: "TorchServe", "nginx"
    command: tuple[str, ...]
    environment: Mapping[str, str]  # its whole environment
    # How it is asked to finish what it is doing and exit (nginx: SIGQUIT, graceful),
    # and how long that may take before it is killed.
    stop_signal: int = signal.SIGTERM
    stop_timeout_s: float = 8.0
    # What the kernel sends it should serve die without a word (SIGKILL included):
    # a signal it exits on with everything it started.
    death_signal: int = signal.SIGKILL
    # Started only once this path exists (the socket of what it forwards to), or the
    # launch's ready timeout has passed: nginx started earlier logs a [crit] line for
    # every /ping that finds no engine behind it.
    start_after: Path | None = None
    # Lines of its standard output that say nothing to a user (by how they start), which
    # it prints itself, past any logging configuration: dropped on the way to ours.
    quiet_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Upstream:
    """Where the front sends a wing's requests, and what it must know to do so."""

    # An nginx upstream address: "unix:/path" or "127.0.0.1:port".
    address: str
    # Where the wing keeps one file per model: the engine's while a model has a worker
    # that can take a request (the front answers 503 at once while it is missing), the
    # manager's while a model is loaded (404 without it).
    flags: Path | None = None
    # What the front sends as Authorization with every request it forwards, if anything.
    authorization: str = field(default="", repr=False)
    # Response headers the wing uses between itself and its workers, which the front
    # drops. (An engine marks an answer sent in parts with "X-Accel-Buffering: no": the
    # front then passes it on part by part instead of buffering it whole.)
    private_headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadWatch:
    """Where the workers leave a LoadReport per load attempt, and how many failed
    attempts in a row each model may have before serve gives up on it."""

    reports: Path
    attempts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EnginePlan:
    """What the engine needs to serve the config: a value, so that it can be compared."""

    files: Mapping[str, str]  # path relative to the runtime directory -> content
    directories: tuple[str, ...]  # empty directories to make there, also relative
    child: Child  # the engine's process
    ready_url: str  # answers 200 once every model has a worker that can serve
    ready_timeout_s: float
    upstream: Upstream  # the engine's private inference listener
    loads: LoadWatch | None = None
    description: str = field(default="", compare=False)  # one line for the log
    # What the operator should know about the plan, logged at WARNING when it starts.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Launch:
    """What the supervisor starts: the engine's, the manager's and the front's files and
    processes, assembled by ``serve``."""

    files: Mapping[str, str]  # path relative to the runtime directory -> content
    directories: tuple[str, ...]  # empty directories to make there, also relative
    children: tuple[Child, ...]  # started in this order, stopped in the reverse order
    ready_url: str
    ready_timeout_s: float
    description: str = field(default="", compare=False)


class Engine(Protocol):
    """A model server behind the public port."""

    name: ClassVar[str]
    # Cores the engine itself keeps busy (its frontend): left out of the workers' share.
    reserved_cores: ClassVar[int]

    @classmethod
    def discover(cls, environ: Mapping[str, str]) -> Engine:
        """Find what the engine needs on this machine (side effects allowed here only)."""
        ...

    def plan(self, config: Config, host: Host, root: Path) -> EnginePlan:
        """The files, command and environment that serve ``config`` from ``root``. Pure."""
        ...

    @classmethod
    def describe(cls, config: Config, host: Host) -> str:
        """What ``plan`` would write, for a reader (``serving config show``). Pure."""
        ...

    @classmethod
    def registry(cls, root: Path, environ: Mapping[str, str]) -> ModelRegistry:
        """The models of the engine ``plan`` started from ``root``, for a multi-model
        endpoint's manager (another process: ``environ`` is the engine's environment)."""
        ...


class ModelRegistry(Protocol):
    """Loads and unloads models in a running engine (a multi-model endpoint)."""

    async def add(self, model: ModelConfig, config: Config, spec: WorkerSpec) -> None:
        """Start loading ``model``; returns once the engine has taken it. Whether it
        loaded shows in the ready flags and load reports (see :class:`EnginePlan`)."""
        ...

    async def remove(self, name: str) -> None:
        """Unload ``name`` (a no-op if the engine does not have it); returns once its
        workers have stopped."""
        ...

    async def alive(self) -> bool:
        """Whether the engine answers (and so can load models)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def engine_class(name: str) -> type[Engine]:
    """The engine registered under ``name`` (``server.engine``)."""
    module_name, _, class_name = ENGINES[name].partition(":")
    engine: type[Engine] = getattr(importlib.import_module(module_name), class_name)
    return engine


def local_url(host: str, port: int, path: str) -> str:
    """``path`` on a server bound to ``host``:``port``, as reached from this machine."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    bracketed = f"[{reachable}]" if ":" in reachable else reachable
    return f"http://{bracketed}:{port}{path}"
