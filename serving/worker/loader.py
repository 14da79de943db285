"""Load one model in a worker: import the user's module, resolve hooks, run the load hooks.

Runs once per worker, from the engine's handler entry, under the model's
startup timeout; ``model_fn`` never runs per request.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

from serving.errors import ConfigError, ModelLoadError
from serving.load_report import LoadReport, write_load_report
from serving.worker.compiling import CompiledShapes, compile_and_warm_up
from serving.worker.context import LoadContext
from serving.worker.defaults import DEFAULT_HOOKS
from serving.worker.hooks import resolve_hooks
from serving.worker.service import ModelService
from serving.worker_spec import Placement, WorkerSpec

log = logging.getLogger(__name__)


def resolve_device(setting: str, gpu_id: int | None, cuda_available: bool) -> str:
    """The torch device of this worker: the GPU its placement names, not always cuda:0."""
    if setting == "cpu":
        return "cpu"
    if setting == "cuda":
        if not cuda_available:
            raise ModelLoadError("device: cuda was configured but torch sees no CUDA device")
        return f"cuda:{gpu_id or 0}"
    return f"cuda:{gpu_id}" if cuda_available and gpu_id is not None else "cpu"


def entry_path(code_dir: Path, module: str) -> Path | None:
    """The file that defines ``module`` in ``code_dir``, if any."""
    for candidate in (code_dir / f"{module}.py", code_dir / module / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def top_level_modules(site_packages: Path) -> list[str]:
    """The importable top-level names installed in ``site_packages``."""
    names = []
    for path in site_packages.iterdir():
        if path.is_dir() and path.name.isidentifier():  # not *.dist-info, not bin
            names.append(path.name)
        elif path.suffix in (".py", ".so", ".pyd") and path.name.split(".")[0].isidentifier():
            names.append(path.name.split(".")[0])
    return [name for name in names if name != "__pycache__"]


def import_user_module(code_dir: Path, module: str) -> dict[str, Any]:
    """Import the entry module from ``code_dir`` and return its namespace ({} if absent)."""
    if entry_path(code_dir, module) is None:
        log.warning("no %s.py in %s: using the default hooks only", module, code_dir)
        return {}
    path = entry_path(code_dir, module)
    assert path is not None
    # The code dir goes on sys.path for the user's own helper modules, but the entry
    # itself is loaded from its file: an installed package or a stdlib module of the
    # same name (``code``, ``inference``) must never be picked up instead.
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    already = sys.modules.get(module)
    if already is not None and getattr(already, "__file__", None) != str(path):
        raise ConfigError(
            f"the entry module name {module!r} is already taken by {already!r} in the worker; "
            "rename the file (e.g. to inference.py) or set SAGEMAKER_PROGRAM accordingly"
        )
    locations = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(
        module, path, submodule_search_locations=locations
    )
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded
    try:
        spec.loader.exec_module(loaded)
    except Exception as error:
        del sys.modules[module]
        raise ConfigError(f"importing {module} from {code_dir} failed: {error!r}") from error
    return vars(loaded)


def load_service(spec: WorkerSpec, placement: Placement) -> ModelService:
    """Import, resolve, and load: pre_model_fn, model_fn, dtype, compile, model_warmup_fn.

    Where the spec names a report directory, every attempt leaves a
    :class:`~serving.load_report.LoadReport` there, failed ones with their error."""
    started = time.perf_counter()
    try:
        return _load(spec, placement, started)
    except BaseException as error:
        if spec.report_dir is not None:
            failed = LoadReport(
                spec.model_name,
                spec.device,
                time.perf_counter() - started,
                error=f"{type(error).__name__}: {error}",
            )
            write_load_report(failed, spec.report_dir)
        raise


def _load(spec: WorkerSpec, placement: Placement, started: float) -> ModelService:
    import torch

    threads = os.environ.get("OMP_NUM_THREADS", "")
    if threads.isdigit() and int(threads) > 0:
        # Set for the workers at start-up (serving/config/sizing.py); torch may not have read it.
        torch.set_num_threads(int(threads))
    model_dir = str(spec.model_dir)
    device = resolve_device(spec.device, placement.gpu_id, torch.cuda.is_available())
    if device.startswith("cuda"):
        # Make "cuda" mean this worker's GPU, so scripts that use torch.device("cuda")
        # (as the AWS examples do) land on the GPU the engine assigned, not on cuda:0.
        torch.cuda.set_device(device)
    context = LoadContext(
        model_name=spec.model_name,
        model_dir=model_dir,
        device=device,
        gpu_id=torch.device(device).index if device.startswith("cuda") else None,
        batch_size=spec.batch_size,
        dtype=spec.dtype,
        default_accept=spec.default_accept,
        settings=MappingProxyType(spec.to_dict()),
    )
    # Scripts written for the AWS toolkit open files relative to the model directory.
    os.chdir(model_dir)
    if spec.packages_dir is not None and str(spec.packages_dir) not in sys.path:
        # This model's own requirements, over the serving environment's (a multi-model
        # endpoint: each model's workers see their own versions).
        sys.path.insert(0, str(spec.packages_dir))
        shadowed = sorted(set(top_level_modules(spec.packages_dir)) & set(sys.modules))
        if shadowed:
            log.warning(
                "model %s: its code/requirements.txt installed %s, which this worker had "
                "already imported from the serving environment: those are used",
                spec.model_name,
                ", ".join(shadowed),
            )
    namespace = import_user_module(spec.code_dir, spec.entry_module)
    hooks = resolve_hooks(namespace, DEFAULT_HOOKS)
    if hooks.pre_model_fn is not None:
        hooks.pre_model_fn(model_dir, context=context)
    model = hooks.model_fn(model_dir, context=context)
    if model is None:
        if hooks.can_stack_batches:  # the runtime's own predict_fn would call None
            raise ModelLoadError(
                "model_fn returned None and predict_fn is the default, which runs the model: "
                "return the loaded model, or define predict_fn (or transform_fn)"
            )
        # Scripts written for the AWS toolkit may keep their model elsewhere.
        log.info("model_fn returned None; the hooks receive None as the model")
    if hooks.can_stack_batches:  # the runtime's own predict_fn runs the model
        model = _in_eval_mode(_on_worker_device(model, device))
    if spec.dtype != "float32" and isinstance(model, torch.nn.Module):
        model = model.to(getattr(torch, spec.dtype))
    outcome = None
    if spec.compile is not None:
        model, outcome = compile_and_warm_up(model, spec.compile, device, spec.dtype)
        if outcome.compiled:
            # The default predict_fn pads batches to these sizes (compiling.run_padded).
            context.compiled = CompiledShapes(
                batch_sizes=spec.compile.batch_sizes,
                sample_ndim=len(spec.compile.warmup_shape),
                cuda_graphs=spec.compile.uses_cuda_graphs(device),
            )
    if hooks.model_warmup_fn is not None:
        hooks.model_warmup_fn(model_dir, model, context=context)
    report = LoadReport(spec.model_name, device, time.perf_counter() - started, outcome)
    log.info(
        "model %s loaded on %s in %.2f s (hooks: %s)",
        spec.model_name,
        device,
        report.load_s,
        ", ".join(f"{h.name}={'default' if h.is_default else 'user'}" for h in _hooks(hooks)),
    )
    if spec.report_dir is not None:
        write_load_report(report, spec.report_dir)
    return ModelService(
        hooks,
        model,
        context,
        spec.max_response_bytes,
        report,
        spec.batch_transform,
        response_timeout_s=spec.response_timeout_s,
    )


def _on_worker_device(model: Any, device: str) -> Any:
    """A module that model_fn left wholly on the CPU, moved to the worker's GPU.

    The default predict_fn puts each batch on the worker's device, and AWS's toolkit, whose
    scripts run here unchanged, moves the model there too: a ``model_fn`` that builds or
    loads a module without ``.to(device)`` must not fail every request on a GPU. A module
    with any tensor already off the CPU was placed on purpose and is left alone.
    """
    import torch

    if device == "cpu" or not isinstance(model, torch.nn.Module):
        return model
    tensors = [*model.parameters(), *model.buffers()]
    if not tensors or any(t.device.type != "cpu" for t in tensors):
        return model
    log.info("model_fn returned a module on the CPU: moving it to %s", device)
    return model.to(device)


def _in_eval_mode(model: Any) -> Any:
    """A module that model_fn left in training mode, put in eval mode before it is
    compiled or serves (dropout off, batch norm on its running statistics).

    AWS's default predict_fn calls ``model.eval()`` before every prediction, and scripts
    rely on it: AWS's own MNIST example returns its net straight after
    ``load_state_dict``, dropout active. Served in training mode, two identical requests
    get two different answers. A user's own predict_fn keeps the model as it is, as with
    AWS. An exported program's mode was fixed when it was exported."""
    import torch

    if not isinstance(model, torch.nn.Module) or not any(m.training for m in model.modules()):
        return model
    try:
        model.eval()
    except NotImplementedError:  # torch.export's modules refuse it: nothing to change
        return model
    log.info("model_fn returned a module in training mode: put in eval mode, as AWS's does")
    return model


def _hooks(hooks: Any) -> list[Any]:
    return [h for h in vars(hooks).values() if h is not None]
