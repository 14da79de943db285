"""Public inference scripts written by others for AWS's PyTorch containers (tests/corpus),
run unchanged through our server: each request is answered as AWS's own toolkit answered
it (recorded in tests/corpus/<name>/aws.json by scripts/record_corpus_with_aws.py: same
status class, bodies equal by value within 1e-4), or differently on purpose, as the
case declares with its reason (docs/model.md: "Where we differ from AWS's toolkit, on purpose").
"""

from __future__ import annotations

import base64
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from serving.content_types import acceptable, media_type
from serving.net import Reply, request
from tests.corpus.cases import CASES, CLEAR_4XX, CORPUS, prepare
from tests.support.servers import serving_one

pytestmark = pytest.mark.integration

TOLERANCE = 1e-4


def _values(body: bytes, content_type: str | None) -> Any:
    """A body as values to compare: JSON and CSV parsed, NPY loaded; anything else, or a
    body that is not what its type says (scripts label their bytes with the Accept), as
    bytes."""
    media = media_type(content_type)
    try:
        if media == "application/json":
            return json.loads(body)
        if media == "text/csv":
            lines = body.decode().split("\n")
            return [[float(v) for v in line.split(",")] for line in lines if line]
        if media == "application/x-npy":
            return np.load(io.BytesIO(body), allow_pickle=False).tolist()
    except ValueError:
        pass
    return body


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(theirs, float | int) and not isinstance(theirs, bool):
        return isinstance(ours, float | int) and math.isclose(ours, theirs, abs_tol=TOLERANCE)
    if isinstance(theirs, list):
        return (
            isinstance(ours, list)
            and len(ours) == len(theirs)
            and all(_same(o, t) for o, t in zip(ours, theirs, strict=True))
        )
    if isinstance(theirs, dict):
        return (
            isinstance(ours, dict)
            and ours.keys() == theirs.keys()
            and all(_same(ours[k], theirs[k]) for k in theirs)
        )
    return bool(ours == theirs)


def _send(url: str, call: dict[str, Any]) -> Reply:
    headers = {}
    if call["content_type"] is not None:
        headers["Content-Type"] = call["content_type"]
    if call["accept"] is not None:
        headers["Accept"] = call["accept"]
    return request(url + "/invocations", base64.b64decode(call["body_b64"]), headers, timeout=60)


def _answered_alike(reply: Reply, aws: dict[str, Any], first_rows: str | None = None) -> None:
    """Same status class; for a success, the same media type and the same values. With
    ``first_rows`` (the request's Accept), AWS answered another request: ours must be of
    a type that Accept admits and hold the first rows of AWS's answer, at least one."""
    theirs = base64.b64decode(aws["body_b64"])
    assert reply.status // 100 == aws["status"] // 100, (reply.status, reply.body[:300], theirs)
    if aws["status"] // 100 != 2:
        return
    ours = _values(reply.body, reply.headers.get("content-type"))
    expected = _values(theirs, aws["content_type"])
    if first_rows is not None:
        assert isinstance(ours, list) and isinstance(expected, list) and ours, ours
        assert acceptable(first_rows, media_type(reply.headers.get("content-type")) or "")
        expected = expected[: len(ours)]
    else:
        assert media_type(reply.headers.get("content-type")) == media_type(aws["content_type"])
    assert _same(ours, expected), (reply.body[:300], theirs[:300])


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_public_script_is_answered_as_awss_toolkit_answers_it(name: str, tmp_path: Path) -> None:
    recorded = json.loads((CORPUS / name / "aws.json").read_text())
    case = CASES[name]
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    made = prepare(name, model_dir)
    assert made == recorded["model_files"], "not the model files AWS's toolkit answered for"
    calls = {call["label"]: call for call in recorded["calls"]}
    assert list(calls) == [call.label for call in case.calls()]
    with serving_one(tmp_path, "model", model_dir) as server:
        for label, call in calls.items():
            reply = _send(server.url, call)
            reason, reference = case.differs.get(label, (None, None))
            if reason is None:
                _answered_alike(reply, call["aws"])
            elif reason == CLEAR_4XX:
                assert call["aws"]["status"] == 500 and 400 <= reply.status < 500, reply.status
                assert b"Traceback" not in reply.body
            else:
                # AWS failed it (500); answered here as AWS answered the reference call.
                assert call["aws"]["status"] == 500 and reference is not None, reason
                _answered_alike(reply, calls[reference]["aws"], first_rows=call["accept"] or "*/*")
