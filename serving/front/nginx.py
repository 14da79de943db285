"""The front: nginx on the public port, the engine behind it on a private listener.

nginx is what AWS's own SageMaker containers put in front of their servers: correct
HTTP/1.1 (pipelining answered in order, HTTP/1.0 closed, keep-alive kept after an
error), header and body read timeouts, whole requests buffered before the engine sees
them, a size limit, and a graceful quit that finishes what it accepted. Everything here
is pure: the config, the engine's launch and the host in, nginx.conf and the process
out. This module and its error pages (``error_pages.py``) are the only ones that know
nginx's directives.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from serving.config.schema import MAX_STARTUP_TIMEOUT_S, Config
from serving.content_types import (
    CLIENT_AUTHORIZATION_HEADER,
    CLIENT_CONTENT_TYPE_HEADER,
    ENGINE_CONTENT_TYPE,
)
from serving.engine import Child, Host, Upstream
from serving.errors import ERROR_MESSAGE_HEADER, ERROR_TYPE_HEADER
from serving.front.error_pages import (
    ENGINE_ERROR_PREFIX,
    ENGINE_ERRORS,
    engine_errors,
    error_body,
    error_locations,
    error_pages,
    nginx_string,
)

# SageMaker sends SIGKILL 30 s after SIGTERM: nginx gets this long to finish the
# requests it accepted, the engine what is left.
DRAIN_S = 18
# Longer than a typical load balancer's idle timeout (60 s), so that the front is not
# the side that closes an idle keep-alive connection under a request.
KEEPALIVE_S = 75


@dataclass(frozen=True)
class FrontPaths:
    """The front's files in the server's private runtime directory."""

    root: Path

    @property
    def conf(self) -> Path:
        return self.root / "nginx.conf"

    @property
    def temp(self) -> Path:
        # Request bodies above the in-memory buffer, and large answers, are kept here.
        return self.root / "nginx"


def _proxied(
    location: str,
    methods: str,
    read_timeout_s: int,
    *,
    upstream: str = "engine",
    invocation: bool = False,
    ready_flag: str | None = None,
    loaded_flag: str | None = None,
) -> str:
    """A route (``location``: nginx's match, e.g. ``= /ping``) to the engine, or to
    another ``upstream``.

    An ``invocation`` route intercepts the engine's 5xx answers (:func:`engine_errors`)
    and keeps its 4xx, which are the worker's (a bad body, an InferenceError). With
    ``ready_flag`` (a model's file, kept by the engine while the model has a worker that
    can serve), a missing file is a 503 at once, instead of a wait in the engine's queue:
    a stat per request, where asking the engine would cost a round trip. With
    ``loaded_flag`` (a multi-model endpoint's file per loaded model), a missing file is
    a 404: no model of that name."""
    extra = ""
    statuses = [status for status in ENGINE_ERRORS if status != 404]
    if loaded_flag is not None:
        # The 404 page: without an answer from a worker, it says the model is not loaded.
        extra += f"            if (!-f {loaded_flag}) {{ return 404; }}\n"
        statuses = [404, *statuses]
    if ready_flag is not None:
        # The engine's 503 page: without an answer from a worker, it says 503 to retry.
        extra += f"            if (!-f {ready_flag}) {{ return 503; }}\n"
    if invocation:
        # Error pages set here replace the server's: only the statuses the front or the
        # engine raise themselves, each to a page that tells the worker's own answer
        # from theirs; the worker's other answers (400, 404, 415, 422...) pass untouched.
        extra += "            proxy_intercept_errors on;\n"
        extra += "".join(
            f"            error_page {status} = {ENGINE_ERROR_PREFIX}/{status};\n"
            for status in statuses
        )
    return (
        f"        location {location} {{\n"
        f"            if ($request_method !~ ^({methods})$) {{ return 405; }}\n"
        f"{extra}"
        f"            proxy_read_timeout {read_timeout_s}s;\n"
        f"            proxy_pass http://{upstream};\n"
        "        }\n"
    )


def render_conf(
    config: Config,
    engine: Upstream,
    manager: Upstream | None,
    paths: FrontPaths,
    user: str | None,
) -> str:
    """nginx.conf for ``config``, proxying the SageMaker routes to the ``engine`` and
    dropping its private headers from its answers (a multi-model endpoint's ``/ping``
    and ``/models`` routes to its ``manager``).

    Answers are buffered whole before they go to the client (a slow client then never
    holds the engine), except those the engine marks ``X-Accel-Buffering: no``: answers
    in parts, passed on as each part arrives."""
    server = config.server
    assert (manager is not None) == server.multi_model, "a multi-model endpoint has a manager"
    client_timeout = f"{server.client_timeout_s}s"
    if manager is not None:
        routes = _multi_model_routes(config, engine.flags, manager.flags)
    else:
        routes = _model_routes(config, engine.flags)
    access_log = "access_log /dev/stdout combined;" if server.access_log else "access_log off;"
    private = (*engine.private_headers, ERROR_TYPE_HEADER, ERROR_MESSAGE_HEADER)
    hidden = "".join(f"    proxy_hide_header {name};\n" for name in private)
    # Every body reaches the engine as opaque bytes, whatever its type: TorchServe would
    # otherwise parse a form or multipart body itself, on its event loop, into a Java
    # object per field (1.5 million for a 6 MiB form: four such requests ran its heap
    # out). The client's own type goes under another name, which the worker gives back
    # to the hooks as Content-Type (and no client can set itself: this replaces it too).
    hidden += (
        f"    proxy_set_header Content-Type {ENGINE_CONTENT_TYPE};\n"
        f"    proxy_set_header {CLIENT_CONTENT_TYPE_HEADER} $content_type;\n"
    )
    if engine.authorization:
        # Replaces whatever a client sent: the engine's key is never the client's to give.
        # The client's own goes under another name, which the worker gives back to the
        # hooks as Authorization (and no client can set itself: this replaces it too).
        hidden += (
            f"    proxy_set_header Authorization {nginx_string(engine.authorization)};\n"
            f"    proxy_set_header {CLIENT_AUTHORIZATION_HEADER} $http_authorization;\n"
        )
    return f"""# Generated by serving; do not edit. See `serving config show`.
{f"user {user};" if user else ""}
daemon off;
worker_processes 1;
worker_shutdown_timeout {DRAIN_S}s;
pid {paths.root / "nginx.pid"};
error_log stderr {"info" if server.log_level == "DEBUG" else "error"};
events {{
    worker_connections 4096;
}}
http {{
    {access_log}
    server_tokens off;
    default_type application/octet-stream;
    client_body_temp_path {paths.temp / "body"};
    proxy_temp_path {paths.temp / "proxy"};
    fastcgi_temp_path {paths.temp / "fastcgi"};
    uwsgi_temp_path {paths.temp / "uwsgi"};
    scgi_temp_path {paths.temp / "scgi"};
    # A slow or stalled client is dropped, and never ties up the engine: a request
    # reaches it only once the whole body is here.
    client_header_timeout {client_timeout};
    client_body_timeout {client_timeout};
    send_timeout {client_timeout};
    keepalive_timeout {KEEPALIVE_S}s;
    keepalive_requests 100000;
    client_max_body_size {server.max_payload_mb}m;
    client_body_buffer_size 1m;
    proxy_request_buffering on;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_connect_timeout 5s;
    proxy_send_timeout {client_timeout};
    proxy_buffer_size 64k;
    proxy_buffers 16 64k;
{hidden}    tcp_nodelay on;
    upstream engine {{
        server {engine.address};
        keepalive 64;
    }}
{f"    upstream manager {{ server {manager.address}; }}{chr(10)}" if manager else ""}    server {{
        listen {listen_address(server.host, server.port)} default_server;
{error_pages("        ")}{"".join(routes)}        location / {{
            return 404;
        }}
{error_locations()}{engine_errors()}    }}
}}
"""


def _model_routes(config: Config, ready_flags: Path | None) -> list[str]:
    """The routes of the models declared in the config: each at /models/{name}/invoke,
    the only one also at /invocations (with several, TorchServe refuses it)."""
    server = config.server
    timeouts = {m.name: m.response_timeout_s or server.response_timeout_s for m in config.models}
    single = config.models[0].name if len(config.models) == 1 else None

    def flag(model: str | None) -> str | None:
        if ready_flags is None or model is None:
            return None
        return str(ready_flags / model)

    routes = [
        _proxied("= /ping", "GET|HEAD", 10),
        _proxied("= /execution-parameters", "GET|HEAD", 10),
        _proxied(
            "= /invocations",
            "POST",
            max(timeouts.values()),
            invocation=True,
            ready_flag=flag(single),
        ),
    ]
    for name, timeout in timeouts.items():
        route = f"= /models/{name}/invoke"
        routes.append(_proxied(route, "POST", timeout, invocation=True, ready_flag=flag(name)))
    return routes


# The longest a POST /models may take: the largest startup_timeout_s (which bounds a
# model's requirements and its load), and a margin.
LOAD_TIMEOUT_S = MAX_STARTUP_TIMEOUT_S + 60
# An unload waits for the engine to stop the model's workers (TorchServe: up to 120 s),
# then for their processes to exit (registry.WORKER_EXIT_TIMEOUT_S).
UNLOAD_TIMEOUT_S = 240
# A name in a route: what the manager accepts (config.LOADED_NAME), so never "..".
_MODEL = "(?<model>[A-Za-z0-9][A-Za-z0-9_.-]*)"


def _multi_model_routes(
    config: Config, ready_flags: Path | None, loaded_flags: Path | None
) -> list[str]:
    """A multi-model endpoint's routes: /ping and /models to the manager, invocations of
    a loaded model to the engine, bare /invocations a 404 that says what to call."""
    timeout = config.server.response_timeout_s
    invoke = _proxied(
        f"~ ^/models/{_MODEL}/invoke$",
        "POST",
        timeout,
        invocation=True,
        loaded_flag=f"{loaded_flags}/$model" if loaded_flags is not None else None,
        ready_flag=f"{ready_flags}/$model" if ready_flags is not None else None,
    )
    unrouted = error_body(
        404,
        "NotFound",
        "this is a multi-model endpoint: invoke a model at /models/{name}/invoke "
        "(InvokeEndpoint's TargetModel)",
    )
    return [
        _proxied("= /ping", "GET|HEAD", 10, upstream="manager"),
        _proxied("= /execution-parameters", "GET|HEAD", 10),
        "        location = /invocations {\n"
        "            default_type application/json;\n"
        f"            return 404 {nginx_string(unrouted)};\n"
        "        }\n",
        _proxied("= /models", "GET|POST", LOAD_TIMEOUT_S, upstream="manager"),
        _proxied(f"~ ^/models/{_MODEL}$", "GET|DELETE", UNLOAD_TIMEOUT_S, upstream="manager"),
        invoke,
    ]


def unix_socket(upstream: str) -> Path | None:
    """The path of an upstream on a Unix socket (``unix:/run/x.sock``), else None.

    >>> unix_socket("unix:/run/x.sock"), unix_socket("127.0.0.1:8081")
    (PosixPath('/run/x.sock'), None)
    """
    return Path(upstream.removeprefix("unix:")) if upstream.startswith("unix:") else None


def listen_address(host: str, port: int) -> str:
    """nginx's ``listen`` address: an IPv6 host in brackets, and ``::`` for both families
    (so that loopback probes on 127.0.0.1 reach it too).

    >>> listen_address("::", 8080)
    '[::]:8080 ipv6only=off'
    """
    if ":" not in host:
        return f"{host}:{port}"
    return f"[{host}]:{port}" + (" ipv6only=off" if host == "::" else "")


@dataclass(frozen=True)
class FrontPlan:
    """The front's part of the launch: nginx.conf, its temp directory, nginx."""

    files: Mapping[str, str]
    directories: tuple[str, ...]
    child: Child


def plan_front(
    config: Config,
    engine: Upstream,
    manager: Upstream | None,
    host: Host,
    nginx: str,
    root: Path,
) -> FrontPlan:
    """The front before the engine (and a multi-model endpoint's ``manager``): its config,
    its process, last to start and first to stop (drained: SIGQUIT lets nginx finish the
    requests it accepted). Pure."""
    paths = FrontPaths(root)
    front = Child(
        name="nginx",
        command=(nginx, "-p", str(root), "-c", str(paths.conf), "-e", "stderr"),
        environment=dict(host.environ),
        stop_signal=signal.SIGQUIT,
        stop_timeout_s=DRAIN_S + 2,
        # SIGTERM, not SIGKILL: nginx's master then takes its worker with it.
        death_signal=signal.SIGTERM,
        start_after=unix_socket(engine.address),
    )
    conf = render_conf(config, engine, manager, paths, host.user)
    return FrontPlan({paths.conf.name: conf}, (paths.temp.name,), front)
