"""Multi-model endpoints through the real server: SageMaker's container contract for
them (load, list, describe, invoke, unload), each model with its own hooks and its own
requirements, failures and memory kept to the model that caused them."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serving import process
from serving.net import Reply, free_port, request
from tests.support.servers import Server, ping_ok, running
from tests.support.wheels import make_wheel

# One script for every test model, told apart by the ANSWER its copy is written with.
# Each writes its worker's pid into its directory: the tests look for the process.
SCRIPT = """
import json
import os

ANSWER = {answer!r}


def model_fn(model_dir):
    with open(os.path.join(model_dir, "worker.pid"), "w") as out:
        out.write(str(os.getpid()))
    {load}
    return ANSWER


def input_fn(body, content_type, context):
    return json.loads(body)


def predict_fn(data, model, context):
    {predict}
    return {{
        "answer": model,
        "input": data,
        "target_model": context.target_model,
        "custom_attributes": context.custom_attributes,
    }}


def output_fn(prediction, accept, context):
    return json.dumps(prediction), "application/json"
"""


def write_model(
    root: Path,
    name: str,
    answer: str,
    load: str = "pass",
    predict: str = "pass",
    requirements: str | None = None,
) -> Path:
    """A SageMaker model directory whose code/inference.py answers ``answer``."""
    directory = root / name
    (directory / "code").mkdir(parents=True)
    script = SCRIPT.format(answer=answer, load=load, predict=predict)
    (directory / "code" / "inference.py").write_text(script)
    if requirements is not None:
        (directory / "code" / "requirements.txt").write_text(requirements)
    return directory


def load(server: Server, name: str, url: Path | str) -> Reply:
    body = json.dumps({"model_name": name, "url": str(url)}).encode()
    return request(server.url + "/models", body, {"Content-Type": "application/json"}, timeout=120)


def invoke(server: Server, name: str, payload: Any = 1, **headers: str) -> Reply:
    return server.invoke(
        json.dumps(payload).encode(), "application/json", None, f"/models/{name}/invoke", **headers
    )


def unload(server: Server, name: str) -> Reply:
    return request(f"{server.url}/models/{name}", method="DELETE", timeout=180)


def body(reply: Reply) -> Any:
    return json.loads(reply.body)


def pid_alive(pid: int) -> bool:
    return process.running(pid)  # a zombie, dead but not yet reaped, is not alive


@contextlib.contextmanager
def multi_model_server(root: Path, **env: str) -> Iterator[Server]:
    """``serve`` as SageMaker starts a multi-model endpoint: no model, no YAML."""
    port = free_port()
    environ = {
        "SAGEMAKER_MULTI_MODEL": "true",
        "SAGEMAKER_BIND_TO_PORT": str(port),
        "SAGEMAKER_BASE_DIR": str(root / "ml"),  # /opt/ml/model is not there
        **env,
    }
    with running(["serve"], environ, port, root / "server.log", ready=ping_ok) as server:
        yield server


@pytest.fixture(scope="module")
def shared_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with multi_model_server(tmp_path_factory.mktemp("mme")) as server:
        yield server


@pytest.fixture
def endpoint(shared_endpoint: Server) -> Iterator[Server]:
    """The module's endpoint, left with no model whatever the test asserted, so that
    the next test starts from an empty one."""
    try:
        yield shared_endpoint
    finally:
        for model in body(request(shared_endpoint.url + "/models"))["models"]:
            unload(shared_endpoint, model["modelName"])


def test_an_endpoint_is_ready_with_no_model_and_lists_none(endpoint: Server) -> None:
    assert request(endpoint.url + "/ping").status == 200
    assert body(request(endpoint.url + "/models")) == {"models": []}
    reply = request(endpoint.url + "/invocations", b"1", {"Content-Type": "application/json"})
    assert reply.status == 404 and "/models/{name}/invoke" in body(reply)["message"]


def test_the_life_cycle_of_two_models(endpoint: Server, tmp_path: Path) -> None:
    # Both scripts are code/inference.py; each model runs its own.
    first = write_model(tmp_path, "first", "one")
    second = write_model(tmp_path, "second", "two")
    # SageMaker names models after their artifacts: dots are fine.
    assert load(endpoint, "first.tar.gz", first).status == 200
    assert load(endpoint, "second", second).status == 200
    again = load(endpoint, "second", first)
    assert again.status == 409 and body(again)["type"] == "ModelAlreadyLoaded"

    reply = invoke(
        endpoint,
        "first.tar.gz",
        [1, 2],
        **{
            "X-Amzn-SageMaker-Target-Model": "prefix/first.tar.gz",
            "X-Amzn-SageMaker-Custom-Attributes": "trace=7",
        },
    )
    assert reply.status == 200
    assert body(reply) == {
        "answer": "one",
        "input": [1, 2],
        "target_model": "prefix/first.tar.gz",
        "custom_attributes": "trace=7",
    }
    assert body(invoke(endpoint, "second"))["answer"] == "two"

    # Pages of one, by name, with the token of the page before.
    page = body(request(endpoint.url + "/models?max_results=1"))
    assert page["models"] == [{"modelName": "first.tar.gz", "modelUrl": str(first)}]
    token = page["nextPageToken"]
    page = body(request(f"{endpoint.url}/models?max_results=1&next_page_token={token}"))
    assert page == {"models": [{"modelName": "second", "modelUrl": str(second)}]}
    assert body(request(endpoint.url + "/models"))["models"] == [
        {"modelName": "first.tar.gz", "modelUrl": str(first)},
        {"modelName": "second", "modelUrl": str(second)},
    ]
    assert request(endpoint.url + "/models?max_results=0").status == 400

    described = request(endpoint.url + "/models/second")
    assert body(described) == {"modelName": "second", "modelUrl": str(second)}

    # Unloading stops the model's worker before it answers; the other model serves on.
    worker = int((first / "worker.pid").read_text())
    assert pid_alive(worker)
    assert unload(endpoint, "first.tar.gz").status == 200
    assert not pid_alive(worker)
    gone = invoke(endpoint, "first.tar.gz")
    assert gone.status == 404 and body(gone)["type"] == "ModelNotLoaded"
    assert request(endpoint.url + "/models/first.tar.gz").status == 404
    assert unload(endpoint, "first.tar.gz").status == 404
    assert body(invoke(endpoint, "second"))["answer"] == "two"
    # ... and the name can be loaded again, from another directory.
    assert load(endpoint, "first.tar.gz", second).status == 200
    assert body(invoke(endpoint, "first.tar.gz"))["answer"] == "two"
    for name in ("first.tar.gz", "second"):
        assert unload(endpoint, name).status == 200


def test_each_model_gets_its_own_requirements(endpoint: Server, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    old = make_wheel(wheels, "serving_pin_probe", "VERSION = '1.0'\n", version="1.0")
    new = make_wheel(wheels, "serving_pin_probe", "VERSION = '2.0'\n", version="2.0")
    answer = "import serving_pin_probe; data = serving_pin_probe.VERSION"
    for name, wheel in (("pinned-old", old), ("pinned-new", new)):
        directory = write_model(tmp_path, name, name, predict=answer, requirements=f"{wheel}\n")
        assert load(endpoint, name, directory).status == 200
    assert body(invoke(endpoint, "pinned-old"))["input"] == "1.0"
    assert body(invoke(endpoint, "pinned-new"))["input"] == "2.0"
    # Installed for those models alone, not into the serving environment.
    assert importlib.util.find_spec("serving_pin_probe") is None
    for name in ("pinned-old", "pinned-new"):
        assert unload(endpoint, name).status == 200


def test_a_model_that_fails_to_load_leaves_the_others_serving(
    endpoint: Server, tmp_path: Path
) -> None:
    working = write_model(tmp_path, "working", "fine")
    assert load(endpoint, "working", working).status == 200
    broken = write_model(tmp_path, "broken", "never", load="raise ValueError('corrupt')")
    reply = load(endpoint, "broken", broken)
    assert reply.status == 500
    assert body(reply)["type"] == "ModelLoadError"
    assert "ValueError" in body(reply)["message"] and "corrupt" not in body(reply)["message"]
    assert [m["modelName"] for m in body(request(endpoint.url + "/models"))["models"]] == [
        "working"
    ]
    assert invoke(endpoint, "broken").status == 404
    assert body(invoke(endpoint, "working"))["answer"] == "fine"
    # Not left half-loaded: the same name loads once its model is fixed.
    fixed = write_model(tmp_path, "fixed", "repaired")
    assert load(endpoint, "broken", fixed).status == 200
    assert body(invoke(endpoint, "broken"))["answer"] == "repaired"
    # A directory that is not a model is refused before anything starts.
    reply = load(endpoint, "empty", tmp_path / "wheels-that-do-not-exist")
    assert reply.status == 400 and "is not a directory" in body(reply)["message"]
    for name in ("working", "broken"):
        assert unload(endpoint, name).status == 200


def test_loading_a_model_holds_up_no_other(endpoint: Server, tmp_path: Path) -> None:
    quick = write_model(tmp_path, "quick", "quick")
    assert load(endpoint, "quick", quick).status == 200
    slow = write_model(tmp_path, "slow", "slow", load="import time; time.sleep(4)")
    loaded: list[Reply] = []
    loader = threading.Thread(target=lambda: loaded.append(load(endpoint, "slow", slow)))
    loader.start()
    try:
        # Wait (bounded) until the slow model's worker is in model_fn.
        deadline = time.monotonic() + 60
        while not (slow / "worker.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (slow / "worker.pid").exists()
        answers = [invoke(endpoint, "quick") for _ in range(5)]
        assert [a.status for a in answers] == [200] * 5
        assert loader.is_alive()  # answered while the other model was still loading
        assert invoke(endpoint, "slow").status == 404  # not loaded until its load answers
    finally:
        loader.join(timeout=120)
    assert [r.status for r in loaded] == [200]
    assert body(invoke(endpoint, "slow"))["answer"] == "slow"
    for name in ("quick", "slow"):
        assert unload(endpoint, name).status == 200


def test_a_model_that_would_not_fit_is_a_507_before_it_loads(tmp_path: Path) -> None:
    # Room for one worker (about 220 MiB estimated each) and not two.
    with multi_model_server(tmp_path, SERVING_MEMORY_LIMIT_MB="300") as server:
        first = write_model(tmp_path, "first", "one")
        second = write_model(tmp_path, "second", "two")
        assert load(server, "first", first).status == 200
        refused = load(server, "second", second)
        assert refused.status == 507
        assert body(refused)["type"] == "InsufficientMemory"
        assert not (second / "worker.pid").exists()  # decided before any worker started
        assert body(invoke(server, "first"))["answer"] == "one"
        # SageMaker then unloads a model and tries again.
        assert unload(server, "first").status == 200
        assert load(server, "second", second).status == 200
        assert body(invoke(server, "second"))["answer"] == "two"
