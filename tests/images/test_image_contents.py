"""What the images hold, read inside them: TorchServe's hardened jar and the netty it runs,
the SBOM, the packages of AWS's images (torchvision paired with torch), and the Graviton
image's arm builds. ``make test-images`` runs them beside test_images.py."""

from __future__ import annotations

import json

import pytest

from tests.images.conftest import refused_build, run_in, stage_cpu_torch
from tests.images.engine import Engine

pytestmark = pytest.mark.images


HARDENED_SCRIPT = """
import json, zipfile
from serving.engines.torchserve import frontend_jar
jar = frontend_jar.installed_jar()
names = zipfile.ZipFile(jar).namelist()
print(json.dumps({
    "marker": frontend_jar.read_marker(jar) is not None,
    "netty": sum(n.startswith("io/netty/") for n in names),
    "groovy": sum(n.startswith(("groovy/", "org/codehaus/groovy/")) for n in names),
    "grpc_netty": sum(n.startswith("io/grpc/netty/") for n in names),
    "epoll_jni": sorted(n for n in names if "native_epoll" in n),
}))
"""


def test_the_frontend_jar_is_hardened_and_groovy_is_gone(
    engine: Engine, image: tuple[str, str]
) -> None:
    kind, _ = image
    found = json.loads(run_in(engine, image, "python", "-c", HARDENED_SCRIPT))
    assert found["marker"] and found["netty"] == found["groovy"] == found["grpc_netty"] == 0
    arch = "aarch_64" if kind == "graviton" else "x86_64"
    assert f"META-INF/native/libnetty_transport_native_epoll_{arch}.so" in found["epoll_jni"]
    # Nowhere else in the image either (a second copy of TorchServe's jar, groovy's jars).
    search = "find / -xdev \\( -name 'groovy*.jar' -o -name 'model-server*.jar' \\) -print"
    assert run_in(engine, image, "sh", "-c", search).split() == [
        "/opt/venv/lib/python3.11/site-packages/ts/frontend/model-server.jar"
    ]


SBOM = "/usr/share/doc/serving/sbom.cdx.json"  # documented in docs/security.md
SBOM_SCRIPT = f"""
import json, subprocess
from importlib import metadata
from serving.engines.torchserve import frontend_jar
document = json.load(open({SBOM!r}))
listed = document["components"]
def named(kind, lower=False):
    return sorted((c["name"].lower() if lower else c["name"]) + " " + c["version"]
                  for c in listed if c["purl"].startswith(kind))
dpkg = subprocess.run(
    ["dpkg-query", "-W", "-f", "${{db:Status-Status}} ${{Package}} ${{Version}}\\n"],
    capture_output=True, text=True, check=True,
).stdout.split("\\n")
print(json.dumps({{
    "format": [document["bomFormat"], document["specVersion"]],
    "deb": named("pkg:deb/"),
    "dpkg": sorted(line.split(" ", 1)[1] for line in dpkg if line.startswith("installed ")),
    "pypi": named("pkg:pypi/", lower=True),
    "venv": sorted(d.metadata["Name"].lower() + " " + d.version for d in metadata.distributions()),
    "maven": [[c["group"], c["name"], c["version"], c["properties"][0]["value"]]
              for c in listed if c["purl"].startswith("pkg:maven/")],
    "classpath": [str(p) for p in frontend_jar.library_jars(frontend_jar.installed_jar())[0]],
}}))
"""


def test_the_sbom_lists_what_the_image_holds(engine: Engine, image: tuple[str, str]) -> None:
    found = json.loads(run_in(engine, image, "python", "-c", SBOM_SCRIPT))
    assert found["format"] == ["CycloneDX", "1.5"]
    assert found["deb"] == found["dpkg"] and len(found["deb"]) > 100
    assert found["pypi"] == sorted(set(found["venv"]))
    assert any(entry.startswith("torch ") for entry in found["pypi"])
    maven = [tuple(entry) for entry in found["maven"]]  # (group, name, version, where)
    # The replacements, each the jar on the classpath, with Debian's version ...
    replacements = [entry for entry in maven if not entry[3].endswith("(embedded)")]
    assert len(replacements) == len(found["classpath"])
    assert ("io.netty", "netty-codec-http", "4.1.48.Final") in {e[:3] for e in replacements}
    assert all(entry[3].startswith("/usr/share/java/") for entry in replacements)
    # ... and what TorchServe's jar still embeds, which scanners cannot see (the epoll JNI
    # library too, beside Debian's netty-transport-native-epoll classes).
    embedded = {entry[:3] for entry in maven if entry[3].endswith("(embedded)")}
    assert ("io.grpc", "grpc-api", "1.50.0") in embedded
    assert ("org.apache.logging.log4j", "log4j-core", "2.17.1") in embedded
    assert ("io.netty", "netty-transport-native-epoll", "4.1.53.Final") in embedded
    assert not any("groovy" in entry[1] for entry in maven)


