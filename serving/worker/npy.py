"""A fast reader for the NPY headers numpy itself writes.

``np.load`` parses every header with ``ast.literal_eval``: about 30 µs a request, more
than a small model's forward pass (docs/bench/overhead). The headers ``np.save`` writes
(format 1.0 and 2.0, a plain dtype) all have one shape, which a regular expression reads
exactly; anything else is left to numpy (:func:`read_plain_header` returns None).
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass

import numpy as np

_MAGIC = b"\x93NUMPY"
# (header length format, bytes it takes) by major version; 3.0 (utf-8 field names) is
# numpy's business.
_LENGTH_FIELDS = {1: ("<H", 2), 2: ("<I", 4)}
# What numpy's _write_array_header writes: the repr of a dict with these three keys in
# this order, padded with spaces and ending in a newline. descr: a plain dtype string.
_HEADER = re.compile(
    r"\{'descr': '(?P<descr>[<>|=]?[A-Za-z]\d*(?:\[[a-z]+\])?)', "
    r"'fortran_order': (?P<fortran>True|False), "
    r"'shape': \((?P<shape>(?:\d+, )*(?:\d+,?)?)\), \} *\n\Z"
)


@dataclass(frozen=True)
class PlainHeader:
    """A header as ``np.save`` writes it for a plain (non-structured) dtype."""

    dtype: np.dtype
    fortran_order: bool
    shape: tuple[int, ...]
    data_start: int

    @property
    def data_bytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def read_plain_header(body: bytes | bytearray | memoryview) -> PlainHeader | None:
    """The header of ``body`` if it is one ``np.save`` writes with a plain dtype, else
    None (whatever it is: another writer's spacing, a structured dtype, garbage)."""
    if bytes(body[:6]) != _MAGIC or len(body) < 10:
        return None
    length_field = _LENGTH_FIELDS.get(body[6])
    if length_field is None or body[7] != 0:
        return None
    length_format, length_size = length_field
    start = 8 + length_size
    if len(body) < start:
        return None
    (length,) = struct.unpack_from(length_format, body, 8)
    text = bytes(body[start : start + length])
    if len(text) != length:
        return None
    match = _HEADER.match(text.decode("latin1"))
    if match is None:
        return None
    try:
        dtype = np.dtype(match["descr"])
    except TypeError:
        return None
    if dtype.itemsize == 0:  # 'S0', 'V0': numpy's own rules for these
        return None
    shape = tuple(int(size) for size in match["shape"].split(",") if size.strip())
    return PlainHeader(dtype, match["fortran"] == "True", shape, start + length)


def read_array(body: bytes | bytearray | memoryview, header: PlainHeader) -> np.ndarray:
    """The array after ``header``: a copy of its own (writable, as ``np.load`` gives), in
    the header's order. The body must hold ``header.data_bytes`` after the header."""
    count = math.prod(header.shape)
    flat = np.frombuffer(body, header.dtype, count=count, offset=header.data_start).copy()
    if header.fortran_order:
        return flat.reshape(header.shape[::-1]).transpose()
    return flat.reshape(header.shape)
