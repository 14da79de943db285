"""Build Dockerfile.gpu (x86-64, CPU torch standing in for CUDA) and Dockerfile.graviton
(arm64 under qemu), then run them the way SageMaker and a user do: ``docker run IMAGE
serve`` with a model at /opt/ml/model, real requests checked by value, ``docker stop``.

Emulation proves the arm64 image works, not how fast it is.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from serving.net import Reply
from tests.images.conftest import (
    PLATFORMS,
    REPO,
    SENTIMENT,
    package_and_extract,
    refused_build,
)
from tests.images.containers import Container, container
from tests.images.engine import Engine
from tests.support.modules import load_module
from tests.support.wheels import make_wheel

pytestmark = pytest.mark.images

DIGITS = REPO / "model_store" / "digits"
SAMPLES = DIGITS / "samples"
LABEL = "com.amazonaws.sagemaker.capabilities.accept-bind-to-port"
# Per image: the environment it must declare, and how close its answers must be to the
# host's. The Graviton image computes fp32 GEMMs with bfloat16 fast-math where the CPU has
# bf16 (DNNL_DEFAULT_FPMATH_MODE=BF16), which moves probabilities in the third decimal.
IMAGES = {
    "gpu": {
        "arch": "amd64",
        "env": {
            "NVIDIA_VISIBLE_DEVICES": "all",
            "NVIDIA_DRIVER_CAPABILITIES": "compute,utility",
            "SERVING_CACHE_DIR": "/var/cache/serving",
        },
        "atol": 1e-5,
    },
    "graviton": {
        "arch": "arm64",
        "env": {
            "DNNL_DEFAULT_FPMATH_MODE": "BF16",
            "LRU_CACHE_CAPACITY": "1024",
            "THP_MEM_ALLOC_ENABLE": "1",
            "LD_PRELOAD": "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "SERVING_CACHE_DIR": "/var/cache/serving",
        },
        "atol": 2e-2,
    },
}
STARTUP_S = {"gpu": 120, "graviton": 300}  # qemu runs Java and Python 5-20x slower


def expected_probabilities() -> np.ndarray:
    """The default example's answer for seven.json, computed here with the same hooks."""
    inference = load_module("digits_inference_expected", DIGITS / "code" / "inference.py")
    model = inference.model_fn(str(DIGITS))
    batch = inference.input_fn((SAMPLES / "seven.json").read_bytes(), "application/json")
    with torch.no_grad():
        return model(batch).numpy()


def answers_seven(box: Container, port: int = 8080) -> bool:
    reply = box.request(
        "/invocations", (SAMPLES / "seven.json").read_bytes(), "application/json", port
    )
    return reply is not None and reply.status == 200


def test_image_config_is_what_sagemaker_expects(engine: Engine, image: tuple[str, str]) -> None:
    kind, tag = image
    details = json.loads(engine.run(["image", "inspect", tag]).stdout)[0]
    config = details["Config"]
    assert details["Architecture"] == IMAGES[kind]["arch"]
    assert config["Entrypoint"] == ["serving-entrypoint"]
    assert config["Cmd"] == ["serve"]
    assert "8080/tcp" in config["ExposedPorts"]
    assert config["Labels"][LABEL] == "true"
    assert config["Healthcheck"]["Test"] == ["CMD", "serving", "ping"]
    assert config["User"] == ""  # root, as SageMaker expects
    env = dict(item.split("=", 1) for item in config["Env"])
    for name, value in IMAGES[kind]["env"].items():
        assert env.get(name) == value, name