def test_awss_sagemaker_inference_package_is_importable(
    engine: Engine, image: tuple[str, str]
) -> None:
    # Scripts written for AWS's PyTorch containers import it without listing it.
    script = (
        "from sagemaker_inference import content_types, decoder, encoder, errors, utils; "
        "print(encoder.encode(decoder.decode('1,2', content_types.CSV), content_types.JSON))"
    )
    assert run_in(engine, image, "python", "-c", script).strip() == "[1, 2]"


# The runtime only: no lab package, no bench or tune beside the runtime's modules, no
# plugin commands, and `serving bench` says where it lives instead of a usage error.
NO_LAB_SCRIPT = """
import contextlib, importlib.util, io, json, pathlib, serving, serving.cli as cli
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    try:
        status = cli.main(["bench", "--help"], {})
    except SystemExit as exit:  # argparse's --help, where the lab is installed
        status = exit.code
root = pathlib.Path(serving.__file__).parent
print(json.dumps({
    "lab": importlib.util.find_spec("serving_lab") is not None,
    "beside": sorted(p.name for p in root.iterdir() if p.name in ("bench", "tune")),
    "plugins": sorted(cli.plugin_commands()),
    "status": status, "hint": "pip install ./lab" in err.getvalue(),
}))
"""


def test_the_image_carries_the_runtime_without_the_lab(
    engine: Engine, image: tuple[str, str]
) -> None:
    found = json.loads(run_in(engine, image, "python", "-c", NO_LAB_SCRIPT))
    assert found == {"lab": False, "beside": [], "plugins": [], "status": 2, "hint": True}


# What AWS's PyTorch images carry and scripts import without a requirements.txt (the dlc
# extra, plus what the runtime brings), each used, not only imported.
DLC_SCRIPT = """
import io, boto3, numpy, pandas, requests, scipy.sparse, six, sklearn.linear_model, tqdm
import pkg_resources  # older scripts' (setuptools 81, as AWS's images pin below 82)
from PIL import Image
frame = pandas.read_csv(io.StringIO("a,b\\n1,2\\n3,4"))
fit = sklearn.linear_model.LinearRegression().fit(frame[["a"]], frame["b"])
image = Image.fromarray(numpy.zeros((2, 3), dtype=numpy.uint8))
print(int(frame["b"].sum()), round(float(fit.coef_[0]), 3), image.size,
      scipy.sparse.eye(3).nnz, six.PY3, boto3.session.Session is not None,
      requests.Request("GET", "http://x").method, len(list(tqdm.tqdm(range(3), disable=True))))
"""


def test_the_packages_of_awss_images_are_there(engine: Engine, image: tuple[str, str]) -> None:
    assert run_in(engine, image, "python", "-c", DLC_SCRIPT).split() == [
        "6",
        "1.0",
        "(3,",
        "2)",
        "3",
        "True",
        "True",
        "GET",
        "3",
    ]


def test_graviton_torchvision_is_the_one_built_for_its_torch(
    engine: Engine, graviton_image: str
) -> None:
    script = (
        "import torch, torchvision; from torchvision import models, ops, transforms; "
        "boxes = torch.tensor([[0, 0, 2, 2], [0, 0, 2, 1.9], [5, 5, 6, 6]]); "
        "keep = ops.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5).tolist(); "
        "net = models.resnet18(weights=None).eval(); "
        "x = transforms.Normalize([0.5] * 3, [0.5] * 3)(torch.zeros(1, 3, 32, 32)); "
        "print(torchvision.__version__, keep, tuple(net(x).shape))"
    )
    stdout = run_in(engine, ("graviton", graviton_image), "python", "-c", script)
    assert stdout.strip() == "0.25.0 [0, 2] (1, 1000)"


def test_a_mismatched_torchvision_fails_the_build(engine: Engine, gpu_image: str) -> None:
    # PyPI's torchvision 0.28.0 (the CUDA build) beside the CPU torch: refused at build time,
    # not at a user's first `import torchvision`.
    output = refused_build(
        engine,
        "Dockerfile.gpu",
        "serving:mismatched-torchvision",
        f"--build-arg=TORCH_SPEC={stage_cpu_torch()}",
    )
    assert "torchvision==0.28.0 does not import beside torch==2.13.0+cpu" in output


def test_graviton_torch_is_the_arm_cpu_build_with_jemalloc(
    engine: Engine, graviton_image: str
) -> None:
    script = (
        "import platform, torch; "
        "print(platform.machine(), torch.__version__, torch.version.cuda, "
        "torch.backends.mkldnn.is_available(), 'libjemalloc' in open('/proc/self/maps').read())"
    )
    stdout = run_in(engine, ("graviton", graviton_image), "python", "-c", script)
    assert stdout.split() == ["aarch64", "2.10.0+cpu", "None", "True", "True"]
