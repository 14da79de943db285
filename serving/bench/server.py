"""Start a `serving` server in a subprocess on a free port, wait until it answers, stop it.

Shared by the benchmark and the integration tests. Ready means a real request
succeeded, not that a port opened. Every loop is bounded, and both process groups
(serve's and TorchServe's) are killed in ``stop`` whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def request(
    url: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    method: str | None = None,
    timeout: float = 30,
) -> Reply:
    """One HTTP request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


class Server:
    """A `serving` process with its own log file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], port: int, log: Path) -> None:
        self.port = port
        self.log_path = log
        self.url = f"http://127.0.0.1:{port}"
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")}
        full_env.update(env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "serving", *args],
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until(self, probe: Callable[[], bool], timeout: float = 120) -> None:
        """Poll ``probe`` until it returns True; fail with the log if the deadline passes
        or the server exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                status = self.process.returncode
                raise AssertionError(
                    f"server exited with {status} before ready:\n{self.log[-4000:]}"
                )
            with contextlib.suppress(OSError):
                if probe():
                    return
            time.sleep(0.25)
        raise AssertionError(f"server not ready after {timeout} s:\n{self.log[-4000:]}")

    def invoke(
        self,
        body: bytes,
        content_type: str,
        accept: str | None = None,
        path: str = "/invocations",
        **headers: str,
    ) -> Reply:
        sent = {"Content-Type": content_type, **headers}
        if accept is not None:
            sent["Accept"] = accept
        return request(self.url + path, body, sent)

    def frontend_pid(self) -> int | None:
        """TorchServe's Java process: serve starts it in a process group of its own."""
        children = child_pids(self.process.pid)
        return children[0] if children else None

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, wait, then SIGKILL both process groups; returns the exit status."""
        groups = [self.process.pid, *child_pids(self.process.pid)]
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=timeout)
            return self.process.poll()
        finally:
            for group in groups:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            self._log.close()


@contextlib.contextmanager
def running(
    args: Sequence[str],
    env: Mapping[str, str],
    port: int,
    log: Path,
    ready: Callable[[Server], bool] | None = None,
    timeout: float = 120,
) -> Iterator[Server]:
    server = Server(args, env, port, log)
    try:
        if ready is not None:
            server.wait_until(lambda: ready(server), timeout)
        yield server
    finally:
        server.stop()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid``, read from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The command name may contain spaces; fields after the last ')' are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return sorted(children)
