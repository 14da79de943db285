"""`serve` with a stand-in engine: preflight, the plan's files, supervision, exit status."""

from __future__ import annotations

import logging
import signal
import socket
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from serving import process
from serving.config.batching import batched
from serving.config.schema import Config
from serving.engine import Child, EnginePlan, Host, Launch, LoadWatch, Upstream
from serving.errors import ConfigError
from serving.machine.processors import available_cpus
from serving.net import free_port
from serving.startup import serve as serve_module
from serving.startup.serve import current_host, give_up_reason, serve, sized_for, write_launch

REPO = Path(__file__).resolve().parents[2]

# The stand-in engine's process: checks that the plan's files are in its working
# directory (the runtime directory), then exits with the status the test chose.
CHECK_FILES = textwrap.dedent(
    """
    import os, sys
    assert open("config.txt").read() == f"port={sys.argv[2]}\\n", "config.txt"
    assert os.path.isdir("sockets"), "sockets"
    assert os.environ["ENGINE_SAYS"] == "hello", "environment"
    sys.exit(int(sys.argv[1]))
    """
)


# A stand-in engine whose worker fails to load again and again, and which would run on.
FAILING_WORKERS = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from serving.load_report import LoadReport, write_load_report

    for _ in range(5):
        write_load_report(LoadReport("model", "cpu", 0.1, error="OSError: disk"), Path(sys.argv[1]))
        time.sleep(0.2)
    time.sleep(60)
    """
)


# The fake engine's listener, as the front would reach it (a socket nobody makes: the
# front starts once its deadline passes).
UPSTREAM = Upstream("unix:/nonexistent/fake-engine.sock")


class FakeEngine:
    """An engine whose process is a short Python script; records what it was asked."""

    name: ClassVar[str] = "fake"
    reserved_cores: ClassVar[int] = 0
    planned: ClassVar[list[tuple[Config, Host, Path]]] = []
    exit_status: ClassVar[int] = 4
    # Set to a directory: the engine's "workers" fail to load there, and it runs on.
    failing_loads: ClassVar[Path | None] = None

    @classmethod
    def discover(cls, environ: Mapping[str, str]) -> FakeEngine:
        return cls()

    def plan(self, config: Config, host: Host, root: Path) -> EnginePlan:
        FakeEngine.planned.append((config, host, root))
        if FakeEngine.failing_loads is not None:
            failing = (sys.executable, "-c", FAILING_WORKERS, str(FakeEngine.failing_loads))
            return EnginePlan(
                files={},
                directories=(),
                child=Child("the fake engine", failing, dict(host.environ)),
                ready_url="",
                ready_timeout_s=0,
                upstream=UPSTREAM,
                loads=LoadWatch(FakeEngine.failing_loads, {"model": 2}),
            )
        port = config.server.port
        return EnginePlan(
            files={"config.txt": f"port={port}\n"},
            directories=("sockets",),
            child=Child(
                "the fake engine",
                (sys.executable, "-c", CHECK_FILES, str(self.exit_status), str(port)),
                {**host.environ, "ENGINE_SAYS": "hello"},
            ),
            ready_url="",
            ready_timeout_s=0,
            upstream=UPSTREAM,
        )

    @classmethod
    def describe(cls, config: Config, host: Host) -> str:
        return "# fake files"


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeEngine]]:
    monkeypatch.setattr(serve_module, "engine_class", lambda name: FakeEngine)
    FakeEngine.planned = []
    FakeEngine.failing_loads = None
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        yield FakeEngine
    finally:  # the supervisor installs its own; the test process keeps pytest's
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def config_for(model_dir: Path, **server: Any) -> Config:
    return Config.model_validate(
        {
            "server": {"host": "127.0.0.1", "port": free_port(), **server},
            "models": [{"model_dir": str(model_dir)}],
        }
    )


def environ_with_front(tmp_path: Path, **variables: str) -> dict[str, str]:
    """An environment whose "nginx" is a stand-in that waits to be stopped: these tests
    are about serve and its engine; the real front has tests of its own."""
    front = tmp_path / "front"
    front.write_text("#!/bin/sh\nexec sleep 60\n")
    front.chmod(0o755)
    return {"SERVING_NGINX": str(front), **variables}


def model_dir_with(tmp_path: Path, code: str) -> Path:
    model_dir = tmp_path / "model"
    (model_dir / "code").mkdir(parents=True)
    (model_dir / "code" / "inference.py").write_text(code)
    return model_dir


def test_serve_writes_the_plan_runs_it_and_exits_with_the_engines_status(
    tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    model_dir = model_dir_with(tmp_path, "def model_fn(model_dir):\n    return 1\n")
    environ = environ_with_front(tmp_path, PATH="/usr/bin:/bin")
    config = config_for(model_dir)
    status = serve(config, environ)
    assert status == FakeEngine.exit_status  # the script found every file and variable
    [(planned, host, root)] = FakeEngine.planned
    # workers filled in; batches of what is queued, as the code leaves predict_fn unset
    expected = sized_for(batched(config, {"model": True}), environ, available_cpus())
    assert planned == expected
    assert planned.models[0].workers is not None and config.models[0].workers is None
    assert (planned.models[0].batch_size, planned.models[0].max_batch_delay_ms) == (2, 0)
    assert host.environ == environ and host.python == sys.executable
    assert not root.exists()  # the runtime directory is removed afterwards


def test_serve_batches_one_by_one_a_model_whose_code_runs_it(
    tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    code = "def model_fn(model_dir):\n    return 1\n\n\n"
    code += "def predict_fn(data, model):\n    return data\n"
    model_dir = model_dir_with(tmp_path, code)
    environ = environ_with_front(tmp_path, PATH="/usr/bin:/bin")
    assert serve(config_for(model_dir), environ) == FakeEngine.exit_status
    [(planned, _, _)] = FakeEngine.planned
    assert planned.models[0].batch_size == 1


def test_an_engine_that_exits_zero_on_its_own_is_still_a_failure(
    tmp_path: Path, fake_engine: type[FakeEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeEngine, "exit_status", 0)
    model_dir = model_dir_with(tmp_path, "def model_fn(model_dir):\n    return 1\n")
    assert serve(config_for(model_dir), environ_with_front(tmp_path)) == 1


def test_preflight_stops_serve_before_the_engine_is_planned(
    tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    model_dir = model_dir_with(tmp_path, "def model_fn(model_dir:\n")
    with pytest.raises(ConfigError, match="syntax error"):
        serve(config_for(model_dir), environ_with_front(tmp_path))
    assert FakeEngine.planned == []


def test_write_launch_makes_files_and_directories_under_the_root(tmp_path: Path) -> None:
    launch = Launch(
        files={"a.txt": "A", "deep/er/b.txt": "B"},
        directories=("tmp", "x/y"),
        children=(),
        ready_url="",
        ready_timeout_s=0,
    )
    write_launch(tmp_path, launch)
    assert (tmp_path / "a.txt").read_text() == "A"
    assert (tmp_path / "deep" / "er" / "b.txt").read_text() == "B"
    assert (tmp_path / "tmp").is_dir() and (tmp_path / "x" / "y").is_dir()


def test_current_host_reads_this_machine_once() -> None:
    host = current_host({"A": "1"})
    assert host.environ == {"A": "1"}
    assert host.cpus >= 1 and host.python == sys.executable
    assert len(set(host.free_ports)) == len(host.free_ports) == serve_module.SPARE_PORTS


def test_a_busy_public_port_stops_serve_naming_it(
    tmp_path: Path, fake_engine: type[FakeEngine]
) -> None:
    model_dir = model_dir_with(tmp_path, "def model_fn(model_dir):\n    return 1\n")
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        config = config_for(model_dir, host="127.0.0.1", port=port)
        with pytest.raises(ConfigError, match=f"port {port} on 127.0.0.1 is in use"):
            serve(config, environ_with_front(tmp_path))
    assert FakeEngine.planned == []
    # Once the other server has gone, the same port serves.
    config = config_for(model_dir, host="127.0.0.1", port=port)
    assert serve(config, environ_with_front(tmp_path)) == 4


def test_serve_gives_up_on_a_model_that_fails_its_load_attempts(
    tmp_path: Path, fake_engine: type[FakeEngine], caplog: pytest.LogCaptureFixture
) -> None:
    model_dir = model_dir_with(tmp_path, "def model_fn(model_dir):\n    return 1\n")
    FakeEngine.failing_loads = tmp_path / "reports"
    with caplog.at_level(logging.ERROR, logger="serving"):
        environ = environ_with_front(tmp_path, PYTHONPATH=str(REPO))
        assert serve(config_for(model_dir), environ) == process.GAVE_UP
    assert caplog.records[-1].getMessage() == (
        "exiting with status 3: model 'model' failed to load 2 times in a row, giving up "
        "(models[].load_attempts); the last error: OSError: disk"
    )


def test_no_reports_no_reason_to_give_up(tmp_path: Path) -> None:
    assert give_up_reason(LoadWatch(tmp_path, {"m": 1})) is None
    assert give_up_reason(None) is None  # a multi-model endpoint: no model at start
