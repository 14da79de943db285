"""Request decoding and response encoding, one codec per media type.

:data:`CODECS` is the single registry: :func:`decoder_for` picks a codec from a
request's ``Content-Type`` and :func:`negotiate` picks one from its ``Accept``.
Codecs work on numpy and plain Python only; callers turn torch tensors into
numpy before encoding, so this module never imports torch.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from serving.content_types import ANY, CSV, JSON, JSON_LINES, NPY, TEXT, media_type, parse_accept
from serving.errors import InvalidInput, NotAcceptable, UnsupportedContentType
from serving.worker import npy

#: What a request body may arrive as: TorchServe hands over ``bytearray``.
Body = bytes | bytearray | memoryview | str


@dataclass(frozen=True)
class Codec:
    """An encode/decode pair for one media type.

    ``decode(body)`` raises :class:`InvalidInput` saying what is wrong with the
    body; ``encode(value)`` raises :class:`NotAcceptable` when the value has no
    form in this media type.
    """

    media_type: str
    decode: Callable[[Body], Any]
    encode: Callable[[Any], bytes]
    # One part of an answer sent in parts; None: the same as a whole answer. For JSON and
    # JSON Lines a part is one line (for JSON Lines a whole answer is a line per record).
    encode_part: Callable[[Any], bytes] | None = None

    def encode_one_part(self, value: Any) -> bytes:
        """``value`` as one part of a streamed answer."""
        return (self.encode_part or self.encode)(value)


def _text(body: Body, encoding: str, what: str) -> str:
    # str(buffer, encoding) decodes bytes, bytearray and memoryview in place,
    # without first copying them into a new bytes object.
    if isinstance(body, str):
        return body
    try:
        return str(body, encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"malformed {what} body: not valid UTF-8 ({exc})") from None


def _to_builtin(value: Any) -> Any:
    # json.dumps calls this only for objects it cannot serialise itself, so
    # plain lists and dicts cost nothing; nested numpy values land here too.
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False, default=_to_builtin)
    except (ValueError, TypeError, RecursionError) as exc:
        # allow_nan=False: NaN/inf would produce text that strict parsers reject.
        nan = "Out of range float" in str(exc)
        hint = " (NaN and infinity are not JSON numbers; use application/x-npy)" if nan else ""
        raise NotAcceptable(f"value cannot be represented in JSON: {exc}{hint}") from None


def _decode_json(body: Body) -> Any:
    # utf-8-sig: tolerate the BOM some Windows clients prepend; json.loads
    # would otherwise reject it. Decoding ourselves also stops json.loads from
    # guessing UTF-16/32 for bytes.
    text = _text(body, "utf-8-sig", "JSON")
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or an integer past Python's digit limit
        raise InvalidInput(f"malformed JSON body: {exc}") from None
    except RecursionError:
        raise InvalidInput("malformed JSON body: nested too deeply") from None


def _encode_json(value: Any) -> bytes:
    return _json_text(value).encode("utf-8")


def _decode_json_lines(body: Body) -> list[Any]:
    """One JSON value per non-blank line, as a list (one item per record)."""
    text = _text(body, "utf-8-sig", "JSON Lines")
    records = []
    # Split on "\n" only: str.splitlines would also split inside a string holding U+2028.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError as exc:
            raise InvalidInput(f"malformed JSON Lines body: line {number}: {exc}") from None
        except RecursionError:
            message = f"malformed JSON Lines body: line {number} is nested too deeply"
            raise InvalidInput(message) from None
    if not records:
        raise InvalidInput("empty JSON Lines body: expected at least one line with a JSON value")
    return records


def _encode_json_line(value: Any) -> bytes:
    return (_json_text(value) + "\n").encode("utf-8")


def _encode_json_lines(value: Any) -> bytes:
    """One line per record: the items of a list or the rows of an array; anything else
    (a dict, a number) is one record."""
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        value = list(value)
    if isinstance(value, list | tuple):
        return b"".join(_encode_json_line(item) for item in value)
    return _encode_json_line(value)


# Kinds CSV can hold: bool, signed/unsigned int, float, and str (labels).
_CSV_KINDS = frozenset("biufU")


def _decode_csv(body: Body) -> np.ndarray:
    text = _text(body, "utf-8-sig", "CSV")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise InvalidInput(f"malformed CSV body: {exc}") from None
    while rows and not rows[-1]:  # csv.reader yields [] for blank lines
        rows.pop()
    if not rows:
        raise InvalidInput("empty CSV body: expected at least one row of numbers")
    width = len(rows[0])
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise InvalidInput(f"ragged CSV: row {number} has {len(row)} fields, row 1 has {width}")
    try:
        # numpy parses str with float()'s rules, in C; fast path for the usual case.
        return np.array(rows, dtype=np.float64)
    except ValueError:
        pass  # the slow path below only says which field is bad
    for r, row in enumerate(rows, start=1):
        for c, field in enumerate(row, start=1):
            try:
                float(field)
            except ValueError:
                raise InvalidInput(
                    f"non-numeric CSV field at row {r}, column {c}: {field!r} "
                    "(CSV input must be numbers only, without a header row)"
                ) from None
    raise InvalidInput("malformed CSV body: could not convert fields to numbers")


def _encode_csv(value: Any) -> bytes:
    array = np.asarray(value)
    if array.ndim > 2:
        raise NotAcceptable(
            f"CSV holds at most 2 dimensions, the result has {array.ndim} "
            f"(shape {array.shape}); ask for application/json or application/x-npy"
        )
    if array.dtype.kind not in _CSV_KINDS:
        raise NotAcceptable(
            f"CSV holds numbers or strings, the result has dtype {array.dtype}; "
            "ask for application/json or application/x-npy"
        )
    if array.dtype.kind == "b":
        array = array.astype(np.uint8)  # write 1/0, which decode reads back
    # tolist() gives Python ints and floats; csv writes floats with repr, the
    # shortest text that parses back to the same float64.
    # One record per line, as batch transform joins output lines to input records (and
    # as numpy's savetxt and AWS's toolkit write): a 1-D result is one value per line,
    # e.g. a regression's N predictions for N input rows; a 2-D result one row per line.
    rows = array.reshape(-1, 1).tolist() if array.ndim < 2 else array.tolist()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OBJECT_REFUSED = (
    "pickled object arrays are refused in NPY bodies; only plain numeric, bool and "
    "string arrays are accepted"
)


def _decode_npy(body: Body) -> np.ndarray:
    if isinstance(body, str):
        raise InvalidInput("malformed NPY body: expected binary data, got text")
    head = bytes(body[:8])  # slicing a memoryview/bytearray copies only 8 bytes
    if head.startswith(_ZIP_MAGIC):
        raise InvalidInput("NPZ archives are not accepted; send a single array as .npy")
    plain = npy.read_plain_header(body)
    if plain is not None:  # what np.save writes: read without np.load's literal_eval
        if plain.dtype.hasobject:
            raise InvalidInput(_OBJECT_REFUSED)
        _check_complete(plain.data_bytes, len(body) - plain.data_start)
        return npy.read_array(body, plain)
    # BytesIO shares a bytes body rather than copying it.
    stream = io.BytesIO(body)
    try:
        # Read the header first: an object dtype gets a clear refusal, and a
        # header promising more data than the body holds is refused before
        # np.load allocates for it. Version 3.0 headers (rare) go straight to
        # np.load, which refuses object arrays too (mapped below).
        version = npy_format.read_magic(stream)
        if version in ((1, 0), (2, 0)):
            read_header = getattr(npy_format, f"read_array_header_{version[0]}_0")
            shape, _, dtype = read_header(stream)
            if dtype.hasobject:
                raise InvalidInput(_OBJECT_REFUSED)
            data_start = stream.tell()
            _check_complete(
                math.prod(shape) * dtype.itemsize, stream.seek(0, io.SEEK_END) - data_start
            )
        stream.seek(0)
        # allow_pickle=False: never run code from a request body.
        array: np.ndarray = np.load(stream, allow_pickle=False)
        return array
    # TokenError: numpy retokenizes a version 1/2 header that fails to parse (found by
    # tests/unit/test_npy.py: a header cut open mid-dict escaped as a 500).
    except (ValueError, EOFError, OSError, TypeError, SyntaxError, tokenize.TokenError) as exc:
        if "allow_pickle" in str(exc) or "pickled" in str(exc):
            raise InvalidInput(_OBJECT_REFUSED) from None
        raise InvalidInput(f"malformed NPY body: {exc or type(exc).__name__}") from None


def _check_complete(needed: int, have: int) -> None:
    """Refuse a body shorter than its header promises, before allocating for it."""
    if have < needed:
        raise InvalidInput(
            f"malformed NPY body: truncated, the header promises {needed} bytes "
            f"of data but {have} follow it"
        )


def _encode_npy(value: Any) -> bytes:
    try:
        array = np.asarray(value)
    except ValueError as exc:  # e.g. ragged nested lists
        raise NotAcceptable(f"value cannot be written as NPY: {exc}") from None
    if array.dtype.hasobject:
        raise NotAcceptable(
            "value cannot be written as NPY without pickling (object dtype); "
            "ask for application/json"
        )
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def _decode_text(body: Body) -> str:
    # Plain utf-8, not utf-8-sig: text round-trips exactly, a leading BOM included.
    return _text(body, "utf-8", "text")


def _encode_text(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    text = value if isinstance(value, str) else _json_text(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates
        raise NotAcceptable(f"text cannot be encoded as UTF-8: {exc}") from None


#: Every supported media type, in server preference order (read-only).
CODECS: Mapping[str, Codec] = MappingProxyType(
    {
        # A streamed JSON answer is one value per line, so that a client can split it.
        JSON: Codec(JSON, _decode_json, _encode_json, _encode_json_line),
        CSV: Codec(CSV, _decode_csv, _encode_csv),
        NPY: Codec(NPY, _decode_npy, _encode_npy),
        TEXT: Codec(TEXT, _decode_text, _encode_text),
        JSON_LINES: Codec(JSON_LINES, _decode_json_lines, _encode_json_lines, _encode_json_line),
    }
)


_SUPPORTED = ", ".join(CODECS)


def encode_answer(codec: Codec, value: Any) -> tuple[bytes, str]:
    """A whole answer in ``codec``'s type, or in JSON, labelled so, when the value has no
    form in that type (a dict or a list of dicts as CSV or NPY: a transformers
    pipeline's output). RFC 9110 lets a server answer outside the Accept header rather
    than refuse; a 406 would fail the request where AWS's toolkit answers it (with JSON
    labelled as the Accept type: we label it as what it is). A value JSON cannot hold
    either keeps the codec's own error."""
    try:
        return codec.encode(value), codec.media_type
    except NotAcceptable:
        if codec.media_type == JSON:
            raise
        try:
            return _encode_json(value), JSON
        except (NotAcceptable, TypeError, ValueError):
            pass
        raise


