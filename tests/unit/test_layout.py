"""The seams hold: TorchServe lives in its wing, and the worker side stays engine-free.

Read from the source (ast), not by importing it, so a violation fails here whatever
the import order of the test session.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.config.schema import Config
from serving.engines.torchserve.render import Ports, RuntimePaths, render_config_properties
from tests.support.plans import properties

REPO = Path(__file__).resolve().parents[2]
SERVING = REPO / "serving"
WING = SERVING / "engines" / "torchserve"
# The names TorchServe loads by (the handler entry), kept where the project started.
ENTRY_SHIM = REPO / "handlers" / "sagemaker_handler.py"


def python_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from (root.rglob("*.py") if root.is_dir() else [root])


def outside_the_wing() -> list[Path]:
    return [
        path
        for path in python_files(SERVING, REPO / "handlers")
        if WING not in path.parents and path != ENTRY_SHIM
    ]


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except inside ``if TYPE_CHECKING:`` (imports for type hints only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in node.orelse:
                yield child
                yield from _runtime_nodes(child)
            continue
        yield node
        yield from _runtime_nodes(node)


def imported_modules(path: Path) -> set[str]:
    """What ``path`` imports when it runs (TYPE_CHECKING blocks left out)."""
    modules: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def config_properties_keys() -> set[str]:
    config = Config.model_validate({"models": [{"model_dir": "/m"}]})
    ports = Ports(1, 2, 3, 4, 5)
    return set(properties(render_config_properties(config, ports, RuntimePaths(Path("/r")))))


def test_the_boundary_checks_see_the_files_they_guard() -> None:
    checked = {p.relative_to(REPO).as_posix() for p in outside_the_wing()}
    assert {"serving/cli.py", "serving/startup/serve.py", "serving/worker/local.py"} <= checked
    assert "serving/engines/torchserve/render.py" not in checked
    keys = config_properties_keys()
    assert len(keys) > 20
    # The checks can fail: inside the wing they find what they look for.
    assert "ts" in imported_modules(WING / "frontend_jar.py")
    assert keys & string_constants(WING / "render.py")


@pytest.mark.parametrize("path", outside_the_wing(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_outside_the_wing_imports_torchserve_or_its_renderers(path: Path) -> None:
    for module in imported_modules(path):
        assert module != "ts" and not module.startswith("ts."), f"{path} imports {module}"
        wing_part = module.removeprefix("serving.engines.torchserve").lstrip(".")
        if module.startswith("serving.engines.torchserve") and wing_part:
            # Its config section (pydantic, no TorchServe) is the one thing others read.
            assert wing_part.split(".")[0] == "settings", f"{path} imports {module}"


@pytest.mark.parametrize("path", outside_the_wing(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_outside_the_wing_names_a_config_properties_key(path: Path) -> None:
    keys = config_properties_keys()
    for text in string_constants(path):
        named = {key for key in keys if text == key or f"{key}=" in text}
        assert not named, f"{path} names TorchServe's {sorted(named)} in {text!r}"


@pytest.mark.parametrize(
    "path",
    list(python_files(SERVING / "worker", SERVING / "worker_spec.py")),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_the_worker_side_imports_neither_start_up_nor_an_engine(path: Path) -> None:
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top not in ("ts", "pydantic"), f"{path} imports {module}"
        for side in ("serving.startup", "serving.engines", "serving.engine", "serving.cli"):
            assert module != side and not module.startswith(side + "."), f"{path} imports {module}"


LAB = REPO / "lab" / "serving_lab"


def runtime_files() -> list[Path]:
    """Every module the runtime's wheel and the images carry."""
    return list(python_files(SERVING, REPO / "handlers"))


def test_the_lab_check_sees_the_runtime_and_can_fail() -> None:
    checked = {p.relative_to(REPO).as_posix() for p in runtime_files()}
    assert {"serving/cli.py", "serving/worker/local.py", "handlers/sagemaker_handler.py"} <= checked
    assert not any(path.startswith("lab/") for path in checked)
    # The lab itself imports the runtime, and its own modules by their package's name.
    assert "serving_lab.bench.results" in imported_modules(LAB / "bench" / "client.py")
    assert not (SERVING / "bench").exists() and not (SERVING / "tune").exists()


