"""The multi-model endpoint's requests and answers, as values (pure).

SageMaker's container contract for multi-model endpoints: ``POST /models`` with
``{"model_name", "url"}`` (the directory it extracted the artifact into), ``GET
/models`` in pages (``max_results``, ``next_page_token`` in; ``nextPageToken`` out),
``GET /models/{name}`` and ``DELETE /models/{name}``. Also how a loaded model's settings
are made: the server's defaults, the model's own ``code/serving.yaml`` and the
``SAGEMAKER_TS_*`` variables, as for a single model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from serving.config.layering import format_validation_error
from serving.config.schema import LOADED_NAME, Config, ModelConfig
from serving.config.sources import Layer, merge
from serving.errors import InvalidInput

DEFAULT_PAGE = 100
MAX_PAGE = 1000


@dataclass(frozen=True)
class LoadRequest:
    """``POST /models``: the name to serve a model under, and its directory."""

    name: str
    url: str

    @property
    def model_dir(self) -> Path:
        """The directory ``url`` names (a path, or a ``file://`` URL)."""
        return Path(self.url.removeprefix("file://"))


def parse_load_request(body: bytes) -> LoadRequest:
    """The request of a ``POST /models`` body; InvalidInput saying what is wrong."""
    try:
        values = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(
            'the body must be JSON: {"model_name": "...", "url": "/opt/ml/models/.../model"}'
        ) from None
    if not isinstance(values, dict):
        raise InvalidInput('the body must be a JSON object with "model_name" and "url"')
    name, url = values.get("model_name"), values.get("url")
    if not isinstance(name, str) or not LOADED_NAME.fullmatch(name):
        raise InvalidInput(
            '"model_name" must be 1-200 letters, digits, "_", "." or "-", starting with a '
            'letter or digit, without ".."'
        )
    if not isinstance(url, str) or not url.removeprefix("file://").startswith("/"):
        raise InvalidInput('"url" must be the model\'s directory, an absolute path')
    return LoadRequest(name, url)


def check_name(name: str) -> str:
    """``name`` from a route, if it can name a model; InvalidInput otherwise."""
    if not LOADED_NAME.fullmatch(name):
        raise InvalidInput(f"{name[:80]!r} is not a model name")
    return name


@dataclass(frozen=True)
class Page:
    """One page of ``GET /models``."""

    models: tuple[tuple[str, str], ...]  # (name, url), by name
    next_token: str | None

    def body(self) -> dict[str, Any]:
        listed = [{"modelName": name, "modelUrl": url} for name, url in self.models]
        return {"models": listed} | ({"nextPageToken": self.next_token} if self.next_token else {})


def page(models: Mapping[str, str], query: Mapping[str, str]) -> Page:
    """The page of ``models`` (name -> url) that ``query`` asks for. The token is the
    last name of the page before (names are listed in order), so that models loaded or
    unloaded between two pages never shift the next one."""
    raw = query.get("max_results", str(DEFAULT_PAGE))
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidInput(f"max_results must be a whole number from 1 to {MAX_PAGE}")
    size = int(raw)
    after = query.get("next_page_token")
    if after is not None and not LOADED_NAME.fullmatch(after):
        raise InvalidInput("next_page_token is not one this server gave")
    names = sorted(name for name in models if after is None or name > after)
    shown = names[:size]
    more = len(names) > size
    return Page(tuple((name, models[name]) for name in shown), shown[-1] if more else None)


def model_config(
    config: Config,
    request: LoadRequest,
    bundled: Mapping[str, Any] | None,
    layers: Sequence[Layer] = (),
    source: str = "code/serving.yaml",
) -> ModelConfig:
    """The settings of the model ``request`` loads: the defaults, then its
    ``code/serving.yaml`` (``bundled``: its one ``models`` entry; its ``server`` section
    is the endpoint's to set, not a model's), then ``layers`` (``SAGEMAKER_TS_*``).
    InvalidInput naming what is wrong. Pure."""
    entry: Any = {}
    if bundled:
        models = bundled.get("models") or [{}]
        if not isinstance(models, list) or len(models) != 1 or not isinstance(models[0], dict):
            raise InvalidInput(
                f"model {request.name!r}: {source} must declare at most one model "
                "(a models list of one entry)"
            )
        entry = {k: v for k, v in models[0].items() if k not in ("name", "model_dir")}
    for layer in layers:
        entry = merge(entry, layer.values)
    entry = {**entry, "name": request.name, "model_dir": str(request.model_dir)}
    try:
        model = ModelConfig.model_validate(entry)
    except ValidationError as error:
        message = format_validation_error(error, f"{request.name}'s {source}", {})
        message = message.replace("invalid serving config:", "invalid settings:")
        raise InvalidInput(message) from None
    timeout = model.response_timeout_s or config.server.response_timeout_s
    if timeout > config.server.response_timeout_s:
        raise InvalidInput(
            f"model {request.name!r}: response_timeout_s {timeout} is above the endpoint's "
            f"{config.server.response_timeout_s} (SAGEMAKER_MODEL_SERVER_TIMEOUT, "
            "server.response_timeout_s), which bounds every model's"
        )
    return model
