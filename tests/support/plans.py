"""Launch plans of the TorchServe engine for tests: a stand-in installation and host,
so that a plan is computed (and compared) without Java, TorchServe or free ports."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from serving.config.schema import Config
from serving.engine import EnginePlan, Host, Launch
from serving.engines.torchserve.launch import Installation, TorchServe
from serving.startup.serve import around_engine

NGINX = "/usr/sbin/nginx"

INSTALLATION = Installation(
    java="/usr/bin/java",
    home=Path("/site/ts-home"),
    plugin_jar=Path("/cache/serving-plugin.jar"),
    python_path=Path("/src"),
)
ROOT = Path("/run/serving-1")
# management, metrics, gRPC inference, gRPC management, first worker, and spares.
FREE_PORTS = (8081, 8082, 7070, 7071, 9000, 9500, 9501, 9502)


def host(environ: Mapping[str, str] | None = None, cpus: int = 4) -> Host:
    return Host(
        environ=dict(environ or {}), cpus=cpus, python="/venv/bin/python", free_ports=FREE_PORTS
    )


def plan(config: Config, environ: Mapping[str, str] | None = None, cpus: int = 4) -> EnginePlan:
    """TorchServe's own plan, without the front."""
    return TorchServe(INSTALLATION).plan(config, host(environ, cpus), ROOT)


def served(config: Config, environ: Mapping[str, str] | None = None, cpus: int = 4) -> Launch:
    """What serve starts: TorchServe's launch with the front (and for a multi-model
    endpoint, the manager) around it."""
    return around_engine(config, plan(config, environ, cpus), host(environ, cpus), NGINX, ROOT)


def nginx_listen(launch: Launch) -> str:
    """The address the front listens on, read from its nginx.conf."""
    match = re.search(r"^\s*listen (\S+) default_server;$", launch.files["nginx.conf"], re.M)
    assert match is not None
    return match.group(1)


def properties(text: str) -> dict[str, str]:
    """config.properties as a mapping (comments dropped)."""
    lines = text.splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def model_config(launch: Launch | EnginePlan, model: str = "model") -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(launch.files[f"model-store/{model}/model-config.yaml"])
    return loaded
