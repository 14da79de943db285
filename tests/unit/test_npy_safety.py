"""NPY bodies are untrusted: corrupt, truncated, oversized, zipped or pickle-bearing
bodies are 400s with a clear message, and nothing is ever unpickled."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from numpy.lib import format as npy_format

from serving.content_types import NPY
from serving.errors import InvalidInput, NotAcceptable
from serving.worker.codecs import CODECS

NPY_CODEC = CODECS[NPY]


def _npy(array: np.ndarray, **kwargs: object) -> bytes:
    out = io.BytesIO()
    np.save(out, array, **kwargs)
    return out.getvalue()


def test_corrupt_npy() -> None:
    with pytest.raises(InvalidInput, match="malformed NPY body"):
        NPY_CODEC.decode(b"this is not an npy file")


def test_truncated_npy() -> None:
    body = _npy(np.arange(10, dtype=np.float64))
    with pytest.raises(InvalidInput, match="malformed NPY body: truncated"):
        NPY_CODEC.decode(body[:-3])
    with pytest.raises(InvalidInput, match="malformed NPY body"):
        NPY_CODEC.decode(body[:20])  # cut inside the header
    with pytest.raises(InvalidInput, match="malformed NPY body"):
        NPY_CODEC.decode(b"")


def test_npy_header_promising_huge_data_is_refused_without_allocating() -> None:
    out = io.BytesIO()
    npy_format.write_array_header_1_0(
        out, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    with pytest.raises(InvalidInput, match="truncated, the header promises 8000000000000 bytes"):
        NPY_CODEC.decode(out.getvalue())


def test_npz_archive_is_refused() -> None:
    out = io.BytesIO()
    np.savez(out, a=np.arange(3))
    with pytest.raises(InvalidInput, match="NPZ archives are not accepted"):
        NPY_CODEC.decode(out.getvalue())
    empty_zip = io.BytesIO()
    zipfile.ZipFile(empty_zip, "w").close()
    with pytest.raises(InvalidInput, match="NPZ archives are not accepted"):
        NPY_CODEC.decode(empty_zip.getvalue())


def test_npy_as_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expected binary data, got text"):
        NPY_CODEC.decode("\x93NUMPY")


UNPICKLED: list[str] = []


def _record_unpickling(tag: str) -> str:
    UNPICKLED.append(tag)
    return tag


class PickleTrap:
    """Unpickling this object appends to UNPICKLED: proof that pickle code ran."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_record_unpickling, ("unpickled",))


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_object_npy_is_refused_and_never_unpickled(version: tuple[int, int]) -> None:
    out = io.BytesIO()
    trap = np.array([PickleTrap(), 1], dtype=object)
    npy_format.write_array(out, trap, version=version, allow_pickle=True)
    body = out.getvalue()
    UNPICKLED.clear()
    with pytest.raises(InvalidInput, match="pickled object arrays are refused") as caught:
        NPY_CODEC.decode(body)
    assert "numeric, bool and string arrays" in caught.value.message
    assert UNPICKLED == []
    # Control: the bait is live, so the assertion above means something.
    np.load(io.BytesIO(body), allow_pickle=True)
    assert UNPICKLED == ["unpickled"]
    UNPICKLED.clear()


def test_raw_pickle_body_is_refused_and_never_unpickled() -> None:
    import pickle

    UNPICKLED.clear()
    with pytest.raises(InvalidInput):
        NPY_CODEC.decode(pickle.dumps(PickleTrap()))
    assert UNPICKLED == []


@pytest.mark.parametrize("value", [[{"a": 1}], np.array([None]), [[1, 2], [3]]])
def test_npy_encode_refuses_what_needs_pickle(value: object) -> None:
    with pytest.raises(NotAcceptable, match="NPY"):
        NPY_CODEC.encode(value)