def test_serve_answers_by_value_and_stops_promptly(
    engine: Engine, image: tuple[str, str], packaged_digits: Path
) -> None:
    kind, tag = image
    platform = [f"--platform={PLATFORMS[kind]}"]
    started = time.monotonic()
    with container(engine, tag, ["serve"], model_dir=packaged_digits, options=platform) as box:
        box.wait_for(lambda: answers_seven(box), STARTUP_S[kind], "no answer from /invocations")
        # Shown with -s: how the start compares with the SageMaker SDK's 120-s window.
        print(f"{kind}: first answer {time.monotonic() - started:.0f} s after docker run")
        # /ping is 200 once every worker has loaded: a request may be answered by the
        # first while the second is still loading (under qemu, seconds later).
        box.wait_for(
            lambda: _status(box.request("/ping")) == 200, STARTUP_S[kind], "no 200 from /ping"
        )
        reply = box.request(
            "/invocations", (SAMPLES / "seven.json").read_bytes(), "application/json"
        )
        assert reply is not None and reply.status == 200
        probabilities = np.array(json.loads(reply.body))
        np.testing.assert_allclose(
            probabilities, expected_probabilities(), atol=IMAGES[kind]["atol"]
        )
        assert int(probabilities.argmax()) == 7
        csv = box.request("/invocations", (SAMPLES / "seven.csv").read_bytes(), "text/csv")
        assert csv is not None and csv.status == 200
        assert int(np.argmax(json.loads(csv.body)[0])) == 7
        bad = box.request("/invocations", b"{not json", "application/json")
        assert bad is not None and bad.status == 400 and b"Traceback" not in bad.body

        started = time.monotonic()
        engine.run(["stop", "--time=30", box.id], timeout_s=60)
        stopped_after = time.monotonic() - started
        state = box.inspect()["State"]
        assert stopped_after < 10, f"docker stop took {stopped_after:.1f} s"
        assert state["ExitCode"] == 0 and not state["OOMKilled"], state  # not 137 (SIGKILL)
        assert "received SIGTERM" in box.logs()
        # Debian's maintained netty, ahead of TorchServe's hardened jar (frontend_jar.py).
        assert (
            "frontend libraries: netty 4.1.48.Final from /usr/share/java/netty-transport.jar; "
            "gRPC listeners: none" in box.logs()
        )


# --- Dockerfile.gpu only (native x86-64) -------------------------------------------------


def test_bind_to_port_moves_the_port(engine: Engine, gpu_image: str, packaged_digits: Path) -> None:
    options = ["-e", "SAGEMAKER_BIND_TO_PORT=9090"]
    with container(
        engine, gpu_image, ports=(9090, 8080), model_dir=packaged_digits, options=options
    ) as box:
        box.wait_for(lambda: answers_seven(box, 9090), STARTUP_S["gpu"], "no answer on port 9090")
        assert box.request("/ping", port=8080) is None  # nothing listens on 8080 any more


