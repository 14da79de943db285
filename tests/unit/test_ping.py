"""`serving ping`, the images' HEALTHCHECK: the port found as `serve` finds it, cheaply."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from serving import cli
from serving.config.sources import Flags
from serving.errors import ConfigError
from serving.ping import ping_url


def write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document))
    return path


def test_default_port_on_every_interface_is_reached_on_loopback(tmp_path: Path) -> None:
    assert ping_url(Flags(), {"SAGEMAKER_BASE_DIR": str(tmp_path)}) == (
        "http://127.0.0.1:8080/ping"
    )


def test_port_precedence_is_serves_yaml_then_environment_then_flag(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", {"server": {"port": 9001, "host": "127.0.0.3"}})
    environ = {"SAGEMAKER_BASE_DIR": str(tmp_path)}
    assert ping_url(Flags(config=path), environ) == "http://127.0.0.3:9001/ping"
    environ["SAGEMAKER_BIND_TO_PORT"] = "9002"
    assert ping_url(Flags(config=path), environ) == "http://127.0.0.3:9002/ping"
    assert ping_url(Flags(config=path, port=9003), environ) == "http://127.0.0.3:9003/ping"


def test_the_bundled_yaml_and_serving_config_are_read_as_serve_reads_them(
    tmp_path: Path,
) -> None:
    write(tmp_path / "model" / "code" / "serving.yaml", {"server": {"port": 9100}})
    environ = {"SAGEMAKER_BASE_DIR": str(tmp_path)}
    assert ping_url(Flags(), environ) == "http://127.0.0.1:9100/ping"
    chosen = write(tmp_path / "chosen.yaml", {"server": {"port": 9200}})
    environ["SERVING_CONFIG"] = str(chosen)
    assert ping_url(Flags(), environ) == "http://127.0.0.1:9200/ping"


def test_a_port_that_is_not_a_number_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", {"server": {"port": "eighty"}})
    with pytest.raises(ConfigError, match="server.port must be a port number"):
        ping_url(Flags(config=path), {})


class _Ping(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/ping" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[http.server.HTTPServer]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Ping)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_ping_exits_0_on_200_and_1_otherwise(
    server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    port = str(server.server_address[1])
    assert cli.main(["ping", "--port", port], environ={}) == 0
    assert capsys.readouterr().out == f"http://127.0.0.1:{port}/ping: 200\n"
    _Ping.status = 503
    try:
        assert cli.main(["ping", "--port", port], environ={}) == 1
    finally:
        _Ping.status = 200


def test_ping_loads_no_config_validation_numpy_torch_or_worker_code() -> None:
    # The HEALTHCHECK runs every 30 s: it must not pay for pydantic, numpy or torch.
    probe = (
        "import json, sys\n"
        "from serving.cli import main\n"
        "main(['ping', '--port', '1'], environ={})\n"
        "heavy = {'pydantic', 'numpy', 'torch', 'ts'}\n"
        "sides = ('serving.worker', 'serving.engines')\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m.split('.')[0] in heavy or m.startswith(sides))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == []
