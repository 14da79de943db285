"""Answers in parts through TorchServe 0.12: chunked HTTP from its streaming protocol.

TorchServe streams a request's answer when the worker sends several messages for it
before ``handle`` returns: each message carries a part, and the response header
``ts_stream_next`` says whether more follow ("true") or this is the last ("false").
The frontend sends the status and headers with the first part, then each part as one
HTTP chunk. Rules of its batch aggregator (``BatchAggregator.sendResponse``) shape
what is sent:

* the message that ``handle`` returns goes to every request of the batch, and must be
  the one that ends the batch: every message before it must keep at least one stream
  going ("true");
* per-request statuses are ignored once a stream has begun, and there is no way to say
  "this stream failed": the worker asks the frontend to close that client's connection
  (:class:`PluginChannels`, the plugin's ``StreamEndpoint``), so the client sees a cut
  stream instead of a short success.

* and from what TorchServe does when a batch fails half-way (its worker dies, or
``handle`` raises): it writes an error to *every* request of the batch, those already
answered included, whose connections nginx may by then be using for other requests.

So no request of a batch is finished before the batch is: a batch's streams advance
together, one part each per message, and every request ends in the message ``handle``
returns (whole answers in full, streams with their last chunk). A whole answer that
shares a batch with a stream waits for it; a model that streams is best served with
``batch_size: 1`` (its default: see serving.config.batching). Between parts the worker
asks whether the client is still there (a gone client stops its generator) and still
reading (a full buffer makes the worker wait, so a slow client never grows the server's
memory without bound).
"""

from __future__ import annotations

import http.client
import logging
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from serving.engines.torchserve import SOCKET_ENV, TOKEN_ENV
from serving.worker.service import Response
from serving.worker.streams import PartStream, StreamFailed

log = logging.getLogger("serving.streaming")

#: TorchServe's per-part flag (a response header it sends to the client as well, so the
#: front drops it).
STREAM_NEXT = "ts_stream_next"

# What the plugin says about a client connection.
OPEN, FULL, CLOSED, UNKNOWN = "open", "full", "closed", "unknown"


class Channels(Protocol):
    """The client connections of streamed answers, by request id."""

    def state(self, request_id: str) -> str:
        """OPEN, FULL, CLOSED or UNKNOWN."""
        ...

    def abort(self, request_id: str) -> None:
        """Cut the connection: the client sees a stream without its end."""
        ...


#: One message: request index -> (body, more). ``more`` is True when more parts follow,
#: False for a stream's end, None for a whole (unstreamed) answer.
Message = dict[int, tuple[bytes, bool | None]]


@dataclass(frozen=True)
class Pacing:
    """How often a stream looks at its client, and how long it waits for a slow one."""

    check_every_s: float = 0.05
    check_every_bytes: int = 256 * 1024
    wait_step_s: float = 0.02
    # Bounded below the engine's response timeout: the frontend gives the worker up for
    # dead when no message comes for that long.
    max_wait_s: float = 30.0

    @classmethod
    def for_timeout(cls, response_timeout_s: float) -> Pacing:
        return cls(max_wait_s=max(0.5, response_timeout_s / 2))


class _Watch:
    """When one stream next asks about its client, and what to do then."""

    def __init__(self, stream: PartStream, pacing: Pacing, clock: Callable[[], float]) -> None:
        self.stream = stream
        self.pacing = pacing
        self.clock = clock
        self.checked_at = clock()
        self.unchecked_bytes = 0

    def sent(self, size: int) -> None:
        self.unchecked_bytes += size

    def due(self) -> bool:
        return (
            self.unchecked_bytes >= self.pacing.check_every_bytes
            or self.clock() - self.checked_at >= self.pacing.check_every_s
        )

    def client_state(
        self, channels: Channels, sleep: Callable[[float], None], deadline: float
    ) -> str:
        """OPEN (or UNKNOWN) to go on, CLOSED when the client left, or did not drain by
        ``deadline`` (then its stream is cut)."""
        started = self.clock()
        state = channels.state(self.stream.request_id)
        while state == FULL:
            if self.clock() >= deadline:
                log.warning(
                    "request %s: the client read nothing for %.1f s; the stream is cut",
                    self.stream.label,
                    self.clock() - started,
                )
                channels.abort(self.stream.request_id)
                return CLOSED
            sleep(self.pacing.wait_step_s)
            state = channels.state(self.stream.request_id)
        self.checked_at, self.unchecked_bytes = self.clock(), 0
        return state


