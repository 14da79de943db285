"""Hook resolution: defaults fill gaps, context by name, arity checked once at load."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving.errors import ConfigError
from serving.worker import loader
from serving.worker.context import Headers
from serving.worker.defaults import DEFAULT_HOOKS, default_input_fn, default_predict_fn
from serving.worker.hooks import (
    HOOK_NAMES,
    UNKNOWN_HOOKS,
    declared_hooks,
    make_hook,
    resolve_hooks,
)
from serving.worker.service import Request
from serving.worker_spec import Placement
from tests.support.fakes import isolate_user_module, worker_spec, write_model_dir


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolate_user_module(monkeypatch, tmp_path)


def test_defaults_fill_the_gaps_and_user_hooks_win():
    def predict_fn(data, model):
        return data

    hooks = resolve_hooks({"predict_fn": predict_fn, "unrelated": 1}, DEFAULT_HOOKS)
    assert hooks.predict_fn.fn is predict_fn and not hooks.predict_fn.is_default
    assert hooks.input_fn.fn is default_input_fn and hooks.input_fn.is_default
    assert hooks.model_fn.is_default and hooks.output_fn.is_default
    assert hooks.pre_model_fn is None and hooks.model_warmup_fn is None
    assert hooks.transform_fn is None
    assert not hooks.can_stack_batches  # a user predict_fn runs each request alone
    assert resolve_hooks({}, DEFAULT_HOOKS).can_stack_batches
    assert resolve_hooks({"predict_fn": None}, DEFAULT_HOOKS).predict_fn.fn is default_predict_fn


@pytest.mark.parametrize("clash", ["input_fn", "predict_fn", "output_fn"])
def test_transform_fn_with_a_pipeline_hook_names_both(clash: str):
    def hook(*args):
        return None

    with pytest.raises(ConfigError) as raised:
        resolve_hooks({"transform_fn": hook, clash: hook}, DEFAULT_HOOKS)
    assert "transform_fn" in str(raised.value) and clash in str(raised.value)


def test_transform_fn_alone_is_fine_and_disables_stacking():
    def transform_fn(model, input_data, content_type, accept):
        return b""

    hooks = resolve_hooks({"transform_fn": transform_fn}, DEFAULT_HOOKS)
    assert hooks.transform_fn is not None and hooks.transform_fn.fn is transform_fn
    assert not hooks.can_stack_batches


def test_context_is_passed_to_a_last_parameter_named_context():
    seen: list[Any] = []

    def input_fn(input_data, content_type, context):
        seen.append(context)

    hook = make_hook("input_fn", input_fn, is_default=False)
    assert hook.wants_context
    hook("body", "text/csv", context="CTX")
    assert seen == ["CTX"]


def test_context_is_detected_by_name_not_by_count():
    seen: list[tuple[Any, ...]] = []

    def model_fn(model_dir, gpu_id=None):
        seen.append((model_dir, gpu_id))
        return "model"

    hook = make_hook("model_fn", model_fn, is_default=False)
    assert not hook.wants_context
    assert hook("/opt/ml/model", context="CTX") == "model"
    assert seen == [("/opt/ml/model", None)]


def test_context_need_not_be_last_named_ctx():
    def predict_fn(data, model, ctx=None):
        return ctx

    assert make_hook("predict_fn", predict_fn, is_default=False)(1, 2, context="CTX") is None


@pytest.mark.parametrize(
    ("name", "fn", "expected_call"),
    [
        ("model_fn", lambda: None, "model_fn(model_dir)"),
        ("model_fn", lambda model_dir, extra: None, "model_fn(model_dir)"),
        ("predict_fn", lambda data: None, "predict_fn(data, model)"),
        ("input_fn", lambda a, b, c, context: None, "input_fn(input_data, content_type, context)"),
        ("output_fn", lambda prediction, accept, *, context: None, "output_fn(prediction, accept"),
        ("transform_fn", lambda model, data: None, "transform_fn(model, input_data"),
    ],
)
def test_wrong_arity_fails_at_resolution_showing_the_expected_call(name, fn, expected_call):
    with pytest.raises(ConfigError) as raised:
        resolve_hooks({name: fn}, DEFAULT_HOOKS)
    assert expected_call in str(raised.value)
    assert f"def {name}(" in str(raised.value)


def test_variadic_hooks_are_accepted():
    assert not make_hook("predict_fn", lambda *args: args, is_default=False).wants_context
    assert make_hook("predict_fn", lambda data, model, **kw: kw, is_default=False)(1, 2) == {}


def test_non_callable_hook_is_a_config_error():
    with pytest.raises(ConfigError, match="predict_fn must be a function, got int"):
        resolve_hooks({"predict_fn": 3}, DEFAULT_HOOKS)


def test_declared_hooks_reads_names_without_importing():
    source = (
        "import definitely_not_installed_module\n"
        "from serving.worker.defaults import default_input_fn as input_fn\n"
        "def model_fn(model_dir):\n    raise SystemExit('never run')\n"
        "async def output_fn(p, a): ...\n"
        "predict_fn = transform_fn = None\n"
        "def helper(): ...\n"
        "if True:\n    def pre_model_fn(model_dir): ...\n"  # bound at module level too
        "def f():\n    model_warmup_fn = 1\n"  # a local name: not the module's
    )
    assert declared_hooks(source) == {
        "input_fn",
        "model_fn",
        "output_fn",
        "pre_model_fn",
        "predict_fn",
        "transform_fn",
    }


@pytest.mark.parametrize(
    ("source", "declared"),
    [
        ("predict_fn: object = print\n", {"predict_fn"}),
        ("input_fn, predict_fn = print, print\n", {"input_fn", "predict_fn"}),
        ("try:\n    import x\nexcept ImportError:\n    def output_fn(p, a): ...\n", {"output_fn"}),
        ("with open('f') as f:\n    transform_fn = print\n", {"transform_fn"}),
        ("import predict_fn\n", {"predict_fn"}),
        ("from handlers import *\n", {UNKNOWN_HOOKS}),
        ("globals()['predict_fn'] = print\n", {UNKNOWN_HOOKS}),
        ("import sys\nsetattr(sys.modules[__name__], 'predict_fn', print)\n", {UNKNOWN_HOOKS}),
        ("def model_fn(d):\n    return globals()\n", {"model_fn"}),  # inside a function
    ],
)
def test_declared_hooks_reads_every_top_level_binding(source: str, declared: set[str]) -> None:
    assert declared_hooks(source) == declared


def test_declared_hooks_reports_syntax_errors_with_file_and_line():
    with pytest.raises(ConfigError, match=r"code/inference.py line 2: syntax error"):
        declared_hooks("x = 1\ndef model_fn(:\n", "code/inference.py")


# --- load-time hooks, through loader.load_service --------------------------------------

LOAD_ORDER = """
    CALLS = []

    def pre_model_fn(model_dir):
        CALLS.append(("pre", model_dir))

    def model_fn(model_dir, context):
        CALLS.append(("model", context.device, context.model_name))
        return lambda data: data

    def model_warmup_fn(model_dir, model):
        CALLS.append(("warmup", model([1.0])))

    def input_fn(input_data, content_type):
        return [float(v) for v in input_data.split(",")]

    def predict_fn(data, model):
        return model(data)

    def output_fn(prediction, accept):
        return ",".join(str(v) for v in prediction), "text/csv"
