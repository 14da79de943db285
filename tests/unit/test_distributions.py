"""What each distribution carries, from wheels built here (offline, setuptools from the
venv): the runtime's wheel, which the images install, holds no lab code; the lab's
wheel holds the lab and adds `serving bench` and `serving tune` through entry points."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Build artefacts the copies leave behind (a local plugin build, caches).
NOT_SOURCES = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.jar", "classes", "build")


def wheel_of(project: Path, parts: list[str], work: Path) -> zipfile.ZipFile:
    """The wheel of a copy of ``parts`` of ``project`` (so the checkout is left as it is)."""
    tree = work / project.name
    for part in parts:
        source = project / part
        if source.is_dir():
            shutil.copytree(source, tree / part, ignore=NOT_SOURCES)
        else:
            tree.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / part)
    out = work / "wheels"
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    command += ["--no-build-isolation", "--no-index", "-w", str(out), str(tree)]
    subprocess.run(command, check=True, timeout=300, capture_output=True)
    [wheel] = list(out.glob("*.whl"))
    return zipfile.ZipFile(wheel)


def test_the_runtime_wheel_carries_no_lab(tmp_path: Path) -> None:
    with wheel_of(REPO, ["pyproject.toml", "serving", "handlers"], tmp_path) as wheel:
        names = wheel.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        declared = wheel.read(entry_points).decode()
    assert "serving/cli.py" in names and "serving/worker/local.py" in names  # it is the runtime
    assert not [
        n for n in names if n.startswith(("serving_lab/", "serving/bench/", "serving/tune/"))
    ]
    assert not [n for n in names if "matplotlib" in n or n.startswith("lab/")]
    assert "serving.commands" not in declared  # the runtime adds no plugin to itself


def test_the_lab_wheel_adds_bench_and_tune_to_the_serving_command(tmp_path: Path) -> None:
    with wheel_of(REPO / "lab", ["pyproject.toml", "serving_lab"], tmp_path) as wheel:
        names = wheel.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        declared = wheel.read(entry_points).decode()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert {
        "serving_lab/server.py",
        "serving_lab/bench/floors.py",
        "serving_lab/tune/cells.py",
    } <= set(names)
    assert not [n for n in names if n.startswith("serving/")]  # the runtime stays its own
    assert "[serving.commands]" in declared
    assert "bench = serving_lab.bench.cli:COMMAND" in declared
    assert "tune = serving_lab.tune.cli:COMMAND" in declared
    assert b"Requires-Dist: serving==0.1.0" in metadata
