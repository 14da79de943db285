"""One validated config from every source: defaults < YAML < SAGEMAKER_* < flags.

:func:`build_config` merges the layers and validates once (pure); an error names the
YAML path, variable or flag that supplied the bad value. :func:`load_config` is the
edge that reads the YAML and the environment for it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from serving.config.environment import environment_layers
from serving.config.schema import Config, declares_multi_model
from serving.config.sources import Flags, Layer, config_path_for, merge, read_yaml
from serving.config.torchserve import MOVED_FROM_SERVER
from serving.errors import ConfigError


def load_config(flags: Flags, environ: Mapping[str, str]) -> Config:
    """Read the YAML that applies, layer the environment and the flags on it, validate
    once. Keys at a deprecated place are accepted, with a warning on stderr."""
    env = environment_layers(environ)
    model_dir = flags.model_dir.resolve() if flags.model_dir is not None else env.model_dir
    path = config_path_for(flags.config, environ, model_dir)
    values = read_yaml(path) if path is not None else {}
    for note in deprecated_keys(values):
        print(f"serving: warning: {path}: {note}", file=sys.stderr, flush=True)
    flags_server, flags_model = flags.layers()
    return build_config(
        values,
        str(path) if path else "built-in defaults",
        server_layers=[env.server, flags_server],
        model_layers=[env.model, flags_model],
        model_defaults=env.model_defaults,
        yaml_dir=path.parent.resolve() if path else None,
    )


def deprecated_keys(yaml_values: Mapping[str, Any]) -> list[str]:
    """One line per key the YAML still writes at its old place, naming the new one."""
    server = yaml_values.get("server")
    if not isinstance(server, Mapping):
        return []
    return [
        f"server.{key} is deprecated and will be refused in the next release; "
        f"write it as server.torchserve.{key}"
        for key in MOVED_FROM_SERVER
        if key in server
    ]


def _move_deprecated(document: dict[str, Any]) -> dict[str, Any]:
    """Old keys moved to their new place; a value set at both places keeps the new one."""
    server = document.get("server")
    if not isinstance(server, Mapping) or not any(k in server for k in MOVED_FROM_SERVER):
        return document
    moved = {k: v for k, v in server.items() if k in MOVED_FROM_SERVER}
    kept = {k: v for k, v in server.items() if k not in MOVED_FROM_SERVER}
    section = kept.get("torchserve")
    if isinstance(section, Mapping) or section is None:
        kept["torchserve"] = merge(moved, section or {})
    return {**document, "server": kept}


def build_config(
    yaml_values: Mapping[str, Any],
    yaml_source: str,
    *,
    server_layers: list[Layer],
    model_layers: list[Layer],
    model_defaults: Mapping[str, Any] | None = None,
    yaml_dir: Path | None = None,
) -> Config:
    """Merge the layers and validate once. Pure: no environment, no file reads.

    ``server_layers`` patch the whole document (e.g. ``{"server": {"port": 9000}}``);
    ``model_layers`` patch every model entry (the SAGEMAKER_TS_* variables apply to each);
    ``model_defaults`` sit under every model entry (the SageMaker model directory).
    """
    if not isinstance(yaml_values, Mapping):
        raise ConfigError(
            f"{yaml_source}: the top level must be a mapping with 'server' and 'models'"
        )
    document: dict[str, Any] = _move_deprecated(dict(yaml_values))
    origins: dict[tuple[str | int, ...], str] = {}
    for layer in server_layers:
        document = merge(document, layer.values)
        origins.update(layer.origins)
    models = document.get("models")
    if models is None and not declares_multi_model(document):
        models = [{}]
    if isinstance(models, list):
        patched = []
        for index, entry in enumerate(models):
            if isinstance(entry, Mapping) and model_defaults and len(models) == 1:
                entry = merge(model_defaults, _resolve_model_dir(entry, yaml_dir))
            for layer in model_layers:
                if isinstance(entry, Mapping):
                    entry = merge(entry, layer.values)
                    for path, origin in layer.origins.items():
                        origins[("models", index, *path)] = origin
            patched.append(_resolve_model_dir(entry, yaml_dir))
        document["models"] = patched
    try:
        return Config.model_validate(document)
    except ValidationError as error:
        raise ConfigError(format_validation_error(error, yaml_source, origins)) from None


def _resolve_model_dir(entry: Any, yaml_dir: Path | None) -> Any:
    """Relative model_dir paths are relative to the YAML file that names them."""
    if isinstance(entry, Mapping) and isinstance(entry.get("model_dir"), str) and yaml_dir:
        path = Path(entry["model_dir"])
        if not path.is_absolute():
            return {**entry, "model_dir": str((yaml_dir / path).resolve())}
    return entry


def format_validation_error(
    error: ValidationError, yaml_source: str, origins: Mapping[tuple[str | int, ...], str]
) -> str:
    """One line per problem: where it is, what is wrong, what to write instead."""
    lines = ["invalid serving config:"]
    for problem in error.errors():
        loc = tuple(problem["loc"])
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        origin = origins.get(loc, yaml_source)
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = f"unknown key; {_known_keys_hint(loc)}"
        elif problem["type"] == "literal_error":
            message = f"{message} (got {problem.get('input')!r})"
        elif "input" in problem and problem["type"].endswith(("_parsing", "_type")):
            message = f"{message} (got {problem['input']!r})"
        lines.append(f"  {path or '<top>'} (from {origin}): {message}")
    return "\n".join(lines)


def _known_keys_hint(loc: tuple[Any, ...]) -> str:
    section: type[BaseModel] = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = section.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            section = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            section = annotation
    return "expected one of: " + ", ".join(section.model_fields)
