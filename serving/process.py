"""The only place that starts and stops processes: pip, and TorchServe's Java frontend.

``serve`` may run as PID 1 in a container: it forwards SIGTERM and SIGINT to the
frontend, exits when the frontend exits (non-zero if it died on its own), and kills
whatever the frontend left behind in its process group.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from serving.errors import ConfigError

log = logging.getLogger("serving")

STOP_GRACE_S = 8.0  # SageMaker sends SIGKILL 30 s after SIGTERM; stay well inside it.

_REQUIREMENT_PATTERNS = (
    re.compile(r"No matching distribution found for ([^\s]+)"),
    re.compile(r"Could not find a version that satisfies the requirement ([^\s]+)"),
    re.compile(r"Invalid requirement: '([^']+)'"),
    re.compile(r"Failed to build ([^\s]+)"),
    re.compile(r"Cannot install ([^\s]+)"),
)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def failed_requirement(pip_output: str) -> str | None:
    """The requirement pip names as the one that failed, if it names one."""
    for pattern in _REQUIREMENT_PATTERNS:
        match = pattern.search(pip_output)
        if match:
            return match.group(1).rstrip(".,)")
    return None


def install_requirements(requirements: Path, python: str = sys.executable) -> None:
    """``pip install -r code/requirements.txt`` into the serving environment."""
    log.info("installing %s", requirements)
    started = time.perf_counter()
    result = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--no-input",
            "--disable-pip-version-check",
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = result.stdout + result.stderr
        culprit = failed_requirement(output)
        tail = "\n".join(output.strip().splitlines()[-8:])
        what = f"requirement {culprit!r} failed" if culprit else "pip failed"
        raise ConfigError(
            f"installing {requirements}: {what} (pip exit {result.returncode}). Fix the file, or "
            "set server.install_requirements: false (SERVING_INSTALL_REQUIREMENTS=false) for an "
            f"image whose dependencies are preinstalled.\n{tail}"
        )
    log.info("installed %s in %.1f s", requirements, time.perf_counter() - started)


def find_java(environ: Mapping[str, str]) -> str:
    java_home = environ.get("JAVA_HOME")
    candidate = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not candidate or not os.access(candidate, os.X_OK):
        raise ConfigError(
            "TorchServe needs Java 17: install openjdk-17-jre-headless or set JAVA_HOME"
        )
    return candidate


class Supervisor:
    """Runs the frontend, forwards stop signals, reports readiness, and cleans up."""

    def __init__(self, command: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        self.command = list(command)
        self.env = dict(env)
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self._stop_requested_at: float | None = None

    def _on_signal(self, signum: int, _frame: object) -> None:
        log.info("received %s: stopping TorchServe", signal.Signals(signum).name)
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def run(self, ping_url: str | None = None, ready_timeout_s: float = 0) -> int:
        """Start, wait, and return the exit status ``serve`` should exit with."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        # A session of its own: the workers join the frontend's process group, which we
        # can kill as a whole, and a terminal's Ctrl-C reaches only us (we forward it).
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, start_new_session=True
        )
        if ping_url:
            threading.Thread(
                target=self._report_ready, args=(ping_url, ready_timeout_s), daemon=True
            ).start()
        code = self._wait()
        self._kill_group()
        if self.stopping.is_set():
            return 0
        log.error("TorchServe exited on its own with status %s", code)
        return code if code > 0 else 1

    def _wait(self) -> int:
        assert self.process is not None
        while True:
            try:
                code = self.process.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if self.stopping.is_set() and self._stop_overdue():
                    self.process.kill()
        _reap_orphans()
        return code

    def _stop_overdue(self) -> bool:
        now = time.monotonic()
        if self._stop_requested_at is None:
            self._stop_requested_at = now
        return now - self._stop_requested_at > STOP_GRACE_S

    def _kill_group(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        _reap_orphans()

    def _report_ready(self, url: str, timeout_s: float) -> None:
        started = time.monotonic()
        deadline = started + timeout_s
        while time.monotonic() < deadline and not self.stopping.is_set():
            if self.process is not None and self.process.poll() is not None:
                return
            if http_status(url, timeout_s=2) == 200:
                log.info("ready: %s answered 200 after %.1f s", url, time.monotonic() - started)
                return
            time.sleep(0.5)
        if not self.stopping.is_set():
            log.warning("not ready after %.0f s; /ping still answers 503", timeout_s)


def http_status(url: str, timeout_s: float) -> int | None:
    """The HTTP status of a GET of ``url``, or None if nothing answered in time."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return None


def _reap_orphans() -> None:
    """As PID 1 we inherit orphaned grandchildren; collect any that have exited."""
    if os.getpid() != 1:
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
