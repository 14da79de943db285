"""Codecs: round-trip properties and every error path, with the messages clients see."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from serving.content_types import CSV, JSON, JSON_LINES, NPY, TEXT
from serving.errors import InvalidInput, NotAcceptable, UnsupportedContentType
from serving.worker.codecs import CODECS, Codec, decoder_for

# deadline=None: first examples pay numpy/hypothesis warm-up; database=None: no
# .hypothesis directory written by a unit test run.
FAST = settings(max_examples=60, deadline=None, database=None)

JSON_CODEC, CSV_CODEC, NPY_CODEC, TEXT_CODEC = (CODECS[t] for t in (JSON, CSV, NPY, TEXT))

NPY_DTYPES = [
    np.bool_,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.float16,
    np.float32,
    np.float64,
    np.complex64,
    np.complex128,
    np.dtype(">f8"),  # byte order must survive too
]


def _npy(array: np.ndarray, **kwargs: object) -> bytes:
    out = io.BytesIO()
    np.save(out, array, **kwargs)
    return out.getvalue()


# --- registry -------------------------------------------------------------------


def test_registry_order_and_types() -> None:
    assert list(CODECS) == [JSON, CSV, NPY, TEXT, JSON_LINES]
    for media, codec in CODECS.items():
        assert isinstance(codec, Codec)
        assert codec.media_type == media


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        CODECS["image/png"] = JSON_CODEC  # type: ignore[index]


def test_import_does_not_pull_in_torch() -> None:
    code = "import sys, serving.worker.codecs; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- round trips ----------------------------------------------------------------


@FAST
@given(data=st.data(), dtype=st.sampled_from(NPY_DTYPES))
def test_npy_round_trip_keeps_dtype_shape_and_bits(data: st.DataObject, dtype: object) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    array = data.draw(hnp.arrays(np.dtype(dtype), shape))
    decoded = NPY_CODEC.decode(NPY_CODEC.encode(array))
    assert decoded.dtype == array.dtype
    assert decoded.shape == array.shape
    assert decoded.tobytes() == array.tobytes()  # bitwise: NaN payloads and -0.0 too


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_npy_decodes_every_binary_body_type(wrap: type) -> None:
    array = np.arange(6, dtype=np.int32).reshape(2, 3)
    decoded = NPY_CODEC.decode(wrap(_npy(array)))
    np.testing.assert_array_equal(decoded, array)
    assert decoded.flags.writeable


def test_npy_encodes_plain_python_values() -> None:
    decoded = NPY_CODEC.decode(NPY_CODEC.encode([[1.5, 2.0], [3.0, 4.0]]))
    assert decoded.dtype == np.float64 and decoded.shape == (2, 2)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(json_values)
def test_json_round_trip(value: object) -> None:
    assert JSON_CODEC.decode(JSON_CODEC.encode(value)) == value


def test_json_encode_is_compact_and_converts_numpy_values_anywhere() -> None:
    value = {
        "array": np.array([[1, 2], [3, 4]], dtype=np.int64),
        "scalars": [np.float32(0.5), np.int8(-3), np.bool_(True)],
        "plain": (1, "x"),
    }
    encoded = JSON_CODEC.encode(value)
    assert encoded == b'{"array":[[1,2],[3,4]],"scalars":[0.5,-3,true],"plain":[1,"x"]}'


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_json_decodes_every_body_type(wrap: type) -> None:
    assert JSON_CODEC.decode(wrap(b'{"a": [1, 2.5]}')) == {"a": [1, 2.5]}
    assert JSON_CODEC.decode('{"a": [1, 2.5]}') == {"a": [1, 2.5]}


def test_json_decode_tolerates_utf8_bom() -> None:
    assert JSON_CODEC.decode(b"\xef\xbb\xbf[1]") == [1]


finite_2d = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
    elements=st.floats(allow_nan=False, allow_infinity=False),
)


@FAST
@given(finite_2d)
def test_csv_round_trips_2d_float64_exactly(array: np.ndarray) -> None:
    decoded = CSV_CODEC.decode(CSV_CODEC.encode(array))
    assert decoded.dtype == np.float64
    assert decoded.shape == array.shape
    assert decoded.tobytes() == array.tobytes()  # bit-exact, -0.0 included


@FAST
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e300, 1e300)))
def test_csv_1d_encodes_one_value_per_line(vector: np.ndarray) -> None:
    # One record per line: batch transform joins output line i to input record i.
    encoded = CSV_CODEC.encode(vector)
    assert encoded.count(b"\n") == len(vector) and encoded.endswith(b"\n")
    np.testing.assert_array_equal(CSV_CODEC.decode(encoded), vector.reshape(-1, 1))


def test_csv_encode_formats() -> None:
    assert CSV_CODEC.encode(np.float64(2.5)) == b"2.5\n"
    assert CSV_CODEC.encode(np.array([[1, 2], [3, 4]])) == b"1,2\n3,4\n"
    assert CSV_CODEC.encode(np.array([True, False])) == b"1\n0\n"
    assert CSV_CODEC.encode(np.array([0.1, 1e-300])) == b"0.1\n1e-300\n"
    assert CSV_CODEC.encode(np.array([[0.1, 1e-300]])) == b"0.1,1e-300\n"
    assert CSV_CODEC.encode(["cat", "dog"]) == b"cat\ndog\n"


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_csv_decode_body_types_crlf_and_trailing_blank_lines(wrap: type) -> None:
    decoded = CSV_CODEC.decode(wrap(b"1, 2,3\r\n4,5,6e1\r\n\r\n\n"))
    np.testing.assert_array_equal(decoded, [[1, 2, 3], [4, 5, 60]])
    assert decoded.dtype == np.float64
    np.testing.assert_array_equal(CSV_CODEC.decode("7"), [[7.0]])


@FAST
@given(st.text())
def test_text_round_trip(text: str) -> None:
    assert TEXT_CODEC.decode(TEXT_CODEC.encode(text)) == text
    assert TEXT_CODEC.decode(bytearray(TEXT_CODEC.encode(text))) == text


def test_text_encode_of_non_text_values() -> None:
    assert TEXT_CODEC.encode(b"raw\xff") == b"raw\xff"
    assert TEXT_CODEC.encode(bytearray(b"raw")) == b"raw"
    assert TEXT_CODEC.encode(np.array([1, 2])) == b"[1,2]"
    assert TEXT_CODEC.encode({"label": "cat"}) == b'{"label":"cat"}'


# --- error paths ----------------------------------------------------------------


def test_bad_json_names_the_position() -> None:
    with pytest.raises(InvalidInput, match=r"malformed JSON body: .*line 1 column 7"):
        JSON_CODEC.decode(b'{"a": }')


def test_json_that_is_not_utf8() -> None:
    with pytest.raises(InvalidInput, match="malformed JSON body: not valid UTF-8"):
        JSON_CODEC.decode(b"\xff\xfe[\x001\x00]\x00")


def test_deeply_nested_json_is_invalid_input_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="nested too deeply"):
        JSON_CODEC.decode(b"[" * 200_000 + b"]" * 200_000)


def test_json_integer_past_the_digit_limit_is_invalid_input_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="malformed JSON body: .*digits"):
        JSON_CODEC.decode(b"1" * 5000)


@pytest.mark.parametrize(
    "value", [float("nan"), [1.0, float("inf")], np.array([1.0, np.nan]), np.float32("-inf")]
)
def test_nan_and_infinity_are_not_json(value: object) -> None:
    with pytest.raises(NotAcceptable, match="cannot be represented in JSON.*NaN and infinity"):
        JSON_CODEC.encode(value)


@pytest.mark.parametrize("value", [object(), {"a": b"bytes"}, np.array([1 + 2j])])
def test_unserialisable_value_is_not_acceptable_as_json(value: object) -> None:
    with pytest.raises(NotAcceptable, match="cannot be represented in JSON"):
        JSON_CODEC.encode(value)


def test_ragged_csv_names_both_rows() -> None:
    with pytest.raises(InvalidInput, match="ragged CSV: row 3 has 2 fields, row 1 has 3"):
        CSV_CODEC.decode(b"1,2,3\n4,5,6\n7,8\n")


def test_non_numeric_csv_names_row_column_and_value() -> None:
    with pytest.raises(InvalidInput, match=r"row 2, column 3: 'abc'"):
        CSV_CODEC.decode(b"1,2,3\n4,5,abc\n")


def test_csv_header_row_is_reported() -> None:
    with pytest.raises(InvalidInput, match=r"row 1, column 1: 'x'.*without a header row"):
        CSV_CODEC.decode(b"x,y\n1,2\n")


@pytest.mark.parametrize("body", [b"", b"\n\n", ""])
def test_empty_csv(body: bytes | str) -> None:
    with pytest.raises(InvalidInput, match="empty CSV body"):
        CSV_CODEC.decode(body)


def test_csv_not_utf8() -> None:
    with pytest.raises(InvalidInput, match="malformed CSV body: not valid UTF-8"):
        CSV_CODEC.decode(b"1,\xff\n")


def test_3d_csv_encode_suggests_other_types() -> None:
    with pytest.raises(NotAcceptable, match="at most 2 dimensions") as caught:
        CSV_CODEC.encode(np.zeros((2, 2, 2)))
    assert "application/json" in caught.value.message
    assert "application/x-npy" in caught.value.message


def test_csv_refuses_complex_and_objects() -> None:
    with pytest.raises(NotAcceptable, match="CSV holds numbers or strings.*complex"):
        CSV_CODEC.encode(np.array([1 + 2j]))
    with pytest.raises(NotAcceptable, match="dtype object"):
        CSV_CODEC.encode([{"a": 1}])


def test_text_not_utf8() -> None:
    with pytest.raises(InvalidInput, match="malformed text body: not valid UTF-8"):
        TEXT_CODEC.decode(b"caf\xe9")


def test_text_with_lone_surrogate_is_not_acceptable() -> None:
    with pytest.raises(NotAcceptable, match="UTF-8"):
        TEXT_CODEC.encode("\ud800")


# --- decoder_for ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", JSON),
        ("application/json; charset=utf-8", JSON),
        ("Application/JSON", JSON),
        ("  TEXT/CSV ; header=absent", CSV),
        ("application/x-npy", NPY),
        ("text/plain;charset=UTF-8", TEXT),
    ],
)
def test_decoder_for(header: str, expected: str) -> None:
    assert decoder_for(header) is CODECS[expected]


@pytest.mark.parametrize("header", [None, "", "   ", "; charset=utf-8"])
def test_decoder_for_missing_type(header: str | None) -> None:
    with pytest.raises(UnsupportedContentType, match="missing Content-Type") as caught:
        decoder_for(header)
    assert caught.value.status_code == 415
    for media in CODECS:
        assert media in caught.value.message


@pytest.mark.parametrize("header", ["image/png", "application/x-www-form-urlencoded; a=b"])
def test_decoder_for_unsupported_type(header: str) -> None:
    with pytest.raises(UnsupportedContentType) as caught:
        decoder_for(header)
    assert repr(header) in caught.value.message
    for media in CODECS:
        assert media in caught.value.message


def test_error_bodies_are_json_clients_can_read() -> None:
    from serving.errors import error_response

    with pytest.raises(InvalidInput) as caught:
        CSV_CODEC.decode(b"1,2\n3\n")
    response = error_response(caught.value)
    assert response.status == 400
    assert json.loads(response.body())["message"].startswith("ragged CSV")


# --- JSON Lines ---------------------------------------------------------------------

JSON_LINES_CODEC = CODECS[JSON_LINES]


def test_json_lines_decodes_one_record_per_line_skipping_blank_lines() -> None:
    body = b'[1, 2]\n\n{"a": 1}\r\n"text"\n'
    assert JSON_LINES_CODEC.decode(body) == [[1, 2], {"a": 1}, "text"]
    # Only "\n" ends a record: U+2028 and U+0085 may sit unescaped inside a string.
    assert JSON_LINES_CODEC.decode('"a\u2028b\u0085c"\n'.encode()) == ["a\u2028b\u0085c"]


def test_json_lines_encodes_one_line_per_record() -> None:
    assert JSON_LINES_CODEC.encode([[1, 2], [3, 4]]) == b"[1,2]\n[3,4]\n"
    assert JSON_LINES_CODEC.encode(np.array([[1.5], [2.5]])) == b"[1.5]\n[2.5]\n"
    assert JSON_LINES_CODEC.encode(np.array([7, 8])) == b"7\n8\n"
    assert JSON_LINES_CODEC.encode({"label": "cat"}) == b'{"label":"cat"}\n'


def test_a_json_lines_part_is_one_line_whatever_its_shape() -> None:
    assert JSON_LINES_CODEC.encode_one_part([1, 2]) == b"[1,2]\n"
    # A streamed JSON answer is one value per line too, so that clients can split it.
    assert CODECS[JSON].encode_one_part([1, 2]) == b"[1,2]\n"
    # Codecs without a part encoder encode a part as a whole answer.
    assert CODECS[CSV].encode_one_part([[1, 2]]) == b"1,2\n"


@pytest.mark.parametrize(
    ("body", "says"),
    [(b"[1, 2]\n{oops\n", "line 2"), (b"\n \n", "empty JSON Lines body"), (b"\xff\n", "UTF-8")],
)
def test_bad_json_lines_say_where(body: bytes, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        JSON_LINES_CODEC.decode(body)


@FAST
@given(st.lists(st.one_of(st.integers(), st.text(), st.lists(st.booleans())), min_size=1))
def test_json_lines_round_trip(records: list[object]) -> None:
    assert JSON_LINES_CODEC.decode(JSON_LINES_CODEC.encode(records)) == records
