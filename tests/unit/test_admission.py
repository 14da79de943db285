"""Admitting a model: the checks before it loads (the model directory, the entry module, pip's
verdict), the requirements to install, and when to give up on its loads."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from serving import net, process
from serving.admission import check_model, gave_up, requirements_file, requirements_to_install
from serving.config.schema import Config, ModelConfig
from serving.errors import ConfigError
from serving.load_report import LoadReport


def make_model_dir(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def problem(model: ModelConfig) -> str:
    with pytest.raises(ConfigError) as info:
        check_model(model)
    return info.value.message


def test_weights_alone_pass(tmp_path: Path) -> None:
    check_model(ModelConfig(model_dir=make_model_dir(tmp_path, {"model.pt": ""})))


@pytest.mark.parametrize("weights", ["classifier.pth", "exported.pt2", "other.pt"])
def test_a_single_weights_file_of_any_supported_kind_passes(tmp_path: Path, weights: str) -> None:
    check_model(ModelConfig(model_dir=make_model_dir(tmp_path, {weights: "", "vocab.txt": ""})))


def test_model_fn_without_weights_passes(tmp_path: Path) -> None:
    source = "def model_fn(model_dir):\n    pass\n"
    check_model(ModelConfig(model_dir=make_model_dir(tmp_path, {"code/inference.py": source})))


def test_imported_model_fn_counts(tmp_path: Path) -> None:
    source = "from mylib.loading import load as model_fn\n"
    check_model(ModelConfig(model_dir=make_model_dir(tmp_path, {"code/inference.py": source})))


def test_configured_entry_module_and_package(tmp_path: Path) -> None:
    make_model_dir(
        tmp_path,
        {
            "code/main.py": "def model_fn(model_dir):\n    pass\n",
            "code/pkg/__init__.py": "def model_fn(model_dir):\n    pass\n",
        },
    )
    check_model(ModelConfig(model_dir=tmp_path, entry="main.py"))
    check_model(ModelConfig(model_dir=tmp_path, entry="main"))
    check_model(ModelConfig(model_dir=tmp_path, entry="pkg"))


def test_missing_model_dir(tmp_path: Path) -> None:
    message = problem(ModelConfig(name="digits", model_dir=tmp_path / "absent"))
    absent = tmp_path / "absent"
    assert message.startswith(f"model 'digits': model directory {absent} does not exist")
    assert "SAGEMAKER_BASE_DIR" in message


def test_model_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "model.pt").write_text("")
    assert "does not exist" in problem(ModelConfig(model_dir=tmp_path / "model.pt"))


def test_no_weights_and_no_model_fn(tmp_path: Path) -> None:
    source = "def predict_fn(data, model):\n    pass\n"
    make_model_dir(tmp_path, {"weights.bin": "", "code/inference.py": source})
    message = problem(ModelConfig(name="digits", model_dir=tmp_path))
    assert message.startswith("model 'digits': ")
    assert "needs model.pt, or exactly one *.pt/*.pth TorchScript file or *.pt2" in message
    assert "found: none" in message
    assert "Define model_fn(model_dir) in code/inference.py" in message


def test_ambiguous_weights_are_listed(tmp_path: Path) -> None:
    make_model_dir(tmp_path, {"a.pt": "", "b.pth": ""})
    assert "found: a.pt, b.pth." in problem(ModelConfig(model_dir=tmp_path))


def test_weights_in_a_subdirectory_do_not_count(tmp_path: Path) -> None:
    make_model_dir(tmp_path, {"sub/model.pt": ""})
    assert "found: none" in problem(ModelConfig(model_dir=tmp_path))


def test_transform_fn_with_input_fn_is_refused_statically(tmp_path: Path) -> None:
    source = (
        "import this_package_does_not_exist  # never imported by the check\n"
        "def transform_fn(model, data, content_type, accept):\n    pass\n"
        "def input_fn(data, content_type):\n    pass\n"
    )
    make_model_dir(tmp_path, {"model.pt": "", "code/inference.py": source})
    message = problem(ModelConfig(name="m", model_dir=tmp_path))
    assert message.startswith(f"model 'm': {tmp_path / 'code' / 'inference.py'}: ")
    assert "defines transform_fn together with input_fn" in message


def test_syntax_error_in_the_entry_module(tmp_path: Path) -> None:
    make_model_dir(tmp_path, {"model.pt": "", "code/inference.py": "import os\ndef model_fn(:\n"})
    message = problem(ModelConfig(model_dir=tmp_path))
    assert message.startswith(f"{tmp_path / 'code' / 'inference.py'} line 2: syntax error")


def test_configured_entry_that_is_missing(tmp_path: Path) -> None:
    make_model_dir(tmp_path, {"model.pt": "", "code/inference.py": ""})
    message = problem(ModelConfig(model_dir=tmp_path, entry="main.py"))
    assert message == (
        f"model 'model': entry module 'main.py' was configured but "
        f"{tmp_path / 'code' / 'main.py'} does not exist"
    )


def test_default_entry_may_be_absent(tmp_path: Path) -> None:
    # Not configured: a model directory with weights and no code/ uses the default hooks.
    model = ModelConfig(model_dir=make_model_dir(tmp_path, {"model.pt": ""}))
    assert "entry" not in model.model_fields_set
    check_model(model)


def test_requirements_file(tmp_path: Path) -> None:
    model = ModelConfig(model_dir=tmp_path)
    assert requirements_file(model) is None
    make_model_dir(tmp_path, {"code/requirements.txt": "numpy\n"})
    assert requirements_file(model) == tmp_path / "code" / "requirements.txt"


def test_requirements_are_installed_unless_the_server_installs_none(tmp_path: Path) -> None:
    make_model_dir(tmp_path, {"code/requirements.txt": "numpy\n"})
    model = ModelConfig(model_dir=tmp_path)
    installs = Config.model_validate({"models": [{"model_dir": str(tmp_path)}]})
    assert requirements_to_install(model, installs) == tmp_path / "code" / "requirements.txt"
    none = installs.model_copy(
        update={"server": installs.server.model_copy(update={"install_requirements": False})}
    )
    assert requirements_to_install(model, none) is None
    assert requirements_to_install(ModelConfig(model_dir=tmp_path / "code"), installs) is None


# --- a model's loads, judged from the workers' reports -----------------------------------------


def ok(model: str) -> LoadReport:
    return LoadReport(model, "cpu", 0.5)


def failed(model: str, error: str = "RuntimeError: x") -> LoadReport:
    return LoadReport(model, "cpu", 0.5, error=error)


def test_a_model_is_given_up_after_its_attempts_fail_in_a_row() -> None:
    assert gave_up([failed("a"), failed("a")], {"a": 3}) is None
    last = failed("a", "ValueError: third")
    assert gave_up([failed("a"), failed("a"), last], {"a": 3}) == ("a", last)
    assert gave_up([failed("a")], {"a": 1}) == ("a", failed("a"))


def test_a_success_starts_the_count_again() -> None:
    reports = [failed("a"), failed("a"), ok("a"), failed("a"), failed("a")]
    assert gave_up(reports, {"a": 3}) is None
    assert gave_up([*reports, failed("a")], {"a": 3}) is not None


def test_models_are_counted_apart_each_with_its_own_attempts() -> None:
    reports = [failed("a"), failed("b"), failed("a"), ok("b"), failed("b")]
    assert gave_up(reports, {"a": 3, "b": 1}) == ("b", failed("b"))
    assert gave_up(reports, {"a": 2, "b": 5}) == ("a", failed("a"))
    assert gave_up(reports, {"b": 5}) is None  # a model not asked about is not counted
    assert gave_up([], {"a": 1}) is None


# --- pip output ------------------------------------------------------------------------------

NOT_FOUND = (
    "Collecting nonexistent-pkg-xyz==1.0 (from -r /opt/ml/model/code/requirements.txt (line 1))\n"
    "ERROR: Could not find a version that satisfies the requirement nonexistent-pkg-xyz==1.0 "
    "(from versions: none)\n"
    "ERROR: No matching distribution found for nonexistent-pkg-xyz==1.0\n"
)
INVALID_PIP_23 = "ERROR: Invalid requirement: 'foo[' (from line 1 of requirements.txt)\n"
INVALID_PIP_24 = (
    "ERROR: Invalid requirement: 'torch>=2.0,<': Expected end or semicolon (after version "
    "specifier)\n    torch>=2.0,<\n         ~~~~~^ (from line 3 of requirements.txt)\n"
)
BUILD_FAILED = (
    "  Building wheel for oldpkg (pyproject.toml) ... error\n"
    "  ERROR: Failed building wheel for oldpkg\n"
    "Failed to build oldpkg\n"
    "ERROR: Could not build wheels for oldpkg, which is required to install pyproject.toml-based"
    " projects\n"
)


@pytest.mark.parametrize(
    ("output", "requirement"),
    [
        (NOT_FOUND, "nonexistent-pkg-xyz==1.0"),
        (NOT_FOUND.splitlines()[1], "nonexistent-pkg-xyz==1.0"),
        (INVALID_PIP_23, "foo["),
        (INVALID_PIP_24, "torch>=2.0,<"),
        (BUILD_FAILED, "oldpkg"),
        (
            "ERROR: Cannot install a==1.0, b==2.0 and c because these package versions have "
            "conflicting dependencies.\n",
            "a==1.0",
        ),
    ],
)
def test_failed_requirement(output: str, requirement: str) -> None:
    assert process.failed_requirement(output) == requirement


@pytest.mark.parametrize("output", ["", "ERROR: Could not open requirements file\n"])
def test_failed_requirement_names_nothing_it_cannot_see(output: str) -> None:
    assert process.failed_requirement(output) is None


def test_free_port_can_be_bound_on_loopback() -> None:
    port = net.free_port()
    assert 1024 <= port <= 65535
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
