"""Free ports, the readiness probe and the small client, against real loopback sockets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from serving.net import free_port, free_ports, http_status


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(6)
    assert len(set(ports)) == 6
    for port in (*ports, free_port()):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


@pytest.fixture
def raw_server() -> Iterator[Callable[[bytes | None], int]]:
    """A one-connection server that answers with the given bytes (None: says nothing)."""
    listeners: list[socket.socket] = []
    threads: list[threading.Thread] = []
    done = threading.Event()

    def start(answer: bytes | None) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)

        def serve() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                if answer is not None:
                    conn.sendall(answer)
                done.wait(5)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return int(listener.getsockname()[1])

    try:
        yield start
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=5)
        for listener in listeners:
            listener.close()


def test_the_probe_reads_the_status_line(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
    assert http_status(f"http://127.0.0.1:{port}/ping", timeout_s=5) == 503


def test_a_status_line_in_pieces_is_still_read(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(b"HTTP/1.0 200 OK\n\n")
    assert http_status(f"http://127.0.0.1:{port}/ping", timeout_s=5) == 200


def test_silence_is_no_answer_within_the_timeout(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(None)
    assert http_status(f"http://127.0.0.1:{port}/ping", timeout_s=0.3) is None


def test_garbage_is_no_answer(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(b"SSH-2.0-OpenSSH_9.2\r\n")
    assert http_status(f"http://127.0.0.1:{port}/ping", timeout_s=5) is None


def test_a_refused_connection_is_no_answer() -> None:
    assert http_status(f"http://127.0.0.1:{free_port()}/ping", timeout_s=5) is None


def test_only_plain_http_urls_are_probed() -> None:
    with pytest.raises(ValueError, match="not a plain-HTTP URL"):
        http_status("https://127.0.0.1:1/ping", timeout_s=1)


def test_free_ports_within_a_range_are_its_lowest_free_ones_never_the_excluded() -> None:
    low = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # some port, maybe in the range: then it is skipped
        busy = taken.getsockname()[1]
        picked = free_ports(3, within=(low, low + 40), exclude=(low,))
    assert len(set(picked)) == 3 and low not in picked and busy not in picked
    assert all(low < port <= low + 40 for port in picked)
    assert list(picked) == sorted(picked)


def test_a_range_too_small_says_how_many_it_found() -> None:
    port = free_port()
    with pytest.raises(ValueError, match=f"2 free ports are needed in {port}-{port}, found 1"):
        free_ports(2, within=(port, port))
