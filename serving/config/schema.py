"""The declarative config: one validated object for the server and its models.

The schema only (pydantic, ``extra="forbid"``): what each key means, its default and
its bounds. Layering the sources on it (defaults < YAML < SAGEMAKER_* environment <
flags) and turning validation errors into messages that name their source is
:mod:`serving.config.layering`.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from serving.config.sources import DEFAULT_HOST, DEFAULT_PORT, Layer, merge, read_yaml
from serving.config.torchserve import (
    MIN_BATCH_DELAY_MS,
    TorchServeSettings,
)

__all__ = [
    "CompileConfig",
    "Config",
    "Layer",
    "ModelConfig",
    "ServerConfig",
    "WarmupConfig",
    "dump_yaml",
    "merge",
    "read_yaml",
]

Device = Literal["auto", "cpu", "cuda"]
DType = Literal["float32", "bfloat16", "float16"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
BatchStrategy = Literal["SINGLE_RECORD", "MULTI_RECORD"]

MAX_STARTUP_TIMEOUT_S = 7200
# SageMaker's default InvocationsTimeoutInSeconds for a batch transform's requests.
BATCH_TRANSFORM_TIMEOUT_S = 600
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# A multi-model endpoint's names come from SageMaker (derived from the artifact's
# path): longer, same characters, never "..": a name is a file name in the front's
# checks, TorchServe refuses ".." in a model's URL, and a load report's file name
# (<name>-<pid>-<n>.partial) must stay within 255 bytes.
LOADED_NAME = re.compile(r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
EngineName = Literal["torchserve"]
_HOST_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def entry_module_name(entry: str) -> str:
    """``main.py`` and ``main`` both mean module ``main``, as in the AWS toolkit."""
    return entry[:-3] if entry.endswith(".py") else entry


def _true(value: Any) -> bool:
    """A value before validation that validates as True ("true", "1", True...)."""
    try:
        return value is not None and bool(TypeAdapter(bool).validate_python(value))
    except ValidationError:
        return False


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class WarmupConfig(_Strict):
    """The input each batch size is warmed up with: one sample's shape and dtype."""

    shape: tuple[int, ...] = Field(description="one sample's shape, without the batch dimension")
    dtype: Literal["float32", "float16", "bfloat16", "float64", "int64", "int32", "uint8"] = Field(
        "float32", description="the warm-up input's dtype"
    )

    @field_validator("shape")
    @classmethod
    def _positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(size < 1 for size in value):
            raise ValueError("write the sample shape as positive sizes, e.g. [64] or [3, 224, 224]")
        return value


