"""Running one container of an image under test: published on 127.0.0.1 only, ready when a
real request succeeds, removed in ``finally``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from serving.net import Reply, free_port, request
from tests.images.engine import Engine


@dataclass
class Container:
    engine: Engine
    id: str
    ports: dict[int, int]  # container port -> host port on 127.0.0.1

    def url(self, path: str, container_port: int = 8080) -> str:
        return f"http://127.0.0.1:{self.ports[container_port]}{path}"

    def request(
        self, path: str, body: bytes | None = None, content_type: str = "", port: int = 8080
    ) -> Reply | None:
        """One HTTP request; None if nothing answered (refused, reset, timed out)."""
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            return request(self.url(path, port), body, headers)
        except OSError:  # URLError and socket timeouts included
            return None

    def inspect(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.engine.run(["inspect", self.id]).stdout)[0]

    def logs(self) -> str:
        result = self.engine.run(["logs", self.id], check=False)
        return result.stdout + result.stderr

    def wait_for(self, ready: object, timeout_s: float, what: str) -> None:
        """Poll ``ready()`` (bounded); fail with the container's logs if it never holds."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                return
            if not self.inspect()["State"]["Running"]:
                break
            time.sleep(1)
        raise AssertionError(
            f"{what} within {timeout_s:.0f} s; container logs:\n{self.logs()[-6000:]}"
        )


@contextmanager
def container(
    engine: Engine,
    image: str,
    args: Sequence[str] = ("serve",),
    *,
    ports: Sequence[int] = (8080,),
    model_dir: Path | None = None,
    options: Sequence[str] = (),
) -> Iterator[Container]:
    """``docker run -d IMAGE ARGS`` with ``model_dir`` at /opt/ml/model (read-only, as
    SageMaker mounts it); the container is removed however the test ends."""
    published = {port: free_port() for port in ports}
    command = ["run", "-d"]
    for inside, outside in published.items():
        command += ["-p", f"127.0.0.1:{outside}:{inside}"]
    if model_dir is not None:
        command += ["-v", f"{model_dir}:/opt/ml/model:ro"]
    container_id = engine.run([*command, *options, image, *args]).stdout.strip()
    try:
        yield Container(engine, container_id, published)
    finally:
        engine.run(["rm", "-f", container_id], check=False)
