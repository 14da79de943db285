"""load_service from a WorkerSpec: the context hooks see, and the report of the load."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.load_report import read_load_reports
from serving.worker.context import Headers
from serving.worker.loader import load_service
from serving.worker.service import Request
from serving.worker_spec import Placement
from tests.support.fakes import compile_spec, isolate_user_module, worker_spec, write_model_dir

# model_fn keeps the context it was given, so the test can read what a user script sees.
KEEPS_CONTEXT = """
import torch

SEEN = []

def model_fn(model_dir, context):
    SEEN.append(context)
    return torch.nn.Linear(3, 2)
"""


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolate_user_module(monkeypatch, tmp_path)


@pytest.mark.usefixtures("isolated")
def test_hooks_see_the_spec_as_typed_fields_and_a_read_only_settings_view(tmp_path: Path):
    import sys

    model_dir = write_model_dir(tmp_path, KEEPS_CONTEXT)
    spec = worker_spec(model_dir, model_name="m", batch_size=4, default_accept="text/csv")
    load_service(spec, Placement())
    [context] = sys.modules["inference"].SEEN
    assert (context.model_name, context.model_dir, context.device) == ("m", str(model_dir), "cpu")
    assert (context.batch_size, context.dtype, context.default_accept) == (4, "float32", "text/csv")
    assert context.settings["batch_size"] == 4  # the spec, for scripts that read settings
    assert context.settings["code_dir"] == str(model_dir / "code")
    with pytest.raises(TypeError):
        context.settings["dtype"] = "float16"  # type: ignore[index]


@pytest.mark.usefixtures("isolated")
def test_a_compiled_model_tells_the_default_predict_fn_its_sizes(tmp_path: Path):
    import torch

    model_dir = write_model_dir(tmp_path, KEEPS_CONTEXT)
    spec = worker_spec(
        model_dir, batch_size=4, compile=compile_spec(tmp_path / "cache", backend="eager")
    )
    service = load_service(spec, Placement())
    compiled = service.load_context.compiled
    assert compiled is not None
    assert (compiled.batch_sizes, compiled.sample_ndim, compiled.cuda_graphs) == ((1, 4), 1, False)
    report = service.load_report
    assert report is not None and report.compile is not None and report.compile.compiled
    request = Request("r", Headers({"Content-Type": "application/json"}), b"[[1, 2, 3]]")
    [answer] = service.handle([request])
    assert answer.status == 200
    torch._dynamo.reset()


@pytest.mark.usefixtures("isolated")
def test_the_load_report_is_written_where_the_spec_says(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, KEEPS_CONTEXT)
    reports = tmp_path / "reports"
    service = load_service(worker_spec(model_dir, report_dir=reports), Placement())
    assert [p.name for p in reports.iterdir()] == [f"model-{os.getpid()}-0.json"]
    [report] = read_load_reports(reports)
    assert report == service.load_report
    assert (report.model_name, report.device, report.compile) == ("model", "cpu", None)
    assert report.load_s > 0


@pytest.mark.usefixtures("isolated")
def test_no_report_directory_no_report(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, KEEPS_CONTEXT)
    service = load_service(worker_spec(model_dir), Placement())
    assert service.load_report is not None  # still known to the service itself
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.usefixtures("isolated")
def test_a_failed_load_leaves_a_report_with_its_error_and_still_raises(tmp_path: Path):
    model_dir = write_model_dir(tmp_path, "def model_fn(model_dir):\n    raise OSError('disk')\n")
    reports = tmp_path / "reports"
    with pytest.raises(OSError, match="disk"):
        load_service(worker_spec(model_dir, report_dir=reports), Placement())
    [report] = read_load_reports(reports)
    assert (report.model_name, report.error) == ("model", "OSError: disk")


def test_the_top_level_modules_of_a_models_own_packages(tmp_path: Path) -> None:
    from serving.worker.loader import top_level_modules

    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy-1.26.4.dist-info").mkdir()
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "six.py").write_text("")
    (tmp_path / "_speedups.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "_serving_environment.pth").write_text("/venv/lib\n")
    assert sorted(top_level_modules(tmp_path)) == ["_speedups", "numpy", "six"]
