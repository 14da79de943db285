"""Admitting a model, at start-up and into a multi-model endpoint alike: the checks run
before it loads, so that a bad model is refused within seconds with a message that says
what to fix (rather than a worker crash-looping for minutes); the requirements to install
for it; and the judgement of its loads from the workers' reports (:func:`gave_up`).

Reads the model directory but imports nothing of the user's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from serving.config.schema import Config, ModelConfig
from serving.errors import ConfigError, ServingError
from serving.load_report import LoadReport
from serving.worker.defaults import find_model_file
from serving.worker.hooks import UNKNOWN_HOOKS, check_hook_names, declared_hooks
from serving.worker.loader import entry_path


def check_model(model: ModelConfig) -> set[str]:
    """Raise :class:`ConfigError` naming the first problem found in ``model``'s directory;
    else return the hooks its entry module declares (read, not imported)."""
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
    if "model_fn" not in hooks and UNKNOWN_HOOKS not in hooks:  # the default looks for weights
        files = [n for n in os.listdir(model_dir) if (model_dir / n).is_file()]
        try:
            find_model_file(files)
        except ServingError as error:
            raise ConfigError(f"model {model.name!r}: {error.message}") from None
    return hooks


def requirements_file(model: ModelConfig) -> Path | None:
    """``code/requirements.txt`` of the model, if it has one."""
    assert model.model_dir is not None
    path = model.model_dir / "code" / "requirements.txt"
    return path if path.is_file() else None


def requirements_to_install(model: ModelConfig, config: Config) -> Path | None:
    """The requirements file to install before ``model`` loads: its own, unless the
    server installs none (``server.install_requirements: false``)."""
    return requirements_file(model) if config.server.install_requirements else None


def gave_up(
    reports: Iterable[LoadReport], attempts: Mapping[str, int]
) -> tuple[str, LoadReport] | None:
    """The first model whose last ``attempts[model]`` loads in a row all failed, with
    its latest failure; None while every model may still load. Pure.

    Start-up gives up on a model after its ``models[].load_attempts``; the multi-model
    manager answers a load request as failed after the first failure it sees."""
    failures: dict[str, list[LoadReport]] = {}
    for report in reports:  # oldest first: a success clears the model's run of failures
        run = failures.setdefault(report.model_name, [])
        if report.error is None:
            run.clear()
        else:
            run.append(report)
    for model, run in failures.items():
        if model in attempts and len(run) >= attempts[model]:
            return model, run[-1]
    return None