def decoder_for(content_type: str | None) -> Codec:
    """The codec for a raw ``Content-Type`` header value (parameters and case ignored).

    Raises :class:`UnsupportedContentType` when the header is missing or names
    a type without a codec.
    """
    bare = media_type(content_type)
    if bare is None:
        raise UnsupportedContentType(f"missing Content-Type; supported types: {_SUPPORTED}")
    codec = CODECS.get(bare)
    if codec is None:
        raise UnsupportedContentType(
            f"unsupported Content-Type {content_type!r}; supported types: {_SUPPORTED}"
        )
    return codec


@functools.lru_cache(maxsize=256)
def negotiate(accept: str | None, default_accept: str) -> Codec:
    """The codec to answer with, given the request's ``Accept`` and the configured default.

    Pure, so cached: clients send the same few Accept values, and the request path
    asks twice per request (to refuse early, then to encode).

    A missing, blank or ``*/*`` Accept gets ``default_accept``. Otherwise each
    codec's quality comes from the most specific range matching it (RFC 9110
    12.5.1, so ``text/*;q=0`` or ``application/json;q=0`` exclude); among those
    with quality above 0, the one whose deciding range is listed best wins,
    ties going to the default and then to :data:`CODECS` order.

    Raises :class:`NotAcceptable` when no codec is acceptable, and
    :class:`ValueError` when ``default_accept`` has no codec (a config bug).
    """
    default = media_type(default_accept)
    if default is None or default not in CODECS:
        raise ValueError(
            f"default accept {default_accept!r} has no codec; supported types: {_SUPPORTED}"
        )
    if accept is None or accept.strip() in ("", ANY):
        return CODECS[default]
    ranges = parse_accept(accept)
    best: tuple[int, int, int] | None = None
    chosen: Codec | None = None
    for order, (media, codec) in enumerate(CODECS.items()):
        matching = [(i, r) for i, r in enumerate(ranges) if r.matches(media)]
        if not matching:
            continue
        # Most specific range decides; among equals, the best-listed one (ranges
        # are sorted best first, and min() keeps the first of equal keys).
        rank, deciding = min(matching, key=lambda item: -item[1].specificity)
        if not deciding.quality > 0:  # also rejects a NaN quality
            continue
        key = (rank, media != default, order)
        if best is None or key < best:
            best, chosen = key, codec
    if chosen is None:
        raise NotAcceptable(f"cannot satisfy Accept {accept!r}; supported types: {_SUPPORTED}")
    return chosen
