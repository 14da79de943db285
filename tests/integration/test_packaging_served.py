"""`serving package` output, extracted as SageMaker extracts it, is what `serve` runs."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import numpy as np
import pytest

from serving.cli import main
from serving.net import free_port
from tests.integration.conftest import DIGITS, SAMPLES, answers_sample
from tests.support.servers import running

pytestmark = pytest.mark.integration


def test_packaged_example_with_bundled_config_serves(tmp_path: Path, digits_weights: Path) -> None:
    config = tmp_path / "serving.yaml"
    config.write_text("models:\n  - name: digits\n    batch_size: 2\n    max_batch_delay_ms: 5\n")
    archive = tmp_path / "model.tar.gz"
    assert main(["package", str(DIGITS), "-o", str(archive), "--config", str(config)], {}) == 0
    base = tmp_path / "ml"
    with tarfile.open(archive) as tar:
        tar.extractall(base / "model", filter="data")
    port = free_port()
    env = {"SAGEMAKER_BASE_DIR": str(base), "SAGEMAKER_BIND_TO_PORT": str(port)}
    with running(["serve"], env, port, tmp_path / "log", ready=answers_sample) as server:
        reply = server.invoke((SAMPLES / "seven.npy").read_bytes(), "application/x-npy")
        assert reply.status == 200 and int(np.argmax(json.loads(reply.body)[0])) == 7
        # The bundled serving.yaml was read: the model carries the name it gave.
        named = server.invoke(
            (SAMPLES / "seven.json").read_bytes(), "application/json", path="/models/digits/invoke"
        )
        assert named.status == 200
