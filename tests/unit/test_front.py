"""The front's nginx.conf and process, by value (nginx itself: tests/integration)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from serving.config.schema import Config
from serving.engine import Upstream
from serving.errors import ConfigError
from serving.front import find_nginx
from serving.front.error_pages import error_body
from serving.front.nginx import DRAIN_S, FrontPaths, render_conf
from tests.support.plans import NGINX, ROOT, nginx_listen, plan, served

UPSTREAM = "unix:/run/serving-1/inference.sock"
READY = ROOT / "ready"
ENGINE = Upstream(UPSTREAM, flags=READY)


def config_of(document: dict[str, Any]) -> Config:
    return Config.model_validate({"models": [{"model_dir": "/m"}], **document})


def conf(document: dict[str, Any], user: str | None = None) -> str:
    return render_conf(config_of(document), ENGINE, None, FrontPaths(ROOT), user)


def locations(text: str) -> dict[str, str]:
    """Each `location` block's body, by its match ("= /ping", "@timeout", ...)."""
    return dict(re.findall(r"location ([^{]+?) \{\n(.*?)\n        \}", text, re.S))


def test_the_front_listens_on_the_public_port_and_proxies_to_the_engine() -> None:
    text = conf({"server": {"host": "127.0.0.1", "port": 9001}})
    assert "listen 127.0.0.1:9001 default_server;" in text
    assert f"server {UPSTREAM};" in text
    assert "daemon off;" in text  # serve supervises it: it must stay in the foreground
    assert f"pid {ROOT}/nginx.pid;" in text


def test_only_the_sagemaker_routes_reach_the_engine() -> None:
    text = conf({"models": [{"name": "a", "model_dir": "/a"}, {"name": "b", "model_dir": "/b"}]})
    proxied = {
        match
        for match, body in locations(text).items()
        if "proxy_pass" in body and "internal;" not in body
    }
    errors = [body for match, body in locations(text).items() if "_serving_errors" in match]
    assert errors and all("internal;" in body for body in errors)
    assert proxied == {
        "= /ping",
        "= /execution-parameters",
        "= /invocations",
        "= /models/a/invoke",
        "= /models/b/invoke",
    }
    assert "return 404;" in locations(text)["/"]


@pytest.mark.parametrize(
    ("route", "methods"),
    [("= /ping", "GET|HEAD"), ("= /invocations", "POST"), ("= /models/model/invoke", "POST")],
)
def test_other_methods_are_405(route: str, methods: str) -> None:
    body = locations(conf({}))[route]
    assert f"if ($request_method !~ ^({methods})$) {{ return 405; }}" in body


def test_invocations_check_first_whether_their_model_has_a_worker() -> None:
    routes = locations(conf({"models": [{"name": "a", "model_dir": "/a"}]}))
    for route in ("= /invocations", "= /models/a/invoke"):
        # The engine keeps the file while the model can serve: a stat, not a round trip.
        assert f"if (!-f {READY}/a) {{ return 503; }}" in routes[route]
        # That 503 lands on the engine's page, which says 503 with Retry-After for it.
        assert "error_page 503 = /_serving_errors/engine/503;" in routes[route]
        assert "error_page 413 = /_serving_errors/engine/413;" in routes[route]
    assert "-f" not in routes["= /ping"]
    several = conf({"models": [{"name": "a", "model_dir": "/a"}, {"name": "b", "model_dir": "/b"}]})
    assert "-f" not in locations(several)["= /invocations"]  # no single model
    assert f"if (!-f {READY}/b)" in locations(several)["= /models/b/invoke"]
    # An engine that keeps no files: no check.
    bare = render_conf(config_of({}), Upstream(UPSTREAM), None, FrontPaths(ROOT), None)
    assert "-f" not in bare


def test_each_model_route_times_out_at_its_own_response_timeout() -> None:
    text = conf(
        {
            "server": {"response_timeout_s": 60},
            "models": [
                {"name": "a", "model_dir": "/a", "response_timeout_s": 5},
                {"name": "b", "model_dir": "/b"},
            ],
        }
    )
    routes = locations(text)
    assert "proxy_read_timeout 5s;" in routes["= /models/a/invoke"]
    assert "proxy_read_timeout 60s;" in routes["= /models/b/invoke"]
    assert "proxy_read_timeout 60s;" in routes["= /invocations"]


def test_limits_and_client_timeouts_follow_the_config() -> None:
    text = conf({"server": {"max_payload_mb": 20, "client_timeout_s": 7}})
    assert "client_max_body_size 20m;" in text
    for directive in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert f"{directive} 7s;" in text
    assert "proxy_request_buffering on;" in text  # slow uploads never reach the engine


