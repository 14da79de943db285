"""Answers sent in parts: what a hook's generator yields, encoded part by part.

A ``predict_fn``, ``output_fn`` or ``transform_fn`` that returns an iterator (a
generator, typically) answers in parts: each item it yields is one part of the
response, sent as soon as it exists. This module is engine-agnostic: it turns items into
bytes, says when the answer is complete, logs a failure once, and closes the user's
generator (so that its ``finally`` blocks run) however the stream ends. The engine
decides how parts travel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from serving.errors import USER_CODE_FAILURES, ResponseTooLarge, ServingError

log = logging.getLogger(__name__)


class StreamFailed(ServingError):
    """The user's generator raised after the first part was sent: the answer cannot be
    completed, and the client must see a broken stream, never a short success."""

    status_code = 500


def is_stream(value: Any) -> bool:
    """Whether a hook's answer is to be sent in parts: an iterator that is not text or
    bytes (a generator, ``iter(list)``, ``map(...)``). Tensors, arrays, lists and dicts
    are iterable but not iterators: they stay whole answers."""
    return isinstance(value, Iterator) and not isinstance(value, str | bytes | bytearray)


def close_quietly(items: Any) -> None:
    """Close a generator (its ``finally`` runs); other iterators need nothing."""
    close = getattr(items, "close", None)
    if callable(close):
        try:
            close()
        except USER_CODE_FAILURES:
            log.warning("closing a response generator raised", exc_info=True)


class PartStream:
    """The parts of one answer, encoded; the first is fetched at once by :meth:`start`,
    so that a failure before any part is sent is still an ordinary error response."""

    def __init__(
        self,
        items: Iterator[Any],
        encode: Callable[[Any], bytes],
        request_id: str,
        max_part_bytes: int | None = None,
        label: str | None = None,
    ) -> None:
        self._items = items
        self._encode = encode
        self.request_id = request_id  # the engine's id, to find the client's connection
        self.label = label or request_id  # how log lines name the request
        self._max_part_bytes = max_part_bytes
        self.closed = False
        self.parts_sent = 0

    def start(self) -> bytes | None:
        """The first part, or None when the iterator is empty (a complete, empty answer).
        Exceptions propagate: nothing has been sent yet, so they become the usual error
        response (the generator is closed first)."""
        try:
            return self._next()
        except BaseException:
            self.close()
            raise

    def next_part(self) -> bytes | None:
        """The next part, or None once the answer is complete. A failure in user code
        is logged at ERROR with the request id and raised as :class:`StreamFailed`."""
        try:
            return self._next()
        except USER_CODE_FAILURES as error:
            self.close()
            log.error(
                "request %s failed after %d parts were sent; the stream is cut",
                self.label,
                self.parts_sent,
                exc_info=error,
            )
            raise StreamFailed("the answer failed mid-stream") from error

    def close(self) -> None:
        """Stop the user's generator (its ``finally`` blocks run). Idempotent."""
        if not self.closed:
            self.closed = True
            close_quietly(self._items)

    def _next(self) -> bytes | None:
        if self.closed:
            return None
        for item in self._items:
            part = self._encode(item)
            if not part:
                continue  # an empty part means nothing on the wire: wait for the next one
            if self._max_part_bytes is not None and len(part) > self._max_part_bytes:
                raise ResponseTooLarge(
                    f"one part of the answer is {len(part)} bytes, above the "
                    f"{self._max_part_bytes}-byte limit (server.max_payload_mb)"
                )
            self.parts_sent += 1
            return part
        self.close()
        return None