"""


@pytest.mark.usefixtures("isolated")
def test_load_hooks_run_once_in_order_pre_model_warmup(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, LOAD_ORDER)
    service = loader.load_service(worker_spec(model_dir, model_name="m", batch_size=2), Placement())
    calls = sys.modules["inference"].CALLS
    assert calls == [("pre", str(model_dir)), ("model", "cpu", "m"), ("warmup", [1.0])]
    request = Request("r", Headers({"Content-Type": "text/csv"}), bytearray(b"1,2"))
    for _ in range(3):
        assert [r.body for r in service.handle([request, request])] == [b"1.0,2.0"] * 2
    assert len(calls) == 3  # no hook of the load runs again per request
    assert Path.cwd() == model_dir  # AWS-era scripts open files relative to it


@pytest.mark.usefixtures("isolated")
def test_hooks_are_resolved_once_at_load(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, LOAD_ORDER)
    service = loader.load_service(worker_spec(model_dir, model_name="m", batch_size=1), Placement())
    sys.modules["inference"].output_fn = lambda prediction, accept: b"replaced"
    request = Request("r", Headers({"Content-Type": "text/csv"}), b"5")
    assert service.handle([request])[0].body == b"5.0"


@pytest.mark.usefixtures("isolated")
def test_bad_hooks_stop_the_load(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, "def model_fn():\n    return 1\n")
    with pytest.raises(
        ConfigError, match=r"model_fn\(\) cannot be called as model_fn\(model_dir\)"
    ):
        loader.load_service(worker_spec(model_dir, model_name="m", batch_size=1), Placement())


@pytest.mark.usefixtures("isolated")
def test_model_fn_returning_none_stops_the_load_when_the_default_predict_fn_would_run_it(
    tmp_path: Path,
):
    model_dir = write_model_dir(tmp_path, "def model_fn(model_dir):\n    return None\n")
    with pytest.raises(loader.ModelLoadError, match="model_fn returned None and predict_fn"):
        loader.load_service(worker_spec(model_dir, model_name="m", batch_size=1), Placement())


@pytest.mark.usefixtures("isolated")
def test_model_fn_may_return_none_when_the_scripts_hooks_do_the_work(tmp_path: Path):
    # Scripts written for the AWS toolkit that keep their model elsewhere run unchanged.
    code = """
        STATE = {"model": "kept elsewhere"}

        def model_fn(model_dir):
            return None

        def predict_fn(data, model):
            return {"model": model, "state": STATE["model"], "data": data}

        def output_fn(prediction, accept):
            import json
            return json.dumps(prediction), "application/json"

        def input_fn(input_data, content_type):
            return input_data.decode()
    """
    model_dir = write_model_dir(tmp_path, code)
    service = loader.load_service(worker_spec(model_dir, model_name="m", batch_size=1), Placement())
    request = Request("r", Headers({"Content-Type": "text/plain"}), bytearray(b"hi"))
    [response] = service.handle([request])
    assert response.status == 200
    assert json.loads(response.body) == {"model": None, "state": "kept elsewhere", "data": "hi"}


@pytest.mark.usefixtures("isolated")
def test_import_errors_name_the_module_and_directory(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, "import definitely_not_installed_module\n")
    with pytest.raises(ConfigError, match="importing inference from .*code failed"):
        loader.load_service(worker_spec(model_dir, model_name="m", batch_size=1), Placement())


def test_hook_names_cover_the_sagemaker_contract():
    assert set(HOOK_NAMES) == {
        "pre_model_fn",
        "model_fn",
        "model_warmup_fn",
        "input_fn",
        "predict_fn",
        "output_fn",
        "transform_fn",
    }
