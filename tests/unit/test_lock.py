"""requirements/*.lock against pyproject.toml: what `make lock` (scripts/lock.py) resolved is
what the project pins, every package is hash-checked, and torch stays out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib

from tests.support.modules import load_module

REPO = Path(__file__).resolve().parents[2]
lock = load_module("lock", REPO / "scripts" / "lock.py")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
LAB = tomllib.loads((REPO / "lab" / "pyproject.toml").read_text())
LOCKS = ["pip", "runtime", "dev"]


def text(name: str) -> str:
    return (REPO / "requirements" / f"{name}.lock").read_text()


def test_the_inputs_are_pyprojects_pins_without_torch() -> None:
    inputs = lock.lock_inputs(PYPROJECT, LAB)
    assert inputs["pip"] == [lock.PIP]
    assert "torch" not in {lock.name_of(r) for r in inputs["runtime"] + inputs["dev"]}
    assert set(inputs["runtime"]) < set(inputs["dev"])
    assert "pandas==3.1.1" in inputs["runtime"]  # the dlc extra goes into the images
    assert "pytest==9.2.0" in inputs["dev"] and "pytest==9.2.0" not in inputs["runtime"]
    # the lab's dependencies go into the dev venv only, the runtime it names aside
    assert "matplotlib==3.11.2" in inputs["dev"] and "matplotlib==3.11.2" not in inputs["runtime"]
    assert "serving" not in {lock.name_of(r) for r in inputs["dev"]}


@pytest.mark.parametrize("name", LOCKS)
def test_the_lock_was_resolved_from_pyproject_as_it_is(name: str) -> None:
    # A pin changed in pyproject.toml without `make lock` fails here.
    written = (REPO / "requirements" / f"{name}.in").read_text().splitlines()[1:]
    assert written == lock.lock_inputs(PYPROJECT, LAB)[name]
    pinned = lock.pins(text(name))
    for requirement in written:
        exact = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", requirement)
        if exact:
            assert pinned[lock.name_of(exact[1])] == exact[2], requirement


@pytest.mark.parametrize("name", LOCKS)
def test_every_package_is_pinned_with_hashes_and_torch_is_not_there(name: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", text(name).split("\n", 2)[2])
    assert entries
    for entry in entries:
        if entry.startswith("#"):  # uv's list of what it left out
            continue
        assert re.match(r"[A-Za-z0-9._-]+==\S+", entry), entry[:80]
        assert "--hash=sha256:" in entry, entry[:80]
    pinned = set(lock.pins(text(name)))
    assert not pinned & {"torch", "triton", "sympy"}
    assert not any(package.startswith("nvidia-") for package in pinned)


def test_the_dev_venv_gets_the_torch_the_dev_lock_was_resolved_against() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert f"$(PIP_INSTALL) {lock.DEV_TORCH}\n" in makefile


def test_what_only_torch_needs_is_found_from_the_annotations() -> None:
    sample = """\
jinja2==3.1.6 \\
    --hash=sha256:aa
    # via torch
markupsafe==3.0.4 \\
    --hash=sha256:bb
    # via jinja2
filelock==4.3.2 \\
    --hash=sha256:cc
    # via
    #   huggingface-hub
    #   torch
torch==2.13.0 \\
    --hash=sha256:dd
    # via -r requirements/dev.in
"""
    assert lock.requirers(sample)["filelock"] == {"huggingface-hub", "torch"}
    assert lock.needed_only_by({"torch"}, sample) == {"torch", "jinja2", "markupsafe"}


def test_names_are_normalised() -> None:
    assert lock.name_of("Foo_Bar.baz>=1 ; python_version < '3.12'") == "foo-bar-baz"
    assert lock.pins("pip==26.3 \\\n    --hash=sha256:00\nuv==0.13.9 ; x\n") == {
        "pip": "26.3",
        "uv": "0.13.9",
    }