def test_a_multi_model_endpoint_loads_a_model_with_its_own_requirements(
    engine: Engine, gpu_image: str, packaged_digits: Path, tmp_path: Path
) -> None:
    # /opt/ml/models/<name>/model, as SageMaker lays out a multi-model endpoint's artifacts.
    models = tmp_path / "models"
    model = models / "digits" / "model"
    shutil.copytree(packaged_digits, model)
    wheel = make_wheel(models, "serving_pin_probe", "VERSION = '2.0'\n", version="2.0")
    (model / "code" / "requirements.txt").write_text(f"/opt/ml/models/{wheel.name}\n")
    for path in [models, *models.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    options = ["-e", "SAGEMAKER_MULTI_MODEL=true", "-v", f"{models}:/opt/ml/models:ro"]
    with container(engine, gpu_image, options=options) as box:
        box.wait_for(lambda: _status(box.request("/ping")) == 200, 120, "no 200 from /ping")
        body = json.dumps({"model_name": "digits", "url": "/opt/ml/models/digits/model"})
        loaded = box.request("/models", body.encode(), "application/json")
        assert loaded is not None and loaded.status == 200, box.logs()[-4000:]
        reply = box.request(
            "/models/digits/invoke", (SAMPLES / "seven.json").read_bytes(), "application/json"
        )
        assert reply is not None and reply.status == 200
        assert int(np.argmax(json.loads(reply.body))) == 7
        # The requirement went into the model's own environment, not the image's.
        probe = ["exec", box.id, "python", "-c", "import serving_pin_probe"]
        assert engine.run(probe, check=False).returncode != 0
        listing = ["exec", box.id, "sh", "-c", "ls /tmp/serving-*/environments/digits/lib/*/*"]
        assert "serving_pin_probe.py" in engine.run(listing).stdout


#: Reviews for the sentiment example, with the labels its head gives them.
REVIEWS = {
    (SENTIMENT / "samples" / "review.txt").read_text(): "POSITIVE",
    "The hotel was filthy and noisy.": "NEGATIVE",
}


def expected_sentiment() -> list[dict[str, object]]:
    """The sentiment example's answer to each of REVIEWS, computed here with its hooks."""
    inference = load_module("sentiment_inference_images", SENTIMENT / "code" / "inference.py")
    pipeline = inference.model_fn(str(SENTIMENT))
    answers = [inference.predict_fn(review, pipeline)[0] for review in REVIEWS]
    assert [answer["label"] for answer in answers] == list(REVIEWS.values())
    return answers


def test_the_sentiment_example_installs_transformers_at_start_and_answers(
    engine: Engine, gpu_image: str, packaged_sentiment: Path, sentiment_wheels: Path
) -> None:
    """The blog post's story: a transformers pipeline the image does not have, installed
    from the model's code/requirements.txt when the container starts."""
    absent = engine.run(
        ["run", "--rm", gpu_image, "python", "-c", "import transformers"], check=False
    )
    assert absent.returncode != 0, "transformers is in the image: the install proves nothing"
    want = expected_sentiment()
    options = ["-v", f"{sentiment_wheels}:/opt/wheels:ro"]
    options += ["-e", "PIP_FIND_LINKS=/opt/wheels", "-e", "PIP_NO_INDEX=1"]
    started = time.monotonic()
    with container(engine, gpu_image, model_dir=packaged_sentiment, options=options) as box:
        box.wait_for(lambda: _status(box.request("/ping")) == 200, 300, "no 200 from /ping")
        print(f"\nsentiment image: /ping 200 after {time.monotonic() - started:.0f} s")
        assert "installed /opt/ml/model/code/requirements.txt" in box.logs()
        for review, expected in zip(REVIEWS, want, strict=True):
            reply = box.request("/invocations", review.encode(), "application/x-text")
            assert reply is not None and reply.status == 200, box.logs()[-4000:]
            [got] = json.loads(reply.body)
            assert got["label"] == expected["label"]
            assert got["score"] == pytest.approx(expected["score"], abs=1e-5)


def _status(reply: Reply | None) -> int | None:
    return reply.status if reply is not None else None


def test_runs_as_a_non_root_user_and_turns_healthy(
    engine: Engine, gpu_image: str, packaged_digits: Path
) -> None:
    options = ["--user=1000:1000", "--health-interval=1s", "--health-start-period=60s"]
    with container(engine, gpu_image, model_dir=packaged_digits, options=options) as box:
        box.wait_for(
            lambda: box.inspect()["State"]["Health"]["Status"] == "healthy",
            STARTUP_S["gpu"],
            "HEALTHCHECK never passed",
        )
        assert answers_seven(box)
        assert box.engine.run(["exec", box.id, "id", "-u"]).stdout.strip() == "1000"


def test_compiled_model_serves_and_keeps_kernels_in_the_mounted_cache(
    engine: Engine, gpu_image: str, tmp_path: Path
) -> None:
    """`serving package --config` bundles the YAML; torch.compile needs g++ in the image;
    the inductor cache is a fixed path a user can mount to keep kernels across restarts."""
    config = tmp_path / "compiled.yaml"
    config.write_text(
        "models:\n"
        "  - name: model\n"
        "    compile:\n"
        "      enabled: true\n"
        "      warmup: {shape: [64], dtype: float32}\n"
    )
    model_dir = package_and_extract(DIGITS, tmp_path, "--config", str(config))
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    options = ["-v", f"{cache}:/var/cache/serving"]
    with container(engine, gpu_image, model_dir=model_dir, options=options) as box:
        box.wait_for(lambda: answers_seven(box), 300, "the compiled model never answered")
        assert "compiled (inductor, mode default) and warmed up batch sizes [1]" in box.logs()
    assert any((cache / "inductor").rglob("*.so")), "no compiled kernels in the mounted cache"


def test_other_commands_run_as_given(engine: Engine, gpu_image: str) -> None:
    script = "import torch; print(torch.compile(lambda x: x * 2 + 1)(torch.ones(2)).tolist())"
    result = engine.run(["run", "--rm", gpu_image, "python", "-c", script], timeout_s=300)
    assert result.stdout.strip() == "[3.0, 3.0]"


def test_graviton_dockerfile_refuses_to_build_for_x86(engine: Engine, gpu_image: str) -> None:
    output = refused_build(engine, "Dockerfile.graviton", "serving:wrong-arch")
    assert "Dockerfile.graviton builds arm64 images only, not x86_64" in output
