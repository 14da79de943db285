"""The request path of one worker: a batch in, one answer per request out.

Every request of a batch is decoded, answered and failed on its own, with
its own Content-Type, Accept and status; one bad request never fails its neighbours.
When the runtime runs the model itself (default ``predict_fn``), decoded tensors that
agree in trailing shape, dtype and device share one forward pass and are split back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from serving.content_types import (
    CSV,
    JSON,
    LINE_RECORDS,
    OCTET_STREAM,
    acceptable,
    media_type,
    parse_accept,
)
from serving.errors import (
    USER_CODE_FAILURES,
    InvalidInput,
    ResponseTooLarge,
    error_response,
    toolkit_format_error,
)
from serving.worker import codecs
from serving.worker.context import Headers, LoadContext, RequestContext
from serving.worker.hooks import Hooks
from serving.worker.streams import PartStream, is_stream

if TYPE_CHECKING:
    from serving.load_report import LoadReport

log = logging.getLogger(__name__)

# Stacked passes that may fail in a row, where each request then runs alone, before
# batches run one request at a time.
STACKING_MISFIRES = 3

# The AWS toolkit hands JSON and CSV bodies to input_fn as str and the rest as bytes;
# existing scripts depend on it.
_TEXT_BODIES = (JSON, CSV)


@dataclass(frozen=True)
class Request:
    request_id: str
    headers: Headers
    body: bytes | bytearray | None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error_type: str = ""
    # An answer in parts: ``body`` is the first, the stream yields the rest. The engine
    # sends it chunked and must close the stream however the request ends.
    stream: PartStream | None = None


def response_type_for(accept: str, default_accept: str) -> str:
    """The Content-Type of a body that ``output_fn`` returned without naming its type:
    the best concrete type in Accept, else the default accept. Never the raw header."""
    for entry in parse_accept(accept):
        if entry.quality > 0 and "*" not in entry.media_range:
            return entry.media_range
    return default_accept


class ModelService:
    """A loaded model and its hooks, answering batches."""

    def __init__(
        self,
        hooks: Hooks,
        model: Any,
        load_context: LoadContext,
        max_response_bytes: int | None = None,
        load_report: LoadReport | None = None,
        batch_transform: bool = False,
        response_timeout_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hooks = hooks
        self.model = model
        self.load_context = load_context
        self.default_accept = load_context.default_accept
        self.max_response_bytes = max_response_bytes
        self.load_report = load_report
        self.batch_transform = batch_transform
        # Turned off for good once the model's output cannot be split back row for row
        # (a tuple or dict, a reduced batch): every batch would pay an extra forward pass.
        self.stacking = hooks.can_stack_batches
        self.stacking_misfires = 0  # stacked passes that failed in a row, each alone fine
        self.response_timeout_s = response_timeout_s
        self.clock = clock
        self.warned_of_slow_batches = False

    def handle(self, requests: list[Request]) -> list[Response]:
        started = self.clock()
        responses = self._answer(requests)
        if requests and self.load_context.batch_size > 1 and self.response_timeout_s is not None:
            self._warn_of_slow_batches(len(requests), self.clock() - started)
        return responses

    def _warn_of_slow_batches(self, size: int, took_s: float) -> None:
        """Once per worker: when a full batch would take over half the response timeout,
        which the engine applies to the whole batch (past it, a 504 for every request of
        the batch and a restarted worker). A full batch is reckoned to cost its size
        times this one's cost per request: stacked passes cost less, one by one not."""
        assert self.response_timeout_s is not None
        full = self.load_context.batch_size
        full_s = took_s / size * full
        if self.warned_of_slow_batches or full_s <= self.response_timeout_s / 2:
            return
        self.warned_of_slow_batches = True
        log.warning(
            "model %s: %d request(s) took %.1f s: a full batch of %d could take about %.0f s, "
            "over half the response timeout (%g s), which applies to a whole batch; "
            "declare batch_size: 1 or a longer response_timeout_s",
            self.load_context.model_name,
            size,
            took_s,
            full,
            full_s,
            self.response_timeout_s,
        )

    def _answer(self, requests: list[Request]) -> list[Response]:
        responses: list[Response | None] = [None] * len(requests)
        contexts = [self.context_for(r) for r in requests]
        decoded: dict[int, Any] = {}
        for index, (request, context) in enumerate(zip(requests, contexts, strict=True)):
            try:
                if self.hooks.transform_fn is not None:
                    responses[index] = self._transform(request, context)
                else:
                    decoded[index] = self.decode_one(request, context)
            except USER_CODE_FAILURES as error:
                responses[index] = self._failure(error, context)
        predictions = self._predict_all(decoded, contexts, responses)
        for index, prediction in predictions.items():
            try:
                responses[index] = self._encode(prediction, contexts[index])
            except USER_CODE_FAILURES as error:
                responses[index] = self._failure(error, contexts[index])
        return [r if r is not None else Response(500) for r in responses]

    # --- stages -----------------------------------------------------------------------

    def context_for(self, request: Request) -> RequestContext:
        """The context ``request``'s hooks receive."""
        return RequestContext.of(self.load_context, request.request_id, request.headers)

    def _accept(self, context: RequestContext) -> str:
        accept = (context.accept or "").strip()
        return self.default_accept if accept in ("", "*/*") else accept

    def _input(self, request: Request, context: RequestContext) -> tuple[Any, str | None]:
        content_type = media_type(context.content_type)
        body = request.body if request.body is not None else b""
        if content_type in _TEXT_BODIES:
            try:
                # utf-8-sig: drop the BOM some Windows clients prepend, as the codecs do
                # for bytes; json.loads refuses a str that starts with one.
                return bytes(body).decode("utf-8-sig"), content_type
            except UnicodeDecodeError as error:
                raise InvalidInput(f"the {content_type} body is not valid UTF-8: {error}") from None
        return bytes(body), content_type

    def decode_one(self, request: Request, context: RequestContext) -> Any:
        """``input_fn`` of one request, after refusing an Accept nobody can satisfy."""
        accept = self._accept(context)
        if self.hooks.output_fn.is_default and not acceptable(accept, OCTET_STREAM):
            # Refuse an Accept nobody can satisfy before paying for the model (bytes that
            # a streaming predict_fn yields go out as application/octet-stream).
            codecs.negotiate(accept, self.default_accept)
        input_data, content_type = self._input(request, context)
        try:
            return self.hooks.input_fn(input_data, content_type, context=context)
        except Exception as error:
            toolkit = toolkit_format_error(error, encoding=False)
            if toolkit is not None:
                raise toolkit from error
            if not isinstance(error, ValueError):
                raise
            if self.hooks.input_fn.is_default or isinstance(
                getattr(error, "status_code", None), int
            ):
                raise  # ours, or one that names its own status (errors.error_response)
            # A ValueError while decoding (json.JSONDecodeError, int("x"), a bad shape)
            # is the request's fault far more often than the server's: answer 400 with
            # what the user's input_fn said, where the AWS toolkit answers 500.
            raise InvalidInput(f"input_fn rejected the request: {error}") from error

    def _transform(self, request: Request, context: RequestContext) -> Response:
        assert self.hooks.transform_fn is not None
        input_data, content_type = self._input(request, context)
        accept = self._accept(context)
        result = self.hooks.transform_fn(
            self.model, input_data, content_type, accept, context=context
        )
        return self._response(result, accept, context)

    def _predict_all(
        self,
        decoded: dict[int, Any],
        contexts: list[RequestContext],
        responses: list[Response | None],
    ) -> dict[int, Any]:
        predictions: dict[int, Any] = {}
        pending = dict(decoded)
        failed: list[list[int]] = []  # groups whose stacked pass raised
        if self.stacking and len(pending) > 1:
            for group in _stackable_groups(pending):
                stacked = self._predict_stacked(group, pending, contexts[group[0]])
                if stacked is None:
                    failed.append(group)
                predictions.update(stacked or {})
        for index, data in pending.items():
            if index in predictions:
                continue
            try:
                predictions[index] = self.hooks.predict_fn(
                    data, self.model, context=contexts[index]
                )
            except USER_CODE_FAILURES as error:
                responses[index] = self._failure(error, contexts[index])
        for group in failed:
            self._count_stacking_misfire(all(index in predictions for index in group))
        return predictions

    def _count_stacking_misfire(self, each_alone_succeeded: bool) -> None:
        """A stacked pass that raised where each of its requests then ran alone is the
        stacking's fault (a model traced for one row, a fixed batch dimension): after
        :data:`STACKING_MISFIRES` in a row, batches run one request at a time, so that no
        batch pays for a pass that fails. One that a bad request broke counts nothing."""
        if not each_alone_succeeded:
            return
        self.stacking_misfires += 1
        if self.stacking_misfires >= STACKING_MISFIRES:
            log.info(
                "a stacked forward pass failed %d times where each request then ran alone; "
                "batches now run one request at a time",
                self.stacking_misfires,
            )
            self.stacking = False

    def _predict_stacked(
        self, group: list[int], pending: dict[int, Any], context: RequestContext
    ) -> dict[int, Any] | None:
        """One forward pass for the group; None if it raised, {} if its output cannot be
        split back row for row (either way each request then runs alone)."""
        import torch

        tensors = [pending[i] for i in group]
        sizes = [t.shape[0] for t in tensors]
        try:
            output = self.hooks.predict_fn(torch.cat(tensors), self.model, context=context)
        except USER_CODE_FAILURES:
            log.debug("stacked forward pass failed; running the %d requests one by one", len(group))
            return None
        if (
            not isinstance(output, torch.Tensor)
            or output.ndim == 0
            or output.shape[0] != sum(sizes)
        ):
            log.info(
                "the model's output (%s) cannot be split back per request; "
                "batches now run one request at a time",
                type(output).__name__,
            )
            self.stacking = False
            return {}
        self.stacking_misfires = 0
        return dict(zip(group, torch.split(output, sizes), strict=True))

    def _encode(self, prediction: Any, context: RequestContext) -> Response:
        accept = self._accept(context)
        try:
            result = self.hooks.output_fn(prediction, accept, context=context)
        except Exception as error:
            toolkit = toolkit_format_error(error, encoding=True)
            if toolkit is None:
                raise
            raise toolkit from error
        return self._response(result, accept, context)

    def _response(self, result: Any, accept: str, context: RequestContext) -> Response:
        """Normalise what output_fn/transform_fn returned: ``body`` or ``(body, type)``,
        where an iterator body is an answer in parts (see :mod:`serving.worker.streams`)."""
        pair = isinstance(result, tuple) and len(result) == 2
        body, content_type = result if pair else (result, None)
        if content_type is None:  # a bare body, or (body, None): never the raw Accept
            content_type = response_type_for(accept, self.default_accept)
        content_type = str(content_type)
        headers = dict(context.response_headers)
        if not is_stream(body):
            payload, content_type = self._payload(body, content_type)
            if self.batch_transform and media_type(content_type) in LINE_RECORDS:
                # A transform job ends each answer with a newline (AssembleWith=Line): one
                # of ours too would put a blank line between two answers' records.
                payload = payload.removesuffix(b"\n")
            return Response(200, payload, content_type, headers)
        stream = PartStream(
            body,
            lambda part: self._payload(part, content_type, one_part=True)[0],
            context.request_id,
            self.max_response_bytes,
            label=context.label,
        )
        first = stream.start()
        if first is None:  # nothing to stream: an ordinary, empty answer
            return Response(200, b"", content_type, headers)
        return Response(200, first, content_type, headers, stream=stream)

    def _payload(self, body: Any, content_type: str, one_part: bool = False) -> tuple[bytes, str]:
        """A whole answer, or one part of one, as bytes, and its type: ``bytes`` as they
        are, ``str`` as UTF-8, anything else through the codec of ``content_type`` (a
        whole answer that codec cannot hold as JSON: :func:`codecs.encode_answer`)."""
        if isinstance(body, str):
            payload = body.encode("utf-8")
        elif isinstance(body, bytes | bytearray | memoryview):
            payload = bytes(body)
        else:
            codec = codecs.CODECS.get(media_type(content_type) or "")
            if codec is None:
                raise TypeError(
                    f"output_fn returned {type(body).__name__} for {content_type}; "
                    "return bytes or str"
                )
            from serving.worker.defaults import to_plain

            plain = to_plain(body)
            if one_part:
                payload = codec.encode_one_part(plain)
            else:
                payload, content_type = codecs.encode_answer(codec, plain)
        if self.max_response_bytes is not None and len(payload) > self.max_response_bytes:
            raise ResponseTooLarge(
                f"the response is {len(payload)} bytes, above the {self.max_response_bytes}-byte "
                "limit (server.max_payload_mb)"
            )
        return payload, content_type

    def _failure(self, error: BaseException, context: RequestContext) -> Response:
        answer = error_response(error, context.request_id)
        if answer.status >= 500:
            log.error("request %s failed", context.label, exc_info=error)
        else:
            log.warning("request %s: %d %s", context.label, answer.status, answer.message)
        return Response(
            answer.status,
            answer.body(),
            JSON,
            {**context.response_headers, **answer.headers()},
            error_type=answer.type,
        )


def _stackable_groups(decoded: dict[int, Any]) -> list[list[int]]:
    """Indices of batched tensors (ndim >= 2) that agree in trailing shape, dtype, device."""
    import torch

    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, data in decoded.items():
        if isinstance(data, torch.Tensor) and data.ndim >= 2:
            key = (tuple(data.shape[1:]), data.dtype, data.device)
            groups.setdefault(key, []).append(index)
    return [indices for indices in groups.values() if len(indices) > 1]
