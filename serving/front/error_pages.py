"""The front's own answers: JSON error bodies shaped like the workers', and the nginx
locations that give them (the front's errors, and the engine's, told apart from a
worker's own error answer by its headers). Pure, like the rest of the front.
"""

from __future__ import annotations

import json

from serving.errors import ERROR_MESSAGE_HEADER, ERROR_TYPE_HEADER

RETRY_AFTER_S = 5


def error_body(status: int, kind: str, message: str) -> str:
    """The JSON body of an error the front answers itself, shaped like the workers'."""
    return json.dumps({"code": status, "type": kind, "message": message})


# status -> (type, message): errors the front raises itself.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "the request is not valid HTTP/1.1"),
    404: (
        "NotFound",
        "no such route; this server answers /ping, /invocations, "
        "/models/{name}/invoke and /execution-parameters (and, on a multi-model "
        "endpoint, /models and /models/{name})",
    ),
    405: ("MethodNotAllowed", "method not allowed on this route"),
    408: ("RequestTimeout", "the request was not received in time"),
    413: ("PayloadTooLarge", "the request body is above the size limit"),
    503: ("ServiceUnavailable", "no worker can take the request now; retry"),
    504: ("GatewayTimeout", "the model did not answer within its response timeout"),
}


def nginx_string(text: str) -> str:
    """A single-quoted nginx string (its only escapes: backslash and quote)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Internal URIs, not named locations: an error found while reading the request line
# (an HTTP/2 preface, garbage) has no URI yet, and nginx cannot redirect it to a name.
ERROR_PREFIX = "/_serving_errors"


def error_locations() -> str:
    blocks = []
    for status, (kind, message) in ERRORS.items():
        retry = f"            add_header Retry-After {RETRY_AFTER_S} always;\n"
        extra = retry if status == 503 else ""
        blocks.append(
            f"        location = {ERROR_PREFIX}/{status} {{\n"
            "            internal;\n"
            "            default_type application/json;\n"
            f"{extra}"
            f"            return {status} {nginx_string(error_body(status, kind, message))};\n"
            "        }\n"
        )
    return "".join(blocks)


def error_pages(indent: str) -> str:
    """``error_page`` lines: each error the front raises to its JSON page (502, the
    engine unreachable, is a 503 to retry)."""
    return error_page_lines(indent, {status: status for status in ERRORS} | {502: 503})


def error_page_lines(indent: str, pages: dict[int, int]) -> str:
    """``error_page`` lines, status -> the JSON page of a status."""
    lines = []
    for status, page in pages.items():
        answer = "" if page == status else f"={page} "  # the page's status, not the original
        lines.append(f"{indent}error_page {status} {answer}{ERROR_PREFIX}/{page};\n")
    return "".join(lines)


# What an invocation route intercepts, by status -> (status, type, message) the client
# gets when the answer was not a worker's own: the front's errors (a method, a body too
# large, the engine unreachable or too slow; not 408, which nginx answers by closing the
# connection, intercepted or not) and the engine's (TorchServe
# answers 500 "Worker died." to every request of a batch whose worker died: the OOM
# killer, os._exit, a response timeout; 503 when no worker can take a request or its
# queue is full; 507 when a worker ran out of memory outside the model). A worker's own
# error answers carry ERROR_TYPE_HEADER and pass as they were, whatever their status.
ENGINE_ERRORS: dict[int, tuple[int, str, str]] = {
    405: (405, *ERRORS[405]),
    413: (413, *ERRORS[413]),
    500: (503, "ServiceUnavailable", "the worker stopped before it answered; retry"),
    502: (503, *ERRORS[503]),
    503: (503, *ERRORS[503]),
    504: (504, *ERRORS[504]),
    507: (507, "InsufficientStorage", "out of memory while running the model"),
    # Only where the route lists it (a multi-model endpoint's invocations): the engine
    # has no model of that name.
    404: (404, "ModelNotLoaded", "no model of that name is loaded; load it with POST /models"),
}
ENGINE_ERROR_PREFIX = "/_serving_errors/engine"


def header_variable(name: str) -> str:
    """nginx's variable for an upstream response header."""
    return "$upstream_http_" + name.lower().replace("-", "_")


def engine_errors() -> str:
    """A page per intercepted engine status: the worker's own answer again (from its
    headers: nginx keeps no intercepted body), or the front's for the engine's."""
    kind, message = header_variable(ERROR_TYPE_HEADER), header_variable(ERROR_MESSAGE_HEADER)
    blocks = []
    for status, (engine_status, engine_kind, engine_message) in ENGINE_ERRORS.items():
        retry = f"                add_header Retry-After {RETRY_AFTER_S} always;\n"
        engines = error_body(engine_status, engine_kind, engine_message)
        workers = f'{{"code": {status}, "type": "{kind}", "message": "{message}"}}'
        blocks.append(
            f"        location = {ENGINE_ERROR_PREFIX}/{status} {{\n"
            "            internal;\n"
            "            default_type application/json;\n"
            f'            if ({kind} = "") {{\n'
            f"{retry if engine_status == 503 else ''}"
            f"                return {engine_status} {nginx_string(engines)};\n"
            "            }\n"
            f"            return {status} {nginx_string(workers)};\n"
            "        }\n"
        )
    return "".join(blocks)
