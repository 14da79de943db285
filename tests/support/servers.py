"""A `serving` server for the tests: the bench's Server plus what only tests ask of it."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from serving import process
from serving.engines.torchserve.streaming import UnixConnection
from serving.net import Reply, free_port, request
from serving_lab.server import Server as BenchServer


class Server(BenchServer):
    """A `serving` process that tests send requests to and look inside."""

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
        """TorchServe's Java frontend: serve starts it in a process group of its own."""
        return self._child_running("org.pytorch.serve.ModelServer")

    def front_pid(self) -> int | None:
        """nginx's master process, in a process group of its own too."""
        return self._child_running("nginx")

    def engine_properties(self) -> dict[str, str]:
        """The running TorchServe's config.properties, read from serve's private runtime
        directory (which a test, as the same user, may read): the file its command line
        names."""
        pid = self.frontend_pid()
        assert pid is not None, "TorchServe is not running"
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        path = Path(command[command.index(b"-f") + 1].decode())
        lines = path.read_text().splitlines()
        return dict(
            line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")
        )

    def engine_model(self, name: str) -> dict[str, Any]:
        """TorchServe's own description of a registered model (its management API, on
        the Unix socket in serve's runtime directory, with serve's key)."""
        properties = self.engine_properties()
        socket_path = properties["management_address"].removeprefix("unix:")
        connection = UnixConnection(socket_path, timeout_s=10)
        try:
            connection.request(
                "GET",
                f"/models/{name}",
                headers={"Authorization": f"Bearer {properties['serving_token']}"},
            )
            reply = connection.getresponse()
            assert reply.status == 200, (reply.status, reply.read()[:500])
            described: list[dict[str, Any]] = json.loads(reply.read())
        finally:
            connection.close()
        return described[0]

    def _child_running(self, marker: str) -> int | None:
        for pid in process.child_pids(self.process.pid):
            with contextlib.suppress(OSError):
                if marker in Path(f"/proc/{pid}/cmdline").read_text():
                    return pid
        return None


@contextlib.contextmanager
def running(
    args: Sequence[str],
    env: Mapping[str, str],
    port: int,
    log: Path,
    ready: Callable[[Server], bool] | None = None,
    timeout: float = 120,
) -> Iterator[Server]:
    """A server for the ``with`` block, stopped (both process groups) however it ends."""
    server = Server(args, env, port, log)
    try:
        if ready is not None:
            server.wait_until(lambda: ready(server), timeout)
        yield server
    finally:
        server.stop()


def ping_ok(server: Server) -> bool:
    """Ready: ``/ping`` answers 200."""
    return request(server.url + "/ping").status == 200


@contextlib.contextmanager
def serving_one(
    root: Path,
    name: str,
    model_dir: Path,
    *,
    server: Mapping[str, Any] | None = None,
    model: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """``serve`` of one model, from a YAML written under ``root``, on a free loopback
    port; ready once ``/ping`` is 200, stopped however the block ends."""
    port = free_port()
    config = {
        "server": {"host": "127.0.0.1", "port": port, **(server or {})},
        "models": [{"name": name, "model_dir": str(model_dir), **(model or {})}],
    }
    path = root / "serving.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    args = ["serve", "--config", str(path)]
    with running(args, env or {}, port, root / "server.log", ready=ping_ok) as started:
        yield started


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
