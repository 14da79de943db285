"""A model loaded in this process and answered the way a worker answers it, without a
server: the worker's public API for tools (the lab's in-process floors use it).

It adds nothing to the request path: :meth:`LocalModel.answer` is the worker's own
``ModelService.handle`` on a batch of one, and :meth:`LocalModel.forward_pass` is the
model's ``predict_fn`` alone, on a request decoded once by its ``input_fn``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from serving.worker.context import Headers
from serving.worker.loader import load_service
from serving.worker.service import ModelService, Request
from serving.worker.streams import is_stream
from serving.worker_spec import Placement, WorkerSpec


@dataclass(frozen=True)
class Answer:
    """What a client would receive: the status, the whole body (every part of a streamed
    answer, in order) and its Content-Type."""

    status: int
    body: bytes
    content_type: str | None


class LocalModel:
    """One model, loaded from its worker spec as a worker loads it."""

    def __init__(self, service: ModelService) -> None:
        self._service = service

    @classmethod
    def load(cls, spec: WorkerSpec, placement: Placement) -> LocalModel:
        """``model_fn`` and the rest of a worker's load (dtype, compile, warm-up)."""
        return cls(load_service(spec, placement))

    @property
    def device(self) -> str:
        """Where the model was loaded: ``cpu`` or ``cuda:N``."""
        return self._service.load_context.device

    def answer(self, body: bytes, content_type: str, accept: str | None = None) -> Answer:
        """One request through the worker's whole path: decode, predict, encode; a
        streamed answer is run to its end, as the server runs it."""
        [response] = self._service.handle([_request(body, content_type, accept)])
        parts = [response.body]
        if response.stream is not None:
            while (part := response.stream.next_part()) is not None:
                parts.append(part)
        return Answer(response.status, b"".join(parts), response.content_type)

    def forward_pass(
        self, body: bytes, content_type: str, accept: str | None = None
    ) -> Callable[[], Any]:
        """A call that runs ``predict_fn`` alone (no stacking, no encoding) on this
        request, decoded once now by ``input_fn``; a streamed prediction is run to its
        end. Bad input raises the worker's error (a :class:`~serving.errors.ServingError`)."""
        service = self._service
        request = _request(body, content_type, accept)
        context = service.context_for(request)
        data = service.decode_one(request, context)
        predict_fn, model = service.hooks.predict_fn, service.model

        def run() -> Any:
            prediction = predict_fn(data, model, context=context)
            return list(prediction) if is_stream(prediction) else prediction

        return run


def _request(body: bytes, content_type: str, accept: str | None) -> Request:
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return Request("local", Headers(headers), bytearray(body))