def test_errors_the_front_raises_are_json_like_the_workers() -> None:
    routes = locations(conf({}))
    for status in (400, 404, 413, 504):
        body = routes[f"= /_serving_errors/{status}"]
        assert "internal;" in body  # not reachable from outside
        assert "default_type application/json;" in body
        returned = re.search(r"return (\d+) '(.*)';", body)
        assert returned is not None and int(returned.group(1)) == status
        assert json.loads(returned.group(2).replace("\\'", "'"))["code"] == status
    assert "add_header Retry-After 5 always;" in routes["= /_serving_errors/503"]
    # The engine not there (starting, restarting) is a 503 to retry, not a 502.
    assert "error_page 502 =503 /_serving_errors/503;" in conf({})


def test_error_body_is_the_projects_shape() -> None:
    assert json.loads(error_body(404, "NotFound", "no")) == {
        "code": 404,
        "type": "NotFound",
        "message": "no",
    }


def test_access_log_only_when_asked_for() -> None:
    assert "access_log off;" in conf({})
    assert "access_log /dev/stdout combined;" in conf({"server": {"access_log": True}})


def test_workers_run_as_serves_user_when_it_is_root() -> None:
    assert conf({}, user="root").splitlines()[1] == "user root;"
    assert "user " not in conf({})


def test_the_front_starts_after_the_engine_and_drains_first() -> None:
    launch = served(config_of({}))
    engine, front = launch.children
    assert engine.name == "TorchServe" and front.name == "nginx"
    assert front.command == (NGINX, "-p", str(ROOT), "-c", f"{ROOT}/nginx.conf", "-e", "stderr")
    assert front.stop_signal == signal.SIGQUIT  # graceful: finish what was accepted
    assert front.stop_timeout_s == DRAIN_S + 2
    assert front.stop_timeout_s + engine.stop_timeout_s < 30  # SageMaker's SIGKILL
    assert front.death_signal == signal.SIGTERM  # its master then stops its worker
    assert "nginx.conf" in launch.files and "nginx" in launch.directories
    assert set(plan(config_of({})).files) < set(launch.files)
    assert nginx_listen(launch) == "0.0.0.0:8080"


MANAGER = "unix:/run/serving-1/models.sock"
LOADED = ROOT / "loaded"
MANAGED = Upstream(MANAGER, flags=LOADED)


def multi_model_conf() -> str:
    config = Config.model_validate({"server": {"multi_model": True}})
    return render_conf(config, ENGINE, MANAGED, FrontPaths(ROOT), None)


def test_a_multi_model_endpoint_sends_ping_and_models_to_its_manager() -> None:
    text = multi_model_conf()
    assert f"upstream manager {{ server {MANAGER}; }}" in text
    blocks = locations(text)
    for route, methods in (
        ("= /ping", "GET|HEAD"),
        ("= /models", "GET|POST"),
        ("~ ^/models/(?<model>[A-Za-z0-9][A-Za-z0-9_.-]*)$", "GET|DELETE"),
    ):
        assert f"if ($request_method !~ ^({methods})$) {{ return 405; }}" in blocks[route]
        assert "proxy_pass http://manager;" in blocks[route]
    assert "proxy_pass http://engine;" in blocks["= /execution-parameters"]
    # A load may take as long as the longest startup_timeout_s allowed.
    assert "proxy_read_timeout 7260s;" in blocks["= /models"]
    bare = blocks["= /invocations"]
    assert "return 404" in bare and "/models/{name}/invoke" in bare


def test_a_multi_model_invocation_is_a_404_unless_loaded_and_a_503_unless_ready() -> None:
    invoke = locations(multi_model_conf())[
        "~ ^/models/(?<model>[A-Za-z0-9][A-Za-z0-9_.-]*)/invoke$"
    ]
    checks = [line.strip() for line in invoke.splitlines() if line.strip().startswith("if (!")]
    assert checks == [
        f"if (!-f {LOADED}/$model) {{ return 404; }}",
        f"if (!-f {READY}/$model) {{ return 503; }}",
    ]
    assert "proxy_pass http://engine;" in invoke
    # Its own 404 page tells a worker's 404 (passed unchanged) from "not loaded".
    assert "error_page 404 = /_serving_errors/engine/404;" in invoke
    page = locations(multi_model_conf())["= /_serving_errors/engine/404"]
    assert "ModelNotLoaded" in page and "$upstream_http_x_serving_error" in page


