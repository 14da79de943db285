"""Fixtures that build the two images with a private Docker engine (``make test-images``).

Where the machine refuses (dockerd cannot start, no binfmt_misc for arm64), the tests
that need it are skipped and the run ends with a loud ``SKIPPED: <reason>`` line; a
missing install step or a failing build is a failure, never a skip.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.images import engine as docker
from tests.images.engine import Engine, Refused

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "image-cache"  # debootstrap'd bases, kept between local runs
DIGITS = REPO / "model_store" / "digits"
SENTIMENT = REPO / "model_store" / "sentiment"
# Wheels the x86 image can install: Debian bookworm's CPython 3.11 on glibc 2.36.
X86_IMAGE_WHEELS = [
    "--python-version=3.11",
    *(f"--platform={tag}_x86_64" for tag in ("manylinux_2_28", "manylinux_2_27", "manylinux_2_17")),
    "--platform=manylinux2014_x86_64",
]
# CPU torch for Dockerfile.gpu: the CUDA wheel is several GB and there is no GPU here.
CPU_TORCH = "torch==2.13.0+cpu"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

_refusals: list[str] = []
_sizes: dict[str, tuple[int, int]] = {}


def refuse(reason: str) -> None:
    """Skip, and remember the reason for the loud summary at the end of the run."""
    _refusals.append(reason)
    print(f"SKIPPED: {reason}", file=sys.stderr, flush=True)
    pytest.skip(reason)


# What the packages of AWS's images (the dlc extra, torchvision and what only they need)
# take in the venv, for the summary.
DLC_DIRS = (
    "pandas pandas.libs sklearn scikit_learn.libs joblib threadpoolctl.py narwhals "
    "torchvision torchvision.libs requests tqdm certifi charset_normalizer idna"
)


def report_size(engine: Engine, tag: str, platform: str = "linux/amd64") -> None:
    """Remember an image's size, and its dlc packages' share, for the run's summary."""
    size = engine.run(["image", "inspect", "--format", "{{.Size}}", tag]).stdout.strip()
    du = (
        "cd /opt/venv/lib/python3.11/site-packages && "
        f"du -sck $(ls -d {DLC_DIRS} 2>/dev/null) | tail -1"
    )
    dlc = engine.run(["run", "--rm", f"--platform={platform}", tag, "sh", "-c", du])
    _sizes[tag] = (int(size), int(dlc.stdout.split()[0]) * 1024)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for tag, (size, dlc) in _sizes.items():
        terminalreporter.write_line(
            f"image {tag}: {size / 1e6:,.0f} MB, of which AWS's packages {dlc / 1e6:,.0f} MB"
        )
    if _refusals:
        terminalreporter.section("NOT CHECKED: the machine refused", sep="!", red=True, bold=True)
        for reason in dict.fromkeys(_refusals):
            terminalreporter.write_line(f"SKIPPED: {reason}", red=True, bold=True)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """dockerd under a temporary data root, stopped by PID at the end of the session."""
    root = tmp_path_factory.mktemp("docker")
    try:
        with docker.docker_engine(root) as running:
            yield running
    except Refused as error:
        refuse(str(error))


