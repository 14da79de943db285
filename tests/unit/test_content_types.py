"""Header parsing (media_type, parse_accept) and content negotiation over the codec registry."""

from __future__ import annotations

import pytest

from serving.content_types import ANY, CSV, JSON, NPY, TEXT, AcceptRange, media_type, parse_accept
from serving.errors import NotAcceptable
from serving.worker.codecs import CODECS, negotiate

# --- media_type -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        ("  text/csv ;header=present", "text/csv"),
        ("TEXT/PLAIN", "text/plain"),
        (None, None),
        ("", None),
        ("   ", None),
        ("; charset=utf-8", None),
    ],
)
def test_media_type(header: str | None, expected: str | None) -> None:
    assert media_type(header) == expected


# --- parse_accept ---------------------------------------------------------------


def _ranges(accept: str | None) -> list[tuple[str, float]]:
    return [(r.media_range, r.quality) for r in parse_accept(accept)]


@pytest.mark.parametrize("accept", [None, "", ","])
def test_parse_accept_empty(accept: str | None) -> None:
    assert parse_accept(accept) == []


def test_parse_accept_orders_by_quality() -> None:
    assert _ranges("text/csv;q=0.5, application/json, text/plain;q=0.8") == [
        (JSON, 1.0),
        (TEXT, 0.8),
        (CSV, 0.5),
    ]


def test_parse_accept_orders_equal_quality_by_specificity_then_position() -> None:
    assert _ranges("*/*, text/*, text/csv, application/json") == [
        (CSV, 1.0),
        (JSON, 1.0),
        ("text/*", 1.0),
        (ANY, 1.0),
    ]


def test_parse_accept_malformed_and_out_of_range_q() -> None:
    assert _ranges("text/csv;q=abc, application/json;q=7, text/plain;q=-1") == [
        (CSV, 1.0),
        (JSON, 1.0),
        (TEXT, 0.0),
    ]


def test_parse_accept_star_case_whitespace_and_extra_params() -> None:
    assert _ranges(" * ;q=0.2,  Text/CSV ; charset=utf-8 ; Q=0.7 ") == [(CSV, 0.7), (ANY, 0.2)]


def test_parse_accept_keeps_q0_ranges_last() -> None:
    assert _ranges("application/json;q=0, */*") == [(ANY, 1.0), (JSON, 0.0)]


@pytest.mark.parametrize(
    ("media_range", "media", "expected"),
    [
        (ANY, CSV, True),
        ("text/*", CSV, True),
        ("text/*", TEXT, True),
        ("text/*", JSON, False),
        (JSON, JSON, True),
        (JSON, NPY, False),
    ],
)
def test_accept_range_matches(media_range: str, media: str, expected: bool) -> None:
    assert AcceptRange(media_range).matches(media) is expected


# --- negotiate ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        (None, JSON, JSON),
        ("", CSV, CSV),
        ("   ", NPY, NPY),
        (ANY, TEXT, TEXT),
        (ANY, CSV, CSV),
        ("text/csv;q=0.5, application/json", CSV, JSON),
        ("application/json", CSV, JSON),
        ("application/json; charset=utf-8", CSV, JSON),
        ("Application/X-NPY", JSON, NPY),
        ("application/*", JSON, JSON),
        ("application/*", NPY, NPY),  # the default wins among equals
        ("application/*", CSV, JSON),  # else registry order
        ("text/*", JSON, CSV),  # first text/* in registry order
        ("text/*", TEXT, TEXT),
        ("*/*;q=0.1, text/csv", JSON, CSV),
        ("*/*;q=0.1", NPY, NPY),
        ("image/png, text/plain;q=0.3", JSON, TEXT),
        ("text/csv, */*", JSON, CSV),  # a named type beats */* at equal quality
        # the most specific range decides a type's quality (RFC 9110 12.5.1):
        ("text/*;q=0.5, text/csv;q=0.1", JSON, TEXT),
        ("text/*;q=0, */*", TEXT, JSON),
    ],
)
def test_negotiate(accept: str | None, default: str, expected: str) -> None:
    assert negotiate(accept, default) is CODECS[expected]


def test_negotiate_q0_excludes_the_default() -> None:
    codec = negotiate("application/json;q=0, */*", JSON)
    assert codec.media_type != JSON
    assert codec is CODECS[CSV]  # next in registry order


def test_negotiate_accepts_default_with_parameters_and_case() -> None:
    assert negotiate(None, "Application/JSON; charset=utf-8") is CODECS[JSON]


@pytest.mark.parametrize(
    "accept", ["image/png", "application/json;q=0", "*/*;q=0", "image/*, video/mp4;q=0.9"]
)
def test_negotiate_unsatisfiable(accept: str) -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(accept, JSON)
    assert caught.value.status_code == 406
    assert repr(accept) in caught.value.message
    for media in CODECS:
        assert media in caught.value.message


@pytest.mark.parametrize("default", ["image/png", "", "text/*", ANY])
def test_negotiate_bad_default_is_a_config_error(default: str) -> None:
    with pytest.raises(ValueError, match="has no codec"):
        negotiate(None, default)
    with pytest.raises(ValueError, match="has no codec"):
        negotiate("application/json", default)
