"""One validated config from every source: defaults < YAML < SAGEMAKER_* < flags."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from serving.startup.config import Config, build_config, deprecated_keys, read_yaml
from serving.startup.environment import environment_layers
from serving.startup.sources import Flags, config_path_for


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