def build(
    engine: Engine, dockerfile: str, tag: str, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``docker build`` of a repo Dockerfile with BuildKit, PyPI reached through the host's
    CA bundle as a build secret (mounted for the pip steps only, never stored)."""
    secret = ["--secret", f"id=pip_ca,src={HOST_CA_BUNDLE}"] if HOST_CA_BUNDLE.exists() else []
    return engine.run(
        [
            "build",
            "--network=host",  # the builder's own bridge network does not exist here
            "--progress=plain",
            "-f",
            dockerfile,
            "-t",
            tag,
            *secret,
            *args,
            str(REPO),
        ],
        timeout_s=1800,
        check=check,
        env_extra={"DOCKER_BUILDKIT": "1"},
    )


def stage_cpu_torch() -> str:
    """Put the CPU torch wheel into wheelhouse/ (pip finds it in this machine's wheel
    cache, or downloads it); returns the TORCH_SPEC build argument that selects it."""
    wheelhouse = REPO / "wheelhouse"
    if not list(wheelhouse.glob("torch-2.13.0+cpu-*.whl")):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(wheelhouse),
                CPU_TORCH,
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
    return CPU_TORCH


@pytest.fixture(scope="session")
def gpu_image(engine: Engine) -> str:
    """Dockerfile.gpu built on the stand-in bookworm, with CPU torch."""
    base = docker.load_base_image(engine, "amd64", CACHE)
    tag = "serving:gpu-test"
    build(
        engine,
        "Dockerfile.gpu",
        tag,
        f"--build-arg=BASE_IMAGE={base}",
        f"--build-arg=TORCH_SPEC={stage_cpu_torch()}",
        # PyPI's torchvision 0.28.0 is the CUDA build, which does not import beside a CPU
        # torch, and no CPU torchvision is reachable here: this image goes without it (the
        # arm64 image proves the pairing; test_a_mismatched_torchvision_fails_the_build).
        "--build-arg=TORCHVISION_SPEC=",
    )
    report_size(engine, tag)
    return tag


@pytest.fixture(scope="session")
def graviton_image(engine: Engine) -> str:
    """Dockerfile.graviton built for arm64 under qemu, with PyPI's aarch64 CPU torch."""
    try:
        docker.arm64_emulation()
    except Refused as error:
        refuse(f"arm64 image not built or run: {error}")
    base = docker.load_base_image(engine, "arm64", CACHE)
    tag = "serving:graviton-test"
    build(
        engine,
        "Dockerfile.graviton",
        tag,
        "--platform=linux/arm64",
        f"--build-arg=BASE_IMAGE={base}",
    )
    report_size(engine, tag, "linux/arm64")
    return tag


# Each image kind and the platform it runs on (arm64 under qemu).
PLATFORMS = {"gpu": "linux/amd64", "graviton": "linux/arm64"}


@pytest.fixture(params=list(PLATFORMS))
def image(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(kind, tag) for each image; built on first use."""
    return request.param, request.getfixturevalue(f"{request.param}_image")


def run_in(engine: Engine, image: tuple[str, str], *command: str) -> str:
    """``docker run --rm IMAGE COMMAND`` on the image's platform; its stdout."""
    kind, tag = image
    return engine.run(
        ["run", "--rm", f"--platform={PLATFORMS[kind]}", tag, *command], timeout_s=300
    ).stdout


def refused_build(engine: Engine, dockerfile: str, tag: str, *args: str) -> str:
    """A build on the x86 base that must fail; its output."""
    base = "localhost/bookworm-base:amd64"  # loaded by the gpu_image fixture
    result = build(engine, dockerfile, tag, f"--build-arg=BASE_IMAGE={base}", *args, check=False)
    assert result.returncode != 0
    return result.stdout + result.stderr


def package_and_extract(model_dir: Path, root: Path, *flags: str) -> Path:
    """`serving package`, then extracted as SageMaker extracts model.tar.gz into
    /opt/ml/model; returns the extracted directory."""
    from serving.cli import main

    archive = root / "model.tar.gz"
    assert main(["package", str(model_dir), "-o", str(archive), *flags], {}) == 0
    extracted = root / "model"
    with tarfile.open(archive) as tar:
        tar.extractall(extracted, filter="data")
    extracted.chmod(0o755)  # readable by a container's non-root user too
    return extracted


@pytest.fixture(scope="session")
def packaged_digits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default example, packaged and extracted."""
    if not (DIGITS / "model.pth").exists():
        subprocess.run([sys.executable, str(DIGITS / "train.py")], check=True, timeout=300)
    return package_and_extract(DIGITS, tmp_path_factory.mktemp("packaged"))


@pytest.fixture(scope="session")
def packaged_sentiment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sentiment example, packaged and extracted."""
    if not (SENTIMENT / "model.safetensors").exists():
        subprocess.run([sys.executable, str(SENTIMENT / "train.py")], check=True, timeout=300)
    return package_and_extract(SENTIMENT, tmp_path_factory.mktemp("packaged-sentiment"))


@pytest.fixture(scope="session")
def sentiment_wheels() -> Path:
    """A wheelhouse for the sentiment example's ``code/requirements.txt``, fetched here
    from the package index: the test's containers have no network, so they install from
    it (``PIP_FIND_LINKS``, ``PIP_NO_INDEX``) as a network-isolated endpoint would."""
    wheels = REPO / "build" / "wheelhouse-sentiment"  # kept between local runs
    requirements = SENTIMENT / "code" / "requirements.txt"
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    command += [
        "--only-binary=:all:",
        *X86_IMAGE_WHEELS,
        "-r",
        str(requirements),
        "-d",
        str(wheels),
    ]
    subprocess.run(command, check=True, timeout=600)
    return wheels
