"""Dockerfile.gpu and Dockerfile.graviton, read without an engine: hadolint, and the
SageMaker/runtime contract each must keep. ``make test-images`` builds and runs them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

REPO = Path(__file__).resolve().parents[2]
DOCKERFILES = ["Dockerfile.gpu", "Dockerfile.graviton"]
TORCH = {"Dockerfile.gpu": "torch==2.13.0", "Dockerfile.graviton": "torch==2.10.0"}


def parsed(name: str) -> DockerfileParser:
    return DockerfileParser(fileobj=io.BytesIO((REPO / name).read_bytes()))


def instructions(name: str, stage: str | None = None) -> list[tuple[str, str]]:
    """(INSTRUCTION, value) pairs, of one stage if ``stage`` names it."""
    current = None
    found = []
    for item in parsed(name).structure:
        if item["instruction"] == "FROM":
            current = item["value"].split()[-1] if " AS " in item["value"].upper() else None
        if stage is None or current == stage:
            found.append((item["instruction"], item["value"]))
    return found


def values(name: str, instruction: str, stage: str | None = "runtime") -> list[str]:
    return [value for kind, value in instructions(name, stage) if kind == instruction]


def apt_packages(name: str, stage: str) -> set[str]:
    packages: set[str] = set()
    for run in values(name, "RUN", stage):
        for install in re.findall(r"apt-get install ([^&;]+)", run):
            packages |= {word for word in install.split() if not word.startswith("-")}
    return packages


@pytest.mark.parametrize("name", DOCKERFILES)
def test_hadolint_finds_nothing(name: str) -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), "--config", str(REPO / ".hadolint.yaml"), "--no-color", name],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", DOCKERFILES)
def test_base_image_is_a_parameter_of_every_stage(name: str) -> None:
    text = (REPO / name).read_text()
    assert not re.search(r"^#\s*syntax\s*=", text, re.MULTILINE), "BuildKit would fetch it"
    assert "ARG BASE_IMAGE=debian:bookworm-slim\n" in text
    assert values(name, "FROM", None) == ["${BASE_IMAGE} AS builder", "${BASE_IMAGE} AS runtime"]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_runtime_stage_speaks_the_sagemaker_contract(name: str) -> None:
    assert [json.loads(v) for v in values(name, "ENTRYPOINT")] == [["serving-entrypoint"]]
    assert [json.loads(v) for v in values(name, "CMD")] == [["serve"]]
    assert values(name, "EXPOSE") == ["8080"]
    assert values(name, "USER") == []  # root: SageMaker expects it
    labels = parsed(name).labels
    assert labels["com.amazonaws.sagemaker.capabilities.accept-bind-to-port"] == "true"
    assert labels["com.amazonaws.sagemaker.capabilities.multi-models"] == "true"
    (healthcheck,) = values(name, "HEALTHCHECK")
    assert healthcheck.endswith('CMD ["serving", "ping"]')  # exec form: no shell needed
    assert any("mkdir -p /opt/ml/model" in run for run in values(name, "RUN"))


@pytest.mark.parametrize("name", DOCKERFILES)
def test_runtime_has_a_jre_and_a_compiler_but_no_jdk(name: str) -> None:
    runtime = apt_packages(name, "runtime")
    assert {"openjdk-17-jre-headless", "g++", "python3"} <= runtime  # g++: torch.compile
    assert "nginx-light" in runtime  # the front on the public port
    assert not any(package.endswith(("-jdk", "-jdk-headless")) for package in runtime)
    assert "openjdk-17-jdk-headless" in apt_packages(name, "builder")  # compiles the plugin
    assert values(name, "COPY") == ["--from=builder /opt/venv /opt/venv"]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_versions_are_pinned_and_packages_hash_checked(name: str) -> None:
    assert f"ARG TORCH_SPEC={TORCH[name]}" in (REPO / name).read_text()
    runs = values(name, "RUN", "builder")
    installs = [run.split("pip install ", 1)[1] for run in runs if "pip install " in run]
    # A current pip first; torch and torchvision as the build arguments say; everything
    # else from the lock with its hashes, nothing resolved; the project without its deps.
    assert installs[0] == "--require-hashes --no-deps -r /src/requirements/pip.lock"
    assert installs[1].startswith('--find-links /wheelhouse "${TORCH_SPEC}"')
    assert installs[2] == "--require-hashes --no-deps -r /src/requirements/runtime.lock"
    assert installs[3].startswith("--no-index --no-deps --no-build-isolation /src")
    assert len(installs) == 4
    assert "pip check" in runs[-2]  # the lock's versions agree with torch's requirements
    assert values(name, "COPY", "builder")[:2] == [
        "requirements/pip.lock /src/requirements/",
        "requirements/runtime.lock /src/requirements/",
    ]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_torchvision_is_the_one_built_for_that_torch(name: str) -> None:
    text = (REPO / name).read_text()
    torch_minor = re.search(r"^ARG TORCH_SPEC=torch==2\.(\d+)\.\d+$", text, re.MULTILINE)
    vision_minor = re.search(
        r"^ARG TORCHVISION_SPEC=torchvision==0\.(\d+)\.\d+$", text, re.MULTILINE
    )
    assert torch_minor and vision_minor
    assert int(vision_minor[1]) == int(torch_minor[1]) + 15  # torchvision 0.28 <-> torch 2.13
    (install,) = [run for run in values(name, "RUN", "builder") if "${TORCH_SPEC}" in run]
    assert '${TORCHVISION_SPEC:+"$TORCHVISION_SPEC"}' in install  # one resolve, one pair
    assert 'python -c "import torchvision.ops"' in install  # a wrong pair fails the build


@pytest.mark.parametrize("name", DOCKERFILES)
def test_the_frontend_jar_is_hardened_and_the_image_describes_itself(name: str) -> None:
    # Debian's maintained netty in both stages: the builder hardens the jar against it
    # (frontend_jar.py refuses without it), the runtime's frontend loads it.
    assert "libnetty-java" in apt_packages(name, "builder")
    assert "libnetty-java" in apt_packages(name, "runtime")
    builder = values(name, "RUN", "builder")
    assert builder[-1] == (
        "python -m serving.engines.torchserve.frontend_jar"
        "     && python -m serving.engines.torchserve.plugin"  # compiled against the result
    )
    # The SBOM is written once the runtime stage holds everything it lists.
    runtime = instructions(name, "runtime")
    sbom = next(i for i, (kind, value) in enumerate(runtime) if "scripts/sbom.py" in value)
    assert runtime[sbom][1].endswith("/tmp/sbom.py /usr/share/doc/serving/sbom.cdx.json")
    assert not any(kind in {"RUN", "COPY"} for kind, _ in runtime[sbom + 1 :])


@pytest.mark.parametrize("name", DOCKERFILES)
def test_the_ca_bundle_is_a_secret_never_stored(name: str) -> None:
    for run in values(name, "RUN", "builder"):
        if "pip install" in run and "--no-index" not in run:  # it reaches the index
            assert "--mount=type=secret,id=pip_ca,required=false" in run
    text = (REPO / name).read_text()
    assert not re.search(r"^(ENV|ARG)\s.*(PIP_CERT|REQUESTS_CA|SSL_CERT)", text, re.MULTILINE)


@pytest.mark.parametrize("name", DOCKERFILES)
def test_inductor_cache_is_a_fixed_path_to_mount(name: str) -> None:
    assert parsed(name).envs["SERVING_CACHE_DIR"] == "/var/cache/serving"  # kernels: inductor/
    assert any("chmod 1777 /var/cache/serving" in run for run in values(name, "RUN"))


def test_gpu_image_asks_the_nvidia_runtime_for_the_gpus() -> None:
    envs = parsed("Dockerfile.gpu").envs
    assert envs["NVIDIA_VISIBLE_DEVICES"] == "all"
    assert envs["NVIDIA_DRIVER_CAPABILITIES"] == "compute,utility"


def test_graviton_image_has_the_arm_defaults_and_an_arch_guard() -> None:
    envs = parsed("Dockerfile.graviton").envs
    assert envs["DNNL_DEFAULT_FPMATH_MODE"] == "BF16"
    assert envs["LRU_CACHE_CAPACITY"] == "1024"
    assert envs["THP_MEM_ALLOC_ENABLE"] == "1"
    assert envs["LD_PRELOAD"] == "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2"
    assert "libjemalloc2" in apt_packages("Dockerfile.graviton", "runtime")
    first_run = values("Dockerfile.graviton", "RUN", "builder")[0]
    assert '[ "$arch" = aarch64 ]' in first_run and "exit 1" in first_run
    assert "OMP_NUM_THREADS" not in envs  # the runtime sets it from cores / workers
