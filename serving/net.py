"""Loopback networking: free ports, one readiness probe, and one small HTTP client.

Used by start-up (readiness, ``serving ping``), the bench (readiness of the servers it
starts) and the tests. The probe speaks just enough HTTP/1.1 over a socket to read a
status line, so that ``serving ping`` (the images' HEALTHCHECK, every 30 s) does not
import urllib's ssl and email machinery; the client imports it when first used.
"""

from __future__ import annotations

import contextlib
import re
import socket
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

_STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3})[ \r\n]")


def free_ports(
    count: int, within: tuple[int, int] | None = None, exclude: Collection[int] = ()
) -> tuple[int, ...]:
    """``count`` distinct TCP ports free on 127.0.0.1 right now (held open together
    while they are picked, so that no two are the same): any the kernel gives, or the
    lowest free ones ``within`` an inclusive range, never one in ``exclude``. ValueError
    when the range has too few."""
    with contextlib.ExitStack() as stack:
        if within is None:
            sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
            for sock in sockets:
                sock.bind(("127.0.0.1", 0))
            return tuple(int(sock.getsockname()[1]) for sock in sockets)
        low, high = within
        picked: list[int] = []
        for port in range(low, high + 1):  # bounded by the range
            if len(picked) == count:
                break
            if port in exclude:
                continue
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                sock.close()  # at once: a crowded range must not run out of descriptors
                continue
            stack.enter_context(sock)
            picked.append(port)
        if len(picked) < count:
            raise ValueError(f"{count} free ports are needed in {low}-{high}, found {len(picked)}")
        return tuple(picked)


def can_listen(host: str, port: int) -> bool:
    """Whether a server could listen on ``host``:``port`` now: False when another
    process already listens there (a port in TIME_WAIT is fine, as for any server that
    sets SO_REUSEADDR, TorchServe's included)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(1)
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    return free_ports(1)[0]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


def request(
    url: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    method: str | None = None,
    timeout: float = 30,
) -> Reply:
    """One HTTP request; an HTTP error status is returned, not raised (a connection
    that fails raises OSError)."""
    import urllib.error
    import urllib.request

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


def http_status(url: str, timeout_s: float) -> int | None:
    """The status a GET of ``url`` (plain HTTP) answers with, or None if nothing
    answered with a status line within ``timeout_s``."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None:
        raise ValueError(f"not a plain-HTTP URL: {url!r}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + timeout_s
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout_s) as sock:
            sock.sendall(
                f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Connection: close\r\n\r\n".encode("latin-1")
            )
            received = b""
            while b"\n" not in received and len(received) < 4096:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
    except OSError:  # refused, reset, timed out
        return None
    match = _STATUS_LINE.match(received)
    return int(match.group(1)) if match else None
