"""Media-type constants and header parsing (Content-Type parameters, Accept q-values)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

JSON = "application/json"
CSV = "text/csv"
NPY = "application/x-npy"
TEXT = "text/plain"
# Bytes whose type the runtime cannot tell (what a hook yields as bytes).
OCTET_STREAM = "application/octet-stream"
# One JSON value per line: SageMaker batch transform and the SDK's JSONLinesSerializer.
JSON_LINES = "application/jsonlines"
# Media types whose records are lines: a batch transform joins them line for line.
LINE_RECORDS = frozenset({CSV, JSON_LINES})
ANY = "*/*"

CUSTOM_ATTRIBUTES_HEADER = "X-Amzn-SageMaker-Custom-Attributes"
# The client's own Authorization header, as the front forwards it: the front sends the
# engine's key as Authorization, which must never reach user code.
CLIENT_AUTHORIZATION_HEADER = "X-Serving-Client-Authorization"
# The client's own Content-Type, as the front forwards it: the engine is sent a neutral
# type instead (ENGINE_CONTENT_TYPE), so that TorchServe never decodes a body itself (its
# form decoder splits a form or multipart body into unbounded Java objects).
CLIENT_CONTENT_TYPE_HEADER = "X-Serving-Client-Content-Type"
ENGINE_CONTENT_TYPE = OCTET_STREAM
# SageMaker's id of one invocation (InvokeEndpoint's InferenceId; async inference's own).
INFERENCE_ID_HEADER = "X-Amzn-SageMaker-Inference-Id"
TARGET_MODEL_HEADER = "X-Amzn-SageMaker-Target-Model"


def media_type(content_type: str | None) -> str | None:
    """The bare, lower-cased media type of a Content-Type value.

    >>> media_type("Application/JSON; charset=utf-8")
    'application/json'
    """
    if content_type is None:
        return None
    bare = content_type.split(";", 1)[0].strip().lower()
    return bare or None


@dataclass(frozen=True, order=True)
class AcceptRange:
    """One entry of an Accept header: a media range and its quality."""

    media_range: str
    quality: float = 1.0

    def matches(self, media: str) -> bool:
        if self.media_range == ANY:
            return True
        kind, _, sub = self.media_range.partition("/")
        if sub == "*":
            return media.partition("/")[0] == kind
        return self.media_range == media

    @property
    def specificity(self) -> int:
        if self.media_range == ANY:
            return 0
        return 1 if self.media_range.endswith("/*") else 2


def parse_accept(accept: str | None) -> list[AcceptRange]:
    """Parse an Accept header into ranges, best first; malformed q-values count as 1.

    Order: quality (high first), then specificity (``type/sub`` before ``type/*``
    before ``*/*``), then the order in the header. Ranges with ``q=0`` are kept,
    because they exclude a type.

    >>> [r.media_range for r in parse_accept("text/csv;q=0.5, application/json")]
    ['application/json', 'text/csv']
    """
    if not accept:
        return []
    ranges: list[tuple[float, int, int, AcceptRange]] = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media_range = fields[0].lower()
        if not media_range:
            continue
        if "/" not in media_range:
            media_range = ANY if media_range == "*" else media_range
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 1.0
                # "q=nan" or "q=inf" is as malformed as "q=x": count it as 1.
                quality = min(max(quality, 0.0), 1.0) if math.isfinite(quality) else 1.0
        entry = AcceptRange(media_range, quality)
        ranges.append((-quality, -entry.specificity, position, entry))
    return [entry for *_, entry in sorted(ranges)]


@functools.lru_cache(maxsize=256)  # asked per request; clients send the same few values
def acceptable(accept: str | None, media: str) -> bool:
    """Whether the Accept header admits ``media``: a missing or blank one admits
    anything; otherwise the most specific range that matches it decides (RFC 9110
    12.5.1, so ``text/*;q=0`` excludes ``text/plain``).

    >>> acceptable("application/json, text/*;q=0.5", "text/plain")
    True
    >>> acceptable("*/*, text/plain;q=0", "text/plain")
    False
    """
    if accept is None or not accept.strip():
        return True
    matching = [entry for entry in parse_accept(accept) if entry.matches(media)]
    if not matching:
        return False
    deciding = min(matching, key=lambda entry: -entry.specificity)
    return deciding.quality > 0
