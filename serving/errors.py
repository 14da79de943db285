"""One exception hierarchy, each class carrying its HTTP status.

Everything the runtime raises on purpose while answering a request is a
:class:`ServingError`. User code raises :class:`InferenceError` to choose the
status itself. :func:`error_response` is the one place an exception becomes
what the client sees: a status and a short JSON body, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


class ServingError(Exception):
    """Base of every error the runtime maps to an HTTP status."""

    status_code: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ServingError):
    """The request body could not be decoded (bad JSON, ragged CSV, corrupt NPY)."""

    status_code = 400


class UnsupportedContentType(ServingError):
    """No decoder for the request's Content-Type."""

    status_code = 415


class NotAcceptable(ServingError):
    """No encoder satisfies the request's Accept header."""

    status_code = 406


class PayloadTooLarge(ServingError):
    status_code = 413


class ResponseTooLarge(ServingError):
    """An answer (or one part of a streamed answer) is above ``server.max_payload_mb``."""

    status_code = 500


class ModelLoadError(ServingError):
    """The model could not be loaded; raised at worker start, never per request."""

    status_code = 500


class UnloadIncomplete(ServingError):
    """The engine let a model go, but its worker processes did not exit in time."""

    status_code = 500


class ModelNotLoaded(ServingError):
    """A multi-model endpoint has no model of that name loaded."""

    status_code = 404


class ModelAlreadyLoaded(ServingError):
    """A multi-model endpoint already has (or is loading) a model of that name."""

    status_code = 409


class InsufficientMemory(ServingError):
    """Loading the model would need more memory than the machine has free."""

    status_code = 507


class ConfigError(ServingError):
    """The hooks or the declarative config are unusable; stops start-up."""

    status_code = 500


class InferenceError(ServingError):
    """Raise from user code to answer with a chosen status and message.

    Example::

        from serving import InferenceError
        raise InferenceError(422, "text must not be empty")
    """

    def __init__(self, status_code: int, message: str) -> None:
        if not 400 <= status_code <= 599:
            raise ValueError(f"InferenceError status_code must be 400-599, got {status_code}")
        super().__init__(message)
        self.status_code = status_code


# Messages for errors whose text we do not control (user code, torch): the client
# gets this, the log gets the traceback.
_INTERNAL_MESSAGE = "the model raised an error; see the server log for request {request_id}"
_OUT_OF_MEMORY = "out of memory while running the model"
# What torch's CPU allocator says when malloc fails (a RuntimeError, not a MemoryError).
_CPU_ALLOCATOR_FAILED = "DefaultCPUAllocator: can't allocate memory"

#: What user code may raise that must fail only its own request: every Exception, and
#: the two BaseExceptions a script may raise by mistake (``sys.exit()`` in a hook, a
#: stray KeyboardInterrupt), which would otherwise end the worker and every neighbour
#: of its batch. GeneratorExit stays out: it is how a generator is told to close.
USER_CODE_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, KeyboardInterrupt)


#: Headers a worker puts on its own error answers. The front intercepts the statuses the
#: engine raises itself (5xx: a worker that died mid-batch, a full queue) to answer them
#: with its JSON and a Retry-After; these say that an answer was the worker's, and what
#: it was, so that the front answers it again as it was.
ERROR_TYPE_HEADER = "X-Serving-Error"
ERROR_MESSAGE_HEADER = "X-Serving-Message"
_HEADER_MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class ErrorResponse:
    """What the client receives for a failed request."""

    status: int
    type: str
    message: str

    def body(self) -> bytes:
        return json.dumps(
            {"code": self.status, "type": self.type, "message": self.message}
        ).encode()

    def headers(self) -> dict[str, str]:
        """The headers that let the front answer this again after intercepting it: the
        type, and the message (its first 2,000 characters: a response header must stay
        well below the front's 64 KiB header buffer) as the inside of a JSON string
        (ASCII only, quotes and control characters escaped), ready to go between quotes."""
        return {
            ERROR_TYPE_HEADER: json.dumps(self.type)[1:-1],
            ERROR_MESSAGE_HEADER: json.dumps(self.message[:_HEADER_MESSAGE_CHARS])[1:-1],
        }


def error_response(exc: BaseException, request_id: str = "") -> ErrorResponse:
    """Map any exception to the status and short body the client sees.

    * :class:`ServingError` (and :class:`InferenceError`): its own status and message.
    * An exception with an integer ``status_code`` in 400-599 (the AWS toolkit's
      ``BaseInferenceToolkitError`` and friends): that status; for a 4xx also
      ``str(exc)``, so scripts written for AWS keep their 4xx answers, while a 5xx gets
      the generic message (its text may say anything about the server).
    * Out of memory (``MemoryError``, torch's CPU allocator failing, CUDA's
      ``OutOfMemoryError``): 507, as TorchServe does.
    * Anything else: 500 with a generic message; details stay in the server log.
    """
    internal = _INTERNAL_MESSAGE.format(request_id=request_id)
    if isinstance(exc, ServingError):
        return ErrorResponse(exc.status_code, type(exc).__name__, exc.message)
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and 400 <= status <= 499:
        message = getattr(exc, "message", None) or str(exc)
        return ErrorResponse(status, type(exc).__name__, str(message))
    if _out_of_memory(exc):
        return ErrorResponse(507, "InsufficientStorage", _OUT_OF_MEMORY)
    if isinstance(status, int) and 500 <= status <= 599:
        return ErrorResponse(status, type(exc).__name__, internal)
    return ErrorResponse(500, "InternalServerError", internal)


def toolkit_format_error(exc: BaseException, encoding: bool) -> ServingError | None:
    """AWS's ``sagemaker_inference.errors.UnsupportedFormatError`` as the status it
    means: raised by its decoder, a Content-Type it cannot read (415); by its encoder, an
    Accept it cannot write (406). It carries no status, and AWS's toolkit answers it 500.
    None for any other exception."""
    kind = type(exc)
    if kind.__name__ != "UnsupportedFormatError" or not kind.__module__.startswith(
        "sagemaker_inference"
    ):
        return None
    first_line = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return NotAcceptable(first_line) if encoding else UnsupportedContentType(first_line)


def _out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return True
    return isinstance(exc, RuntimeError) and _CPU_ALLOCATOR_FAILED in str(exc)
