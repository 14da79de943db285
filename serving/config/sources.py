"""The config's sources before validation: which YAML file, its contents, and layers.

Light on purpose (no pydantic): ``serving ping``, the images' HEALTHCHECK, finds the
port from these alone. :mod:`serving.config.schema` validates what they produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serving.errors import ConfigError

DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8080


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


class Layer:
    """A partial config from one source, remembering which source set each path."""

    def __init__(self, source: str, values: Mapping[str, Any] | None = None) -> None:
        self.source = source
        self.values: dict[str, Any] = dict(values or {})
        self.origins: dict[tuple[str | int, ...], str] = {}

    def set(self, path: tuple[str, ...], value: Any, origin: str) -> None:
        node = self.values
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        self.origins[path] = origin


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge ``patch`` onto ``base`` without mutating either (lists are replaced)."""
    if isinstance(base, Mapping) and isinstance(patch, Mapping):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return patch


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML config file; an empty file is an empty config."""
    try:
        text = path.read_text()
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror}") from None
    import yaml  # here, not at the top: `serving ping` reads YAML only when there is some

    try:
        values = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: the top level must be a mapping with 'server' and 'models'")
    return values


@dataclass(frozen=True)
class Flags:
    """The command line's part of the config: the highest layer."""

    config: Path | None = None
    port: int | None = None
    workers: int | None = None
    log_level: str | None = None
    model_dir: Path | None = None

    def layers(self) -> tuple[Layer, Layer]:
        """A layer over the whole document, and one over every model entry."""
        server, model = Layer("command line"), Layer("command line")
        if self.port is not None:
            server.set(("server", "port"), self.port, f"--port {self.port}")
        if self.workers is not None:
            server.set(("server", "workers"), self.workers, f"--workers {self.workers}")
        if self.log_level is not None:
            server.set(("server", "log_level"), self.log_level, f"--log-level {self.log_level}")
        if self.model_dir is not None:
            model.set(
                ("model_dir",), str(self.model_dir.resolve()), f"--model-dir {self.model_dir}"
            )
        return server, model