def test_one_model_per_route_has_no_model_not_loaded_page() -> None:
    invoke = locations(conf({}))["= /models/model/invoke"]
    assert "error_page 404" not in invoke and "manager" not in conf({})


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
@pytest.mark.parametrize("multi_model", [False, True])
def test_nginx_accepts_the_rendered_config(tmp_path: Path, multi_model: bool) -> None:
    paths = FrontPaths(tmp_path)
    (tmp_path / "nginx").mkdir()
    if multi_model:
        config = Config.model_validate({"server": {"port": 1, "multi_model": True}})
        text = render_conf(config, ENGINE, MANAGED, paths, None)
    else:
        text = render_conf(
            config_of({"server": {"port": 1}}), Upstream(UPSTREAM), None, paths, None
        )
    paths.conf.write_text(text)
    done = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(paths.conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_finding_nginx(tmp_path: Path) -> None:
    stand_in = tmp_path / "nginx"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    assert find_nginx({"SERVING_NGINX": str(stand_in)}) == str(stand_in)
    assert find_nginx({"PATH": str(tmp_path)}) == str(stand_in)
    with pytest.raises(ConfigError, match="apt-get install nginx-light"):
        find_nginx({"SERVING_NGINX": str(tmp_path / "missing")})


@pytest.mark.parametrize(
    ("host", "listen", "ping"),
    [
        ("0.0.0.0", "0.0.0.0:8080", "http://127.0.0.1:8080/ping"),
        ("127.0.0.1", "127.0.0.1:8080", "http://127.0.0.1:8080/ping"),
        ("::", "[::]:8080 ipv6only=off", "http://127.0.0.1:8080/ping"),
        ("::1", "[::1]:8080", "http://[::1]:8080/ping"),
    ],
)
def test_ipv6_hosts_are_bracketed_and_all_interfaces_means_both_families(
    host: str, listen: str, ping: str
) -> None:
    assert f"listen {listen} default_server;" in conf({"server": {"host": host}})
    assert served(config_of({"server": {"host": host}})).ready_url == ping


def test_invocations_intercept_the_engines_5xx_but_pass_the_workers_4xx() -> None:
    routes = locations(conf({}))
    for route in ("= /invocations", "= /models/model/invoke"):
        body = routes[route]
        assert "proxy_intercept_errors on;" in body
        pages = dict(re.findall(r"error_page (\d+) (.*);", body))
        assert {"500", "503", "507"} <= set(pages)
        # A worker's 400, 404, 406, 408, 415 and 422 carry its own message: never replaced
        # (nginx answers an intercepted 408 by closing the connection).
        assert not {"400", "404", "406", "408", "415", "422"} & set(pages)
    assert "proxy_intercept_errors" not in routes["= /ping"]  # the plugin's 503 is the body


@pytest.mark.parametrize(
    ("status", "engine_status"),
    [(405, 405), (413, 413), (500, 503), (502, 503), (503, 503), (504, 504), (507, 507)],
)
def test_an_intercepted_error_is_the_fronts_json_unless_it_was_the_workers_own(
    status: int, engine_status: int
) -> None:
    body = locations(conf({}))[f"= /_serving_errors/engine/{status}"]
    assert "internal;" in body and "default_type application/json;" in body
    engine, worker = re.findall(r"return (\d+) '(.*)';", body)
    # Without the worker's marker header the answer was the engine's own: ours instead.
    assert 'if ($upstream_http_x_serving_error = "")' in body
    assert int(engine[0]) == engine_status and json.loads(engine[1])["code"] == engine_status
    assert ("Retry-After" in body) is (engine_status == 503)
    # With it, the worker's answer again, from the headers it sent for the purpose.
    assert int(worker[0]) == status
    assert worker[1] == (
        f'{{"code": {status}, "type": "$upstream_http_x_serving_error", '
        '"message": "$upstream_http_x_serving_message"}'
    )


def test_the_marker_headers_never_reach_the_client() -> None:
    text = conf({})
    assert "proxy_hide_header X-Serving-Error;" in text
    assert "proxy_hide_header X-Serving-Message;" in text


@pytest.mark.parametrize("multi_model", [False, True])
def test_every_body_reaches_the_engine_as_opaque_bytes_with_the_clients_type_aside(
    multi_model: bool,
) -> None:
    # TorchServe decodes form and multipart bodies itself (into a Java object per field):
    # no route may pass it the client's Content-Type.
    if multi_model:
        text = render_conf(
            Config.model_validate({"server": {"multi_model": True}}),
            Upstream(UPSTREAM),
            Upstream("unix:/run/serving-1/manager.sock"),
            FrontPaths(ROOT),
            None,
        )
    else:
        text = conf({})
    http_level = text.split("    server {", 1)[0]
    assert "    proxy_set_header Content-Type application/octet-stream;\n" in http_level
    assert "    proxy_set_header X-Serving-Client-Content-Type $content_type;\n" in http_level
    # A proxy_set_header in a location would drop every one inherited from http level.
    assert all("proxy_set_header" not in body for body in locations(text).values())
