"""Start a `serving` server in a subprocess on a free port, wait until it answers, stop it.

Ready means a real request succeeded, not that a port opened. Every loop is bounded,
and both process groups (serve's and the engine's) are killed in ``stop`` whatever
happened (``serving.process``); should the process that started a server die without
stopping it, the kernel asks the server to drain.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from serving import process
from serving.net import request


class Server:
    """A `serving` process with its own log file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], port: int, log: Path) -> None:
        self.port = port
        self.log_path = log
        self.url = f"http://127.0.0.1:{port}"
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SAGEMAKER_")}
        full_env.update(env)
        # SIGTERM (a drain) when this thread ends, however: a bench stopped by `timeout`
        # or killed runs no cleanup, and the server, in a session of its own, would
        # otherwise serve on. So construct a Server on a thread that outlives it.
        self.process = process.spawn(
            [sys.executable, "-m", "serving", *args],
            env=full_env,
            output=self._log,
            die_with_parent=signal.SIGTERM,
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

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, wait, then SIGKILL both process groups; returns the exit status."""
        try:
            return process.stop(self.process, timeout)
        finally:
            self._log.close()


class SampleRefused(Exception):
    """The server is up (``/ping`` 200) but answers the sample with an error: waiting
    for it longer will not help."""


def answers(server: Server, body: bytes, headers: Mapping[str, str]) -> bool:
    """Ready: a real request (the sample) answered 200. A 503 means not yet; any other
    error from a server whose ``/ping`` is 200 raises :class:`SampleRefused`."""
    reply = request(server.url + "/invocations", body, dict(headers), timeout=60)
    if reply.status == 200:
        return True
    if reply.status != 503 and request(server.url + "/ping").status == 200:
        raise SampleRefused(
            f"the server is ready but answers the sample with {reply.status}: "
            f"{reply.body[:500]!r}; see {server.log_path}"
        )
    return False
