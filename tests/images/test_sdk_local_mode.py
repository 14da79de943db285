"""The x86 image through the SageMaker Python SDK's local mode, as a SageMaker user
drives it: ``Model.deploy(instance_type="local")``, the SDK's four serializer pairs, a
custom-attributes round trip, and two local batch transforms whose output must have one
line per input record, in order; then the blog post's sentiment example, its reviews sent
as application/x-text. The SDK runs in its own venv (``.venv-sdk``) through
``tests/images/sdk_local_mode.py``; this side prepares the job and checks the answers
by value against the same hooks run here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from serving.net import free_port
from tests.images.conftest import DIGITS, REPO, package_and_extract
from tests.images.engine import Engine
from tests.images.test_images import IMAGES, REVIEWS, expected_sentiment
from tests.support.modules import load_module

pytestmark = pytest.mark.images

SDK_PYTHON = REPO / ".venv-sdk" / "bin" / "python"
RECORDS = 300
# The digits example, and an output_fn that answers as the default does and echoes the
# request's custom attributes (the example itself sets none).
ECHO = """

def output_fn(prediction, accept, context):
    from serving.defaults import default_output_fn

    if context.custom_attributes is not None:
        context.set_custom_attributes("echo:" + context.custom_attributes)
    return default_output_fn(prediction, accept, context)
"""


def run_sdk(engine: Engine, job: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """Run ``sdk_local_mode.py`` on ``job`` with the SDK's interpreter; what it printed."""
    (tmp_path / "work").mkdir()
    job = {**job, "port": free_port(), "work": str(tmp_path / "work")}
    (tmp_path / "job.json").write_text(json.dumps(job))
    environ = {
        **engine.env,  # DOCKER_HOST: the test's own dockerd
        "AWS_DEFAULT_REGION": "us-east-1",
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    for secret in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        environ.pop(secret, None)  # no account: nothing here may need one
    script = REPO / "tests" / "images" / "sdk_local_mode.py"
    done = subprocess.run(
        [str(SDK_PYTHON), str(script), str(tmp_path / "job.json")],
        env=environ,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-6000:]}"
    results: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def expected(pixels: np.ndarray) -> np.ndarray:
    """The example's probabilities for ``pixels``, computed here with its own hooks."""
    inference = load_module("digits_inference_sdk", DIGITS / "code" / "inference.py")
    model = inference.model_fn(str(DIGITS))
    with torch.no_grad():
        return model(torch.from_numpy(pixels)).numpy()


@pytest.mark.parametrize("kind", list(IMAGES))
def test_the_sdk_deploys_predicts_and_transforms_in_local_mode(
    engine: Engine, kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # The arm64 image runs under qemu: its first answer came 23 s after `docker run`
    # here (measured 2026-11-30), inside the SDK's 120-s health window.
    image = request.getfixturevalue(f"{kind}_image")
    atol = IMAGES[kind]["atol"]
    assert SDK_PYTHON.exists(), "the SDK's venv is missing: run `make test-images`"
    assert shutil.which("docker-compose") or shutil.which("docker"), "no docker compose"
    source = tmp_path / "digits"
    shutil.copytree(DIGITS, source, ignore=shutil.ignore_patterns("__pycache__", "samples"))
    with (source / "code" / "inference.py").open("a") as script:
        script.write(ECHO)
    package_and_extract(source, tmp_path)  # writes tmp_path/model.tar.gz

    rows = np.random.default_rng(7).integers(0, 17, size=(RECORDS, 64)).astype(np.float32)
    csv = tmp_path / "batch" / "records.csv"
    csv.parent.mkdir()
    csv.write_text("".join(",".join(str(int(v)) for v in row) + "\n" for row in rows))
    jsonlines = tmp_path / "batch-jsonl" / "records.jsonl"
    jsonlines.parent.mkdir()
    jsonlines.write_text("".join(json.dumps([int(v) for v in row]) + "\n" for row in rows))
    job = {
        "image": image,
        "model_data": str(tmp_path / "model.tar.gz"),
        "pixels": rows[:2].tolist(),
        "csv": str(csv),
        "jsonlines": str(jsonlines),
    }
    results = run_sdk(engine, job, tmp_path)

    want = expected(rows)
    two = want[:2]
    np.testing.assert_allclose(np.array(results["npy"]), two, atol=atol)
    np.testing.assert_allclose(np.array(results["csv"], dtype=float), two, atol=atol)
    np.testing.assert_allclose(np.array(results["json"]), two, atol=atol)
    np.testing.assert_allclose(np.array(results["jsonlines"]), two, atol=atol)
    assert results["custom_attributes"] == "echo:trace=sdk-42"
    np.testing.assert_allclose(np.array(results["custom_attributes_answer"]), two, atol=atol)

    # One output line per record, in order (and the file's own final newline).
    for name, parse in (
        ("transform_csv", lambda line: [float(v) for v in line.split(",")]),
        ("transform_jsonlines", json.loads),
    ):
        lines = results[name]
        assert len(lines) == RECORDS + 1 and lines[-1] == "", (name, lines[-3:])
        got = np.array([parse(line) for line in lines[:-1]])
        np.testing.assert_allclose(got, want, atol=atol, err_msg=name)

    # delete_endpoint and the transforms left nothing running.
    assert engine.run(["ps", "-q"]).stdout.strip() == ""


def test_the_sdk_serves_the_blog_posts_sentiment_example(
    engine: Engine,
    gpu_image: str,
    packaged_sentiment: Path,
    sentiment_wheels: Path,
    tmp_path: Path,
) -> None:
    """The post's model as its user deploys it: model.tar.gz with the weights and code/
    (requirements.txt naming transformers), reviews sent as application/x-text. The
    endpoint has no network here, so the archive carries a wheelhouse too and the model's
    env points pip at it, as for a network-isolated endpoint."""
    assert SDK_PYTHON.exists(), "the SDK's venv is missing: run `make test-images`"
    source = tmp_path / "sentiment"
    shutil.copytree(packaged_sentiment, source)
    shutil.copytree(sentiment_wheels, source / "wheels")
    package_and_extract(source, tmp_path)  # writes tmp_path/model.tar.gz
    job = {
        "image": gpu_image,
        "model_data": str(tmp_path / "model.tar.gz"),
        "env": {"PIP_FIND_LINKS": "/opt/ml/model/wheels", "PIP_NO_INDEX": "1"},
        "reviews": list(REVIEWS),
    }
    answers = run_sdk(engine, job, tmp_path)["reviews"]
    for [got], want in zip(answers, expected_sentiment(), strict=True):
        assert got["label"] == want["label"]
        assert got["score"] == pytest.approx(want["score"], abs=1e-5)
    assert engine.run(["ps", "-q"]).stdout.strip() == ""
