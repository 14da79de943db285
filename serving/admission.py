"""Admitting a model, at start-up and into a multi-model endpoint alike: the checks run
before it loads, so that a bad model is refused within seconds with a message that says
what to fix (rather than a worker crash-looping for minutes), and its requirements.

Reads the model directory but imports nothing of the user's.
"""

from __future__ import annotations

import os
from pathlib import Path

from serving.config.schema import ModelConfig
from serving.errors import ConfigError, ServingError
from serving.worker.defaults import find_model_file
from serving.worker.hooks import check_hook_names, declared_hooks
from serving.worker.loader import entry_path


def check_model(model: ModelConfig) -> None:
    """Raise :class:`ConfigError` naming the first problem found in ``model``'s directory."""
    model_dir = model.model_dir
    if model_dir is None or not model_dir.is_dir():
        raise ConfigError(
            f"model {model.name!r}: model directory {model_dir} does not exist; mount the "
            "model at /opt/ml/model, set SAGEMAKER_BASE_DIR, or set models[].model_dir"
        )
    code_dir = model_dir / "code"
    entry = entry_path(code_dir, model.entry_module)
    if entry is None:
        if "entry" in model.model_fields_set:
            raise ConfigError(
                f"model {model.name!r}: entry module {model.entry!r} was configured but "
                f"{code_dir / (model.entry_module + '.py')} does not exist"
            )
        hooks: set[str] = set()
    else:
        hooks = declared_hooks(entry.read_text(), str(entry))
        try:
            check_hook_names(hooks)
        except ConfigError as error:
            raise ConfigError(f"model {model.name!r}: {entry}: {error}") from None
    if "model_fn" not in hooks:  # the default model_fn will look for weights
        files = [n for n in os.listdir(model_dir) if (model_dir / n).is_file()]
        try:
            find_model_file(files)
        except ServingError as error:
            raise ConfigError(f"model {model.name!r}: {error.message}") from None


def requirements_file(model: ModelConfig) -> Path | None:
    """``code/requirements.txt`` of the model, if it has one."""
    assert model.model_dir is not None
    path = model.model_dir / "code" / "requirements.txt"
    return path if path.is_file() else None
