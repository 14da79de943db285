"""SAGEMAKER_* environment variables as config layers. Pure: takes a mapping.

Names, defaults and units follow the AWS toolkits (seconds for timeouts,
milliseconds for the batch delay, MB for payloads), so a SageMaker model or endpoint
config written for them means the same here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serving.config.sources import Layer
from serving.errors import ConfigError

DEFAULT_BASE_DIR = "/opt/ml"

# variable -> path in the document ("server" section) or in each model entry.
SERVER_VARIABLES: dict[str, tuple[str, ...]] = {
    "SAGEMAKER_BIND_TO_PORT": ("server", "port"),
    "SAGEMAKER_MODEL_SERVER_WORKERS": ("server", "workers"),
    "SAGEMAKER_MODEL_SERVER_TIMEOUT": ("server", "response_timeout_s"),
    "SAGEMAKER_MAX_PAYLOAD_IN_MB": ("server", "max_payload_mb"),
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": ("server", "default_accept"),
    "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS": ("server", "max_concurrent_transforms"),
    "SAGEMAKER_BATCH_STRATEGY": ("server", "batch_strategy"),
    "SAGEMAKER_CONTAINER_LOG_LEVEL": ("server", "log_level"),
    "SERVING_INSTALL_REQUIREMENTS": ("server", "install_requirements"),
    "SAGEMAKER_MULTI_MODEL": ("server", "multi_model"),
    "SAGEMAKER_BATCH": ("server", "batch_transform"),
    "SERVING_MEMORY_LIMIT_MB": ("server", "memory_limit_mb"),
}
MODEL_VARIABLES: dict[str, tuple[str, ...]] = {
    "SAGEMAKER_PROGRAM": ("entry",),
    "SAGEMAKER_TS_BATCH_SIZE": ("batch_size",),
    "SAGEMAKER_TS_MAX_BATCH_DELAY": ("max_batch_delay_ms",),
    "SAGEMAKER_TS_MIN_WORKERS": ("workers",),
    "SAGEMAKER_TS_MAX_WORKERS": ("max_workers",),
    "SAGEMAKER_TS_RESPONSE_TIMEOUT": ("response_timeout_s",),
}

# The variables read elsewhere that set no config key: (default, what), for the
# generated configuration reference (a test checks that each is read somewhere).
OTHER_VARIABLES: dict[str, tuple[str, str]] = {
    "SAGEMAKER_BASE_DIR": ("/opt/ml", "the model directory is <base>/model"),
    "SAGEMAKER_SAFE_PORT_RANGE": (
        "unset",
        "e.g. 20000-20999 (multi-container endpoints, inference pipelines): TorchServe's "
        "loopback TCP listener (metrics) takes the lowest free port there",
    ),
    "SERVING_CONFIG": ("<model dir>/code/serving.yaml", "the YAML file for serve"),
    "SERVING_NGINX": ("nginx on PATH or in /usr/sbin", "the nginx binary of the front"),
    "SERVING_CACHE_DIR": (
        "${XDG_CACHE_HOME:-~/.cache}/serving (images: /var/cache/serving)",
        "compiled kernels persist in its inductor/; the /ping plugin is built there on first "
        "start when not prebuilt",
    ),
    "SERVING_REPORT_DIR": (
        "a private directory of serve's",
        "each worker writes a JSON report of each load attempt there (device, seconds, "
        "compile outcome or the error); serve watches them, serving bench reads them",
    ),
}

# SAGEMAKER_CONTAINER_LOG_LEVEL is a Python logging number in the SageMaker SDK (20).
_LOG_LEVELS = {"10": "DEBUG", "20": "INFO", "30": "WARNING", "40": "ERROR", "50": "ERROR"}


def safe_port_range(environ: Mapping[str, str]) -> tuple[int, int] | None:
    """``SAGEMAKER_SAFE_PORT_RANGE`` ("20000-20999"), where a container of a
    multi-container endpoint or an inference pipeline may open its private listeners;
    None when unset. ConfigError when it is not a range of ports."""
    value = _value(environ, "SAGEMAKER_SAFE_PORT_RANGE")
    if value is None:
        return None
    low, dash, high = value.partition("-")
    try:
        bounds = (int(low), int(high))
    except ValueError:
        bounds = (0, -1)
    if not dash or not 1 <= bounds[0] <= bounds[1] <= 65535:
        raise ConfigError(
            f"SAGEMAKER_SAFE_PORT_RANGE={value!r} is not a range of ports like 20000-20999"
        )
    return bounds


@dataclass(frozen=True)
class EnvironmentLayers:
    server: Layer
    model: Layer
    model_defaults: dict[str, Any]
    base_dir: Path

    @property
    def model_dir(self) -> Path:
        return self.base_dir / "model"


def _value(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    return value.strip() if value and value.strip() else None


def environment_layers(environ: Mapping[str, str]) -> EnvironmentLayers:
    """Turn SAGEMAKER_* variables into a server layer, a per-model layer and model defaults."""
    safe_port_range(environ)  # a malformed range stops start-up with the config errors
    server = Layer("environment")
    for name, path in SERVER_VARIABLES.items():
        value = _value(environ, name)
        if value is None:
            continue
        if name == "SAGEMAKER_CONTAINER_LOG_LEVEL":
            value = _LOG_LEVELS.get(value, value.upper())
            value = "WARNING" if value == "WARN" else value
        if name == "SAGEMAKER_BATCH_STRATEGY":
            value = value.upper()
        server.set(path, value, f"{name}={environ[name]!r}")
    model = Layer("environment")
    for name, path in MODEL_VARIABLES.items():
        value = _value(environ, name)
        if value is not None:
            model.set(path, value, f"{name}={environ[name]!r}")
    base_dir = Path(_value(environ, "SAGEMAKER_BASE_DIR") or DEFAULT_BASE_DIR)
    return EnvironmentLayers(
        server=server,
        model=model,
        model_defaults={"model_dir": str(base_dir / "model")},
        base_dir=base_dir,
    )


def cache_dir(environ: Mapping[str, str]) -> Path:
    """Where the runtime keeps what it builds once and reuses (compiled kernels, the
    /ping plugin): ``$SERVING_CACHE_DIR`` (the images set a fixed path to mount), else
    ``${XDG_CACHE_HOME:-~/.cache}/serving``.

    Not TORCHINDUCTOR_CACHE_DIR: importing torch._inductor sets it to its own /tmp
    default, so its presence says nothing about what the user asked for."""
    if _value(environ, "SERVING_CACHE_DIR"):
        return Path(environ["SERVING_CACHE_DIR"].strip())
    home = Path(environ.get("HOME") or "~").expanduser()
    base = _value(environ, "XDG_CACHE_HOME") or str(home / ".cache")
    return Path(base) / "serving"


def report_dir(environ: Mapping[str, str]) -> Path | None:
    """``SERVING_REPORT_DIR``: where each worker writes a JSON report of its load
    (device, seconds, compile outcome), e.g. for ``serving bench``; unset, none is written."""
    value = _value(environ, "SERVING_REPORT_DIR")
    return Path(value) if value else None
