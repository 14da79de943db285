"""The images' entrypoint, and `serving ping` (their HEALTHCHECK)."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from serving.cli import main
from serving.container import command_for
from serving.net import free_port


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], ["serve"]),
        (["serve"], ["serve"]),
        (["serve", "--port", "9000"], ["serve", "--port", "9000"]),
        (["python", "-c", "print(1)"], ["python", "-c", "print(1)"]),
        (["bash"], ["bash"]),
    ],
)
def test_serve_is_the_default_and_anything_else_runs_as_given(
    argv: list[str], command: list[str]
) -> None:
    assert command_for(argv) == command


def entrypoint(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "serving-entrypoint"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_entrypoint_execs_the_command() -> None:
    result = entrypoint(sys.executable, "-c", "import os; print(os.getppid() > 0, 'ran')")
    assert result.returncode == 0 and result.stdout.split() == ["True", "ran"]


def test_entrypoint_reports_a_missing_command_as_127() -> None:
    result = entrypoint("no-such-command-here")
    assert result.returncode == 127
    assert "serving-entrypoint: no-such-command-here:" in result.stderr


@contextmanager
def answering(status: int) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 that answers every GET with ``status``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(("status", "exit_code"), [(200, 0), (503, 1)])
def test_ping_exits_0_only_when_the_server_says_200(
    tmp_path: Path, status: int, exit_code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with answering(status) as port:
        environ = {"SAGEMAKER_BASE_DIR": str(tmp_path), "SAGEMAKER_BIND_TO_PORT": str(port)}
        assert main(["ping"], environ) == exit_code
    assert capsys.readouterr().out.strip() == f"http://127.0.0.1:{port}/ping: {status}"


def test_ping_with_nothing_listening_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    assert main(["ping", "--port", str(port)], {"SAGEMAKER_BASE_DIR": str(tmp_path)}) == 1
    assert "no answer" in capsys.readouterr().out
