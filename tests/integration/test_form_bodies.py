"""Form and multipart bodies against the real server: TorchServe never decodes them (its
form decoder made a Java object per field: four 6 MiB forms ran its 1 GiB heap out and
took the endpoint down); they reach input_fn as the client's bytes, with its type."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from serving.net import Reply, free_port, request
from tests.integration.conftest import MODELS
from tests.support.servers import Server, ping_ok, running

pytestmark = pytest.mark.integration

PAYLOAD_MB = 6  # the default max_payload_mb
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=XyZ"


def form_bomb() -> bytes:
    """A body just under the payload limit made of as many fields as fit."""
    return b"a=b&" * ((PAYLOAD_MB * 1024 * 1024 - 1024) // 4)


def multipart_bomb() -> bytes:
    part = b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n'
    return part * ((PAYLOAD_MB * 1024 * 1024 - 1024) // len(part)) + b"--XyZ--\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("forms")
    port = free_port()
    config = {
        "server": {"host": "127.0.0.1", "port": port, "max_payload_mb": PAYLOAD_MB},
        "models": [
            {"name": "echo", "model_dir": str(MODELS / "body_echo"), "workers": 1},
            {"name": "rowsum", "model_dir": str(MODELS / "rowsum"), "workers": 1},
        ],
    }
    path = root / "serving.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    with running(["serve", "--config", str(path)], {}, port, root / "server.log", ping_ok) as up:
        yield up


def test_a_form_or_multipart_body_reaches_input_fn_as_its_exact_bytes(server: Server) -> None:
    form = b"name=%C3%A9t%C3%A9&a=b&a=c"
    multipart = (
        b'--XyZ\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\xff\r\n--XyZ--\r\n"
    )
    for body, content_type, media in (
        (form, FORM, FORM),
        (multipart, MULTIPART, "multipart/form-data"),
    ):
        reply = server.invoke(body, content_type, path="/models/echo/invoke")
        assert reply.status == 200, reply.body
        expected = {"type": media, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        assert json.loads(reply.body) == expected


def test_a_client_cannot_set_the_type_the_front_forwards_aside(server: Server) -> None:
    reply = server.invoke(
        b"x=1", FORM, path="/models/echo/invoke", **{"X-Serving-Client-Content-Type": "text/csv"}
    )
    assert reply.status == 200 and json.loads(reply.body)["type"] == FORM


def test_concurrent_form_bombs_cost_only_their_own_requests(server: Server) -> None:
    frontend = server.frontend_pid()
    bombs = [(form_bomb(), FORM)] * 4 + [(multipart_bomb(), MULTIPART)] * 2

    def send(body: bytes, content_type: str) -> Reply:
        return request(
            server.url + "/models/rowsum/invoke", body, {"Content-Type": content_type}, timeout=60
        )

    with ThreadPoolExecutor(len(bombs) + 1) as pool:
        sent = [pool.submit(send, body, content_type) for body, content_type in bombs]
        genuine = pool.submit(send, b"[[1, 2], [3, 4]]", "application/json")
        answers = [future.result() for future in sent]
        assert genuine.result().status == 200
        assert json.loads(genuine.result().body) == [3.0, 7.0]
    # The default input_fn refuses both types, as any type it cannot decode.
    assert [answer.status for answer in answers] == [415] * len(bombs)
    assert server.process.poll() is None and server.frontend_pid() == frontend
    assert ping_ok(server)