def stream_batch(
    responses: Sequence[Response],
    send: Callable[[Message], None],
    channels: Channels,
    pacing: Pacing,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Message:
    """Send every message of a batch that holds streams but the last, and return the last.

    ``send`` writes one message to the frontend. Every stream is closed (its generator's
    ``finally`` run) by the time this returns, however it ended.
    """
    streams = {i: r.stream for i, r in enumerate(responses) if r.stream is not None}
    # Every request but the streams' parts waits for the last message (see above).
    last: Message = {i: (r.body, None) for i, r in enumerate(responses) if r.stream is None}
    message: Message = {i: (responses[i].body, True) for i in streams}
    watches = {i: _Watch(stream, pacing, clock) for i, stream in streams.items()}
    try:
        while message:  # each message carries a part of every stream still going
            send(message)
            message = {}
            # The engine waits max_wait_s * 2 for the next message at most: the waits for
            # slow clients of one round share one budget, not one each.
            deadline = clock() + pacing.max_wait_s
            for index, watch in list(watches.items()):
                part, more = _advance(watch, channels, sleep, deadline)
                if more:
                    message[index] = (part, True)
                else:
                    last[index] = (b"", False)
                    del watches[index]
        return last
    finally:
        for stream in streams.values():
            stream.close()


def _advance(
    watch: _Watch, channels: Channels, sleep: Callable[[float], None], deadline: float
) -> tuple[bytes, bool]:
    """The next entry of one stream: (part, True), or (b"", False) once it has ended."""
    stream = watch.stream
    if watch.due() and watch.client_state(channels, sleep, deadline) == CLOSED:
        log.info("request %s: the client went away; the generator is stopped", stream.label)
        stream.close()
        return b"", False
    try:
        part = stream.next_part()
    except StreamFailed:
        channels.abort(stream.request_id)  # already logged, at ERROR, with the request id
        return b"", False
    if part is None:
        return b"", False
    watch.sent(len(part))
    return part, True


def message_bytes(context: Any, message: Message) -> bytes:
    """One message in TorchServe's wire format, built by TorchServe's own encoder; the
    per-request ``ts_stream_next`` flags come from its ``stopping_criteria`` hook."""
    from ts.protocol.otf_message_handler import create_predict_response

    def criterion(more: bool | None) -> Callable[[Any], bool | None]:
        # True: this is the request's last part; False: more follow; None: not a stream.
        return lambda _part: None if more is None else not more

    ids = {i: context.request_ids[i] for i in message}
    bodies = {i: body for i, (body, _) in message.items()}
    context.stopping_criteria = {i: criterion(more) for i, (_, more) in message.items()}
    try:
        encoded: bytes = create_predict_response(bodies, ids, "Prediction success", 200, context)
    finally:
        context.stopping_criteria = None  # the context outlives this batch
    return encoded


class PluginChannels:
    """:class:`Channels` answered by the plugin's ``/serving-stream`` endpoint on the
    inference Unix socket, over one kept-alive connection. When the plugin cannot be
    reached, every client is UNKNOWN: streams go on without those checks."""

    def __init__(self, socket_path: str, token: str = "", timeout_s: float = 2.0) -> None:
        self.socket_path = socket_path
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout_s = timeout_s
        self._connection: UnixConnection | None = None

    def state(self, request_id: str) -> str:
        return self._call("GET", request_id)

    def abort(self, request_id: str) -> None:
        self._call("DELETE", request_id)

    def _call(self, method: str, request_id: str) -> str:
        for attempt in range(2):  # a kept-alive connection the frontend closed: once more
            try:
                if self._connection is None:
                    self._connection = UnixConnection(self.socket_path, self.timeout_s)
                path = f"/serving-stream/{request_id}"
                self._connection.request(method, path, headers=self.headers)
                reply = self._connection.getresponse()
                state = reply.read().decode("ascii", "replace").strip()
                if reply.status == 200 and state in (OPEN, FULL, CLOSED, UNKNOWN):
                    return state
                return UNKNOWN
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    log.debug("the stream endpoint did not answer", exc_info=True)
        return UNKNOWN

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class UnixConnection(http.client.HTTPConnection):
    """http.client's connection to a Unix socket (the engine's private listeners)."""

    def __init__(self, path: str, timeout_s: float) -> None:
        super().__init__("localhost", timeout=timeout_s)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.path)
        self.sock = sock


def channels_from(environ: Mapping[str, str]) -> Channels:
    """The plugin's channels when the launch named the socket, else none to ask."""
    path = environ.get(SOCKET_ENV)
    return PluginChannels(path, environ.get(TOKEN_ENV, "")) if path else _NoChannels()


class _NoChannels:
    def state(self, request_id: str) -> str:
        return UNKNOWN

    def abort(self, request_id: str) -> None:
        log.warning("request %s: cannot cut the stream (no engine socket)", request_id)
