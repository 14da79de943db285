"""The fast NPY header reader agrees with numpy on every header numpy writes, and leaves
every other header to numpy."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib import format as npy_format

from serving.content_types import NPY
from serving.errors import InvalidInput
from serving.worker import npy
from serving.worker.codecs import CODECS

FAST = settings(max_examples=80, deadline=None, database=None)
NPY_CODEC = CODECS[NPY]

PLAIN_DTYPES = st.sampled_from(
    ["?", "i1", "<i2", ">i2", "<i4", "<i8", "u1", "<u8", "<f2", "<f4", ">f4", "<f8", "<c8", "<c16"]
    + ["S3", "<U2", "<M8[ns]", "<m8[s]"]
)


def saved(array: np.ndarray, version: tuple[int, int] | None = None) -> bytes:
    out = io.BytesIO()
    npy_format.write_array(out, array, version=version, allow_pickle=False)
    return out.getvalue()


@FAST
@given(
    data=st.data(),
    descr=PLAIN_DTYPES,
    fortran=st.booleans(),
    version=st.sampled_from([None, (1, 0), (2, 0)]),
)
def test_every_header_numpy_writes_is_read_as_numpy_reads_it(
    data: st.DataObject, descr: str, fortran: bool, version: tuple[int, int] | None
) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5))
    array = data.draw(hnp.arrays(np.dtype(descr), shape))
    if fortran:
        array = np.asfortranarray(array)
    body = saved(array, version)
    header = npy.read_plain_header(body)
    assert header is not None, body[:128]
    expected = np.load(io.BytesIO(body), allow_pickle=False)
    assert (header.dtype, header.shape) == (expected.dtype, expected.shape)
    assert header.fortran_order == (fortran and array.ndim > 1 and not array.flags.c_contiguous)
    decoded = npy.read_array(body, header)
    assert decoded.dtype == expected.dtype and decoded.shape == expected.shape
    assert decoded.tobytes(order="A") == expected.tobytes(order="A")
    assert decoded.flags.writeable  # as np.load's: hooks may write to it


@pytest.mark.parametrize(
    "header",
    [
        # Another writer's spacing or key order, a structured dtype, a pickle-bearing one:
        # numpy's parser decides.
        "{'descr':'<f4', 'fortran_order': False, 'shape': (2,), }",
        "{'shape': (2,), 'descr': '<f4', 'fortran_order': False, }",
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }",
        "{'descr': '<f4', 'fortran_order': None, 'shape': (2,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n\n",
    ],
)
def test_headers_numpy_does_not_write_are_left_to_numpy(header: str) -> None:
    text = header.encode("latin1") + (b"" if header.endswith("\n") else b" \n")
    body = b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + bytes(8)
    assert npy.read_plain_header(body) is None


def test_versions_numpy_reads_itself_are_left_to_it() -> None:
    body = saved(np.arange(3, dtype=np.float32), version=(3, 0))
    assert npy.read_plain_header(body) is None
    np.testing.assert_array_equal(NPY_CODEC.decode(body), np.arange(3, dtype=np.float32))


@FAST
@given(
    array=hnp.arrays(np.float32, hnp.array_shapes(max_dims=2, max_side=3)),
    position=st.integers(min_value=0, max_value=127),
    value=st.integers(min_value=0, max_value=255),
)
def test_a_corrupted_header_decodes_as_numpy_would_or_is_a_400(
    array: np.ndarray, position: int, value: int
) -> None:
    body = bytearray(saved(array))
    body[position] = value
    try:
        expected = np.load(io.BytesIO(bytes(body)), allow_pickle=False)
    except Exception:  # noqa: BLE001 - numpy refusing it in any way means we must refuse it
        expected = None
    if expected is None:
        with pytest.raises(InvalidInput):
            NPY_CODEC.decode(bytes(body))
        return
    try:
        decoded = NPY_CODEC.decode(bytes(body))
    except InvalidInput:
        # Ours may be stricter than np.load only where the body is shorter than promised.
        header = npy.read_plain_header(bytes(body))
        assert header is not None and len(body) - header.data_start < header.data_bytes
        return
    assert decoded.dtype == expected.dtype and decoded.shape == expected.shape
    assert decoded.tobytes() == expected.tobytes()
