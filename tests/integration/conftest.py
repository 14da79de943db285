"""Fixtures that start the real server (TorchServe + our handler + the /ping plugin)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.net import free_port
from tests.support.servers import Server, ping_ok, running

MODELS = Path(__file__).resolve().parent / "models"
REPO = Path(__file__).resolve().parents[2]
DIGITS = REPO / "model_store" / "digits"
SAMPLES = DIGITS / "samples"


@pytest.fixture(scope="session")
def digits_weights() -> Path:
    """The default example's weights, trained offline if `make` has not done it yet."""
    weights = DIGITS / "model.pth"
    if not weights.exists():
        subprocess.run([sys.executable, str(DIGITS / "train.py")], check=True, timeout=300)
    return weights


def sagemaker_base(root: Path, model_source: Path) -> Path:
    """A SAGEMAKER_BASE_DIR whose model/ is a copy of ``model_source``, as SageMaker
    extracts model.tar.gz into /opt/ml/model."""
    model_dir = root / "ml" / "model"
    shutil.copytree(model_source, model_dir, ignore=shutil.ignore_patterns("__pycache__"))
    return root / "ml"


def answers_sample(server: Server) -> bool:
    """Ready: every worker loaded (``/ping``: the server may run several) and a real
    request answered."""
    if not ping_ok(server):
        return False
    reply = server.invoke((SAMPLES / "seven.json").read_bytes(), "application/json")
    return reply.status == 200


@pytest.fixture(scope="module")
def digits_server(
    tmp_path_factory: pytest.TempPathFactory, digits_weights: Path
) -> Iterator[Server]:
    """The default example served exactly as SageMaker runs it: `serve`, no arguments."""
    root = tmp_path_factory.mktemp("digits")
    base = sagemaker_base(root, DIGITS)
    port = free_port()
    env = {
        "SAGEMAKER_BASE_DIR": str(base),
        "SAGEMAKER_BIND_TO_PORT": str(port),
        "SAGEMAKER_MAX_PAYLOAD_IN_MB": "1",
        "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS": "3",
        "SAGEMAKER_BATCH_STRATEGY": "SINGLE_RECORD",
    }
    with running(["serve"], env, port, root / "server.log", ready=answers_sample) as server:
        yield server


@pytest.fixture(scope="module")
def multi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two test models from one YAML: batching on, two workers for the probe."""
    import torch

    root = tmp_path_factory.mktemp("multi")
    shutil.copytree(MODELS / "probe", root / "probe")
    aws = shutil.copytree(MODELS / "aws_style", root / "aws_style")
    torch.manual_seed(0)
    torch.save(
        {
            "fc.weight": torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]]),
            "fc.bias": torch.tensor([0.25, -0.5]),
        },
        aws / "model.pth",
    )
    port = free_port()
    config = {
        "server": {"port": port, "host": "127.0.0.1"},
        "models": [
            {
                "name": "probe",
                "model_dir": "probe",
                "workers": 2,
                "batch_size": 4,
                "max_batch_delay_ms": 300,
            },
            {"name": "aws", "model_dir": "aws_style"},
        ],
    }
    (root / "serving.yaml").write_text(json.dumps(config))  # JSON is YAML
    env = {
        "PROBE_LOAD_LOG": str(root / "loads.log"),
        "PROBE_FORWARD_LOG": str(root / "forward.log"),
    }
    with running(
        ["serve", "--config", str(root / "serving.yaml")],
        env,
        port,
        root / "server.log",
        ready=_probe_ready,
    ) as server:
        server.load_log = root / "loads.log"  # type: ignore[attr-defined]
        server.forward_log = root / "forward.log"  # type: ignore[attr-defined]
        yield server


def _probe_ready(server: Server) -> bool:
    from serving.net import request

    # Both of the probe's workers, and the aws model, must be up (/ping), and a real
    # request must succeed.
    if request(server.url + "/ping").status != 200:
        return False
    return server.invoke(b"[1, 2]", "application/json", path="/models/probe/invoke").status == 200