@pytest.mark.parametrize("path", runtime_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_the_runtime_never_imports_the_lab(path: Path) -> None:
    # Under TYPE_CHECKING too: the runtime must type-check and run without the lab.
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            assert name.split(".")[0] != "serving_lab", f"{path} imports {name}"


def test_only_the_process_module_starts_processes() -> None:
    starters = {"subprocess", "os.execvp", "os.fork", "os.spawnv", "os.system", "os.popen"}
    offenders = []
    for path in python_files(SERVING, REPO / "handlers"):
        if path == SERVING / "process.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                offenders += [f"{path}: import {n}" for n in names if n == "subprocess"]
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and f"{node.value.id}.{node.attr}" in starters
            ):
                offenders.append(f"{path}: {node.value.id}.{node.attr}")
    assert offenders == []


# --- floors: every import points down (or along its own floor) --------------------------
#
# contracts < machine < config < the engine seam and processes < the wings < the roof.
# The config and the machine's facts are read by every wing, so they may import none;
# only the roof (serve, the commands) composes the wings.
FLOORS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "contracts",
        frozenset(
            {
                "serving.errors",
                "serving.content_types",
                "serving.worker_spec",
                "serving.load_report",
                "serving.net",
                "serving.logs",
            }
        ),
    ),
    ("machine", frozenset({"serving.machine"})),
    ("config", frozenset({"serving.config"})),
    ("seams", frozenset({"serving.engine", "serving.process"})),
    (
        "wings",
        frozenset(
            {
                "serving.worker",
                "serving.engines",
                "serving.front",
                "serving.multimodel",
                "serving.admission",
            }
        ),
    ),
    (
        "roof",
        frozenset(
            {
                "serving",  # the package's lazy public API
                "serving.__main__",
                "serving.cli",
                "serving.container",
                "serving.defaults",
                "serving.packaging",
                "serving.ping",
                "serving.startup",
            }
        ),
    ),
)


def floor_of(module: str) -> int:
    """The floor of a module of the runtime: its longest listed prefix's."""
    best, found = -1, None
    for index, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    assert found is not None, f"{module} is on no floor: add it to FLOORS"
    return found


def module_of(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = REPO.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def runtime_imports(path: Path) -> set[str]:
    """The runtime's modules ``path`` imports, TYPE_CHECKING blocks included (a type is a
    dependency too): ``from serving.config import sizing`` is serving.config.sizing."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "serving")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "serving":
                continue
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if is_module(submodule) else node.module)
    return found


def test_the_floors_hold_every_module_and_can_fail() -> None:
    for path in python_files(SERVING):
        floor_of(module_of(path))  # every module is on a floor
    assert floor_of("serving.config.schema") < floor_of("serving.engines.torchserve.render")
    assert floor_of("serving.machine.memory") < floor_of("serving.config.sizing")
    assert floor_of("serving.startup.serve") == len(FLOORS) - 1
    assert floor_of("serving") == len(FLOORS) - 1 and floor_of("serving.net") == 0
    # What the check reads: a package import becomes its submodule.
    assert "serving.config.sizing" in runtime_imports(SERVING / "multimodel" / "manager.py")
    assert "serving.config.schema" in runtime_imports(SERVING / "engine.py")  # TYPE_CHECKING


@pytest.mark.parametrize(
    "path", list(python_files(SERVING)), ids=lambda p: str(p.relative_to(REPO))
)
def test_no_module_imports_one_above_its_floor(path: Path) -> None:
    floor = floor_of(module_of(path))
    for module in runtime_imports(path):
        above = floor_of(module)
        assert above <= floor, (
            f"{module_of(path)} ({FLOORS[floor][0]}) imports {module} ({FLOORS[above][0]})"
        )


# The machine's facts are read in one place: nothing else names these kernel files.
MACHINE_FILES = ("/proc/self/cgroup", "/sys/fs/cgroup", "/proc/meminfo", "/proc/driver/nvidia")


def test_only_the_machine_floor_reads_the_machines_facts() -> None:
    readers = {
        module_of(path)
        for path in python_files(SERVING, REPO / "lab" / "serving_lab")
        if any(f in text for text in string_constants(path) for f in MACHINE_FILES)
        or "sched_getaffinity" in path.read_text()
    }
    assert readers == {
        "serving.machine.cgroups",
        "serving.machine.memory",
        "serving.machine.processors",
    }
