"""TorchServe's entry point: a thin adapter from TorchServe's batch and Context to serving/.

TorchServe calls ``handle(None, context)`` once to load, then ``handle(batch, context)``
per batch. This is the only module that knows TorchServe's Context; everything it
does per request is by index, so each request keeps its own status, type and headers.
"""

from __future__ import annotations

import logging
import os
import sys
from http import HTTPStatus
from typing import Any

from serving.content_types import CLIENT_AUTHORIZATION_HEADER, CLIENT_CONTENT_TYPE_HEADER
from serving.engines.torchserve import SPEC_KEY, streaming, wire
from serving.worker.context import Headers
from serving.worker.loader import load_service
from serving.worker.service import ModelService, Request, Response
from serving.worker_spec import Placement, WorkerSpec

log = logging.getLogger("serving.handler")

_service: ModelService | None = None
_channels: streaming.Channels | None = None
_pacing = streaming.Pacing()


def initialize(context: Any) -> ModelService:
    """Load the model once per worker from the spec in model-config.yaml's ``serving``
    section, on the GPU TorchServe assigned (``gpu_id``), if any."""
    global _service, _channels, _pacing
    _log_problems_to_stderr()
    values = (context.model_yaml_config or {}).get(SPEC_KEY)
    if not values:
        raise RuntimeError("model-config.yaml has no 'serving' section; start through `serving`")
    gpu_id = context.system_properties.get("gpu_id")
    placement = Placement(gpu_id=int(gpu_id) if gpu_id is not None else None)
    spec = WorkerSpec.from_dict(values)
    if spec.log_level != "DEBUG":
        _drop_engine_request_lines()
    _service = load_service(spec, placement)
    _channels = streaming.channels_from(os.environ)
    _pacing = streaming.Pacing.for_timeout(spec.response_timeout_s)
    # From the next message on, the worker reads the frontend's frames through one buffer.
    wire.install(received_lines=spec.log_level == "DEBUG")
    return _service


# A record's level, named in the line: TorchServe tags the whole line WARN.
_PROBLEM_FORMAT = "[%(levelname)s] %(name)s - %(message)s"


def _log_problems_to_stderr() -> None:
    """TorchServe logs each line a worker writes to stdout at INFO and to stderr at WARN
    (``WorkerLifeCycle``). The runtime's records at WARNING and above (a failed request,
    a stream cut) go to stderr, named with their level, so that an alert on the server
    log's WARN and ERROR lines sees them; the rest stay on stdout. Idempotent."""
    runtime = logging.getLogger("serving")
    if any(getattr(handler, "serving_worker", False) for handler in runtime.handlers):
        return
    problems = logging.StreamHandler(sys.stderr)
    problems.setLevel(logging.WARNING)
    problems.setFormatter(logging.Formatter(_PROBLEM_FORMAT))
    routine = logging.StreamHandler(sys.stdout)
    routine.addFilter(lambda record: record.levelno < logging.WARNING)
    routine.setFormatter(logging.Formatter("%(message)s"))  # as TorchServe's own worker logs
    for handler in (problems, routine):
        handler.serving_worker = True  # type: ignore[attr-defined]
        runtime.addHandler(handler)
    runtime.propagate = False


# TorchServe's Python worker logs two things for every request at INFO: a "Backend
# received inference at" line on the root logger, and a metrics line per request.
# Each costs the worker a formatted write to stdout and the frontend a line to read and
# filter out again (render.PER_REQUEST_LINES; the metrics loggers are off). Sampled with
# py-spy on the digits MLP, they took about a seventh of the worker's busy time.
_ENGINE_METRICS_LOGGER = "ts.metrics.caching_metric"
_ENGINE_RECEIVED_LINE = "Backend received inference at"


def _not_a_received_line(record: logging.LogRecord) -> bool:
    return not (isinstance(record.msg, str) and record.msg.startswith(_ENGINE_RECEIVED_LINE))


def _drop_engine_request_lines() -> None:
    """Stop the worker's per-request lines at their source. Idempotent; the user's
    own records on the root logger pass as before."""
    logging.getLogger(_ENGINE_METRICS_LOGGER).setLevel(logging.WARNING)
    root = logging.getLogger()
    if _not_a_received_line not in root.filters:
        root.addFilter(_not_a_received_line)


# Headers the front replaces on the way to the engine (the engine's key as Authorization,
# a neutral Content-Type that keeps TorchServe from decoding bodies), each with the name
# the client's own value travels under.
_FORWARDED = {
    "Authorization": CLIENT_AUTHORIZATION_HEADER,
    "Content-Type": CLIENT_CONTENT_TYPE_HEADER,
}
_CLIENT_NAME = {forwarded.lower(): name for name, forwarded in _FORWARDED.items()}
_ENGINE_ONLY = {name.lower() for name in (*_FORWARDED, *_FORWARDED.values())}


def _client_headers(sent: dict[str, Any]) -> dict[str, Any]:
    """The request's headers as its client sent them: without TorchServe's per-part
    dicts, and with the client's own Authorization and Content-Type in place of what the
    front sent the engine (its key, which user code must never see; a neutral type)."""
    headers = {
        name: value
        for name, value in sent.items()
        if isinstance(value, str | bytes | bytearray) and name.lower() not in _ENGINE_ONLY
    }
    for name, value in sent.items():
        client_name = _CLIENT_NAME.get(name.lower())
        if client_name is not None and isinstance(value, str | bytes | bytearray) and value:
            headers[client_name] = value
    return headers


def _requests(data: list[dict[str, Any]], context: Any) -> list[Request]:
    requests = []
    for index, item in enumerate(data):
        headers = _client_headers(context.get_all_request_header(index))
        body = item.get("body")
        if body is None:
            body = item.get("data")
        requests.append(Request(context.get_request_id(index) or "", Headers(headers), body))
    return requests


def handle(data: list[dict[str, Any]] | None, context: Any) -> list[bytes] | None:
    """TorchServe's function entry point."""
    if data is None:
        initialize(context)
        return None
    assert _service is not None, "handle called before initialize"
    responses = _service.handle(_requests(data, context))
    for index, response in enumerate(responses):
        context.set_response_status(response.status, _phrase(response.status), index)
        if response.content_type:
            context.set_response_content_type(index, response.content_type)
        for name, value in response.headers.items():
            context.set_response_header(index, name, value)
        if response.stream is not None:
            # The front passes this answer on as it comes instead of buffering it whole.
            context.set_response_header(index, "X-Accel-Buffering", "no")
    if not any(response.stream is not None for response in responses):
        return [response.body for response in responses]
    return _stream(responses, context)


def _stream(responses: list[Response], context: Any) -> list[bytes]:
    """Send the batch's messages but the last (see streaming.py); return the last."""
    assert _channels is not None
    last = streaming.stream_batch(
        responses,
        lambda message: context.cl_socket.sendall(streaming.message_bytes(context, message)),
        _channels,
        _pacing,
    )
    # Every request of the batch ends in this message (TorchServe turns the streams'
    # "more follows" into their last chunk).
    return [last[i][0] for i in range(len(responses))]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error" if status >= 400 else "OK"
