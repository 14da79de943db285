"""``serving ping``: the images' HEALTHCHECK, run every 30 s, so it stays light.

It finds the port as ``serve`` does (flags, then SAGEMAKER_BIND_TO_PORT, then the YAML,
then the default) from the unvalidated sources alone: no pydantic, numpy or worker code.
"""

from __future__ import annotations

from collections.abc import Mapping

from serving.config.environment import environment_layers
from serving.config.sources import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    Flags,
    config_path_for,
    merge,
    read_yaml,
)
from serving.engine import local_url
from serving.errors import ConfigError
from serving.net import http_status


def ping_url(flags: Flags, environ: Mapping[str, str]) -> str:
    """/ping of the server that ``serve`` with the same flags and environment starts."""
    env = environment_layers(environ)
    model_dir = flags.model_dir.resolve() if flags.model_dir is not None else env.model_dir
    path = config_path_for(flags.config, environ, model_dir)
    document = read_yaml(path) if path is not None else {}
    flags_server, _ = flags.layers()
    for layer in (env.server, flags_server):
        document = merge(document, layer.values)
    server = document.get("server")
    server = server if isinstance(server, Mapping) else {}
    port = server.get("port", DEFAULT_PORT)
    try:
        return local_url(str(server.get("host", DEFAULT_HOST)), int(port), "/ping")
    except (TypeError, ValueError):
        raise ConfigError(f"server.port must be a port number, got {port!r}") from None


def ping(url: str, timeout_s: float = 5.0) -> int:
    """0 if ``url`` answers 200 (the server is ready), else 1."""
    status = http_status(url, timeout_s)
    print(f"{url}: {status if status is not None else 'no answer'}")
    return 0 if status == 200 else 1