class CompileConfig(_Strict):
    """torch.compile as a declared serving mode: compiled and warmed up while the worker
    loads, for every batch size it will serve, before /ping turns 200."""

    enabled: bool = Field(False, description="compile the model with torch.compile at load")
    backend: str = Field("inductor", description="any torch.compile backend")
    mode: Literal["default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs"] = (
        Field("default", description="torch.compile's mode")
    )
    dynamic: bool = Field(False, description="torch.compile's dynamic shapes")
    fullgraph: bool = Field(False, description="fail on a graph break instead of splitting")
    freezing: bool | None = Field(
        None, description="inductor freezing; null = on for CPU (where conv gains come from it)"
    )
    batch_sizes: tuple[int, ...] = Field(
        (), description="batch sizes served; a batch is padded up to the nearest (default [1])"
    )
    warmup: WarmupConfig | None = Field(
        None, description="one sample to warm each batch size up with (required when enabled)"
    )
    allow_eager_fallback: bool = Field(
        False, description="serve eager (logged) if compilation fails, instead of failing the load"
    )
    cache_dir: Path | None = Field(
        None,
        description="inductor cache; default $SERVING_CACHE_DIR/inductor, else "
        "${XDG_CACHE_HOME:-~/.cache}/serving/inductor",
    )

    @field_validator("batch_sizes")
    @classmethod
    def _sorted_sizes(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(size < 1 or size > 1024 for size in value):
            raise ValueError("batch sizes must be between 1 and 1024")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _warmup_when_enabled(self) -> CompileConfig:
        if self.enabled and self.warmup is None:
            raise ValueError(
                "compile.warmup is required when compile.enabled is true, so that compilation "
                "happens at load and not on a request; write e.g. warmup: {shape: [64]}"
            )
        return self


class ModelConfig(_Strict):
    """One model: where it lives, how its workers run, how requests are batched."""

    name: str = Field("model", description="the model's name (its route on a multi-model endpoint)")
    model_dir: Path | None = Field(
        None, description="SageMaker-style model directory; default ${SAGEMAKER_BASE_DIR}/model"
    )
    entry: str = Field(
        "inference.py", description="entry module in <model_dir>/code ('main' and 'main.py' agree)"
    )
    workers: int | None = Field(None, ge=1, le=256, description="workers started (server default)")
    max_workers: int | None = Field(
        None, ge=1, le=256, description="most workers TorchServe may scale to (= workers)"
    )
    # Unset, start-up chooses (serving.config.batching): 2 with no delay, or 1.
    batch_size: int = Field(
        1,
        ge=1,
        le=1024,
        description="most requests served in one batch; unset: 2, with no delay (a request "
        "already queued joins the one a worker takes), for a model the runtime runs itself "
        "(no predict_fn, transform_fn or output_fn), not compiled, not in a batch transform; "
        "else 1",
        json_schema_extra={"default_text": "unset (see what it does)"},
    )
    # 0 waits for nothing (TorchServe reads it as 100 ms; its plugin sets the 0).
    # Up to an hour, as TorchServe takes it: AWS's own examples deploy with
    # SAGEMAKER_TS_MAX_BATCH_DELAY=100000 (see batch_waits_past_timeout).
    max_batch_delay_ms: int = Field(
        100,
        ge=MIN_BATCH_DELAY_MS,
        le=3_600_000,
        description="how long a batch waits to fill (a start warns when not below the "
        "timeout); 0: a lone request goes at once, and TorchServe adds at most one request "
        "already queued; 0 when batch_size is unset",
    )
    device: Device = Field("auto", description="auto (CUDA when there is a GPU), cpu or cuda")
    dtype: DType = Field("float32", description="cast the model and floating inputs to it")
    response_timeout_s: int | None = Field(
        None, ge=1, le=3600, description="per-request timeout (server.response_timeout_s)"
    )
    startup_timeout_s: int = Field(
        600, ge=1, le=MAX_STARTUP_TIMEOUT_S, description="a load's limit, compile and warm-up in"
    )
    queue_size: int = Field(
        100, ge=1, le=1_000_000, description="requests waiting for a worker; more are a 503"
    )
    load_attempts: int = Field(
        3, ge=1, le=100, description="loads that may fail in a row before serve exits non-zero"
    )
    compile: CompileConfig = Field(CompileConfig(), description="torch.compile (below)")

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError(
                "use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"
            )
        return value

    @field_validator("entry")
    @classmethod
    def _valid_entry(cls, value: str) -> str:
        module = entry_module_name(value)
        if not module.isidentifier():
            raise ValueError(
                f"{value!r} is not an importable module name; write e.g. 'inference.py' or 'main'"
            )
        if module in sys.stdlib_module_names:
            raise ValueError(
                f"{value!r} has the name of a Python standard library module; rename the "
                "file, e.g. to 'inference.py'"
            )
        return value

    @field_validator("max_workers")
    @classmethod
    def _workers_in_order(cls, value: int | None, info: ValidationInfo) -> int | None:
        # A field validator (not a model validator) so the error is located at
        # models[i].max_workers and names the variable or flag that supplied it.
        workers = info.data.get("workers")
        if value is not None and workers and value < workers:
            raise ValueError(
                f"max_workers ({value}) is below workers ({workers}); "
                "raise max_workers or lower workers"
            )
        return value

    @property
    def entry_module(self) -> str:
        return entry_module_name(self.entry)


class ServerConfig(_Strict):
    """The HTTP server and the settings every model inherits unless it overrides them."""

    host: str = Field(DEFAULT_HOST, description="the front listens here; :: for IPv6 and IPv4")
    port: int = Field(DEFAULT_PORT, ge=1, le=65535, description="the public port")
    workers: int | None = Field(
        None,
        ge=1,
        le=256,
        description="default workers per model; unset: sized from the machine at start",
    )
    response_timeout_s: int = Field(60, ge=1, le=3600, description="default per-model timeout")
    max_payload_mb: int = Field(6, ge=1, le=2048, description="request (and response) size limit")
    default_accept: Literal["application/json", "text/csv", "application/x-npy", "text/plain"] = (
        Field("application/json", description="the answer's type when a request has no Accept")
    )
    log_level: LogLevel = Field("INFO", description="DEBUG also shows TorchServe's own lines")
    access_log: bool = Field(False, description="the front logs a line per request")
    client_timeout_s: int = Field(
        60,
        ge=1,
        le=3600,
        description="a client that sends nothing (headers or body) or reads nothing for "
        "this long is dropped",
    )
    batch_transform: bool = Field(
        False,
        description="serving a batch transform job (SAGEMAKER_BATCH=true): the default "
        "response timeout is then SageMaker's own for transform requests, 600 s",
    )
    max_concurrent_transforms: int = Field(
        1, ge=1, le=1024, description="reported by /execution-parameters (batch transform)"
    )
    batch_strategy: BatchStrategy = Field(
        "MULTI_RECORD", description="reported by /execution-parameters (batch transform)"
    )
    install_requirements: bool = Field(
        True, description="pip install code/requirements.txt at start"
    )
    multi_model: bool = Field(
        False,
        description="a multi-model endpoint: no model at start, models loaded and unloaded "
        "through /models (SAGEMAKER_MULTI_MODEL=true)",
    )
    memory_limit_mb: int | None = Field(
        None,
        ge=64,
        le=16_777_216,
        description="multi-model: the memory loaded models may take together (estimated "
        "at load); default: what the machine or container has free",
    )
    engine: EngineName = Field("torchserve", description="the model server behind the port")
    torchserve: TorchServeSettings = Field(
        TorchServeSettings(), description="knobs of TorchServe's Java frontend"
    )

    @model_validator(mode="before")
    @classmethod
    def _batch_transform_timeout(cls, data: Any) -> Any:
        # A transform job waits up to InvocationsTimeoutInSeconds (600 s by default) for
        # each mini-batch: the 60 s default would cut its longer ones short.
        if (
            isinstance(data, Mapping)
            and "response_timeout_s" not in data
            and _true(data.get("batch_transform"))
        ):
            return {**data, "response_timeout_s": BATCH_TRANSFORM_TIMEOUT_S}
        return data

    @field_validator("host")
    @classmethod
    def _valid_host(cls, value: str) -> str:
        # The front listens here: an IP address (IPv6 too) or a host name.
        if not (_HOST_NAME.fullmatch(value) or _is_ip_address(value)):
            raise ValueError(
                f"{value!r} is not an address to listen on; write an IP address or a host "
                "name, e.g. 0.0.0.0 (all interfaces), :: (all, IPv6 too) or 127.0.0.1"
            )
        return value


def declares_multi_model(document: Mapping[str, Any]) -> bool:
    """Whether a config document (before validation) asks for a multi-model endpoint;
    False when its ``server.multi_model`` is absent or not a boolean (validation says so)."""
    server = document.get("server")
    if isinstance(server, ServerConfig):
        return server.multi_model
    return _true(server.get("multi_model") if isinstance(server, Mapping) else None)


class Config(_Strict):
    """The whole declarative config."""

    server: ServerConfig = Field(ServerConfig(), description="the server and its defaults")
    # No min_length here: on a tuple, pydantic adds a spurious "should have at least 1
    # item" error whenever an item fails; the validator below checks emptiness instead.
    models: tuple[ModelConfig, ...] = Field(
        default_factory=lambda: (ModelConfig(),),
        json_schema_extra={"minItems": 1},
        description="the models served; default one named model at ${SAGEMAKER_BASE_DIR}/model "
        "(none on a multi-model endpoint)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_default_model_for_multi_model(cls, data: Any) -> Any:
        # A multi-model endpoint starts with no model: the default one is for single.
        if isinstance(data, Mapping) and "models" not in data and declares_multi_model(data):
            return {**data, "models": ()}
        return data

    # A field validator (not a model validator) so the errors are located at `models`;
    # `server` is declared first, so its validated value is in info.data.
    @field_validator("models")
    @classmethod
    def _unique_names(
        cls, models: tuple[ModelConfig, ...], info: ValidationInfo
    ) -> tuple[ModelConfig, ...]:
        server = info.data.get("server")
        if server is None:
            return models  # the server section is invalid: its errors say what to fix
        if server.multi_model:
            if models:
                raise ValueError(
                    "a multi-model endpoint (server.multi_model, SAGEMAKER_MULTI_MODEL) loads "
                    "its models through POST /models: remove models; a model's own settings "
                    "go in its code/serving.yaml"
                )
            if server.torchserve.management_port is not None:
                raise ValueError(
                    "a multi-model endpoint loads models through TorchServe's management "
                    "socket: leave server.torchserve.management_port unset"
                )
            return models
        if not models:
            raise ValueError("list at least one model, or leave models out for the default one")
        names = [m.name for m in models]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"model names must be unique; {duplicates} appear more than once")
        if len(models) > 1 and any(m.model_dir is None for m in models):
            raise ValueError("with several models, every model needs its own model_dir")
        for index, model in enumerate(models):
            if (
                server
                and server.workers
                and model.max_workers
                and not model.workers
                and (model.max_workers < server.workers)
            ):
                raise ValueError(
                    f"models[{index}].max_workers ({model.max_workers}) is below the default "
                    f"workers per model (server.workers: {server.workers}); raise max_workers, "
                    f"or set models[{index}].workers to at most {model.max_workers}"
                )
        return models

    def model(self, name: str) -> ModelConfig:
        return next(m for m in self.models if m.name == name)

    def workers_of(self, model: ModelConfig) -> int:
        """The workers ``model`` starts with: its own setting, else the server's, else
        one (start-up fills in each model's from the machine first; see
        :func:`serving.config.sizing.sized`)."""
        return model.workers or self.server.workers or 1


def batch_waits_past_timeout(config: Config) -> list[str]:
    """A warning for each model whose lone request would wait for a full batch longer
    than its response timeout allows: it would get a 504 before its batch is run."""
    warnings = []
    for model in config.models:
        timeout_s = model.response_timeout_s or config.server.response_timeout_s
        if model.batch_size > 1 and model.max_batch_delay_ms >= timeout_s * 1000:
            warnings.append(
                f"model {model.name}: max_batch_delay_ms ({model.max_batch_delay_ms}) is not "
                f"below its response timeout ({timeout_s} s): a request that waits for a "
                f"full batch of {model.batch_size} gets a 504 first"
            )
    return warnings


def dump_yaml(config: Config) -> str:
    """The effective config as YAML (what `serving config show` prints)."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False)
