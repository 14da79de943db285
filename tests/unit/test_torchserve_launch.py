"""TorchServe's launch plan, by value: no Java, no TorchServe, no free ports needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from serving.config.schema import Config
from serving.engine import LoadWatch, engine_class
from serving.engines.torchserve.launch import TorchServe, ports_for
from serving.worker_spec import WorkerSpec
from tests.support.plans import FREE_PORTS, INSTALLATION, ROOT, host, model_config, plan, properties

TWO_MODELS: dict[str, Any] = {
    "server": {"port": 9001, "workers": 2},
    "models": [
        {"name": "a", "model_dir": "/models/a", "startup_timeout_s": 100},
        {"name": "b", "model_dir": "/models/b", "workers": 3, "startup_timeout_s": 700},
    ],
}


def config_of(document: dict[str, Any]) -> Config:
    """As built by start-up, where the model directory is always filled in."""
    return Config.model_validate({"models": [{"model_dir": "/m"}], **document})


def test_the_engine_is_looked_up_by_its_name_in_the_config() -> None:
    assert config_of({}).server.engine == "torchserve"
    assert engine_class("torchserve") is TorchServe


def test_plan_writes_every_file_torchserve_reads_and_nothing_else() -> None:
    launch = plan(config_of(TWO_MODELS))
    assert sorted(launch.files) == [
        "config.properties",
        "log4j2.xml",
        "model-store/a/MAR-INF/MANIFEST.json",
        "model-store/a/model-config.yaml",
        "model-store/b/MAR-INF/MANIFEST.json",
        "model-store/b/model-config.yaml",
    ]
    # java.io.tmpdir (the workers' sockets), the model store (where a multi-model
    # endpoint adds models), and the plugin's per-model ready files.
    assert launch.directories == ("tmp", "model-store", "ready")
    assert launch.upstream.flags == ROOT / "ready"


def test_plan_command_starts_the_frontend_from_the_runtime_directory() -> None:
    engine = plan(config_of({"server": {"torchserve": {"java_heap_mb": 2048}}})).child
    command = engine.command
    assert engine.name == "TorchServe"
    assert command[0] == INSTALLATION.java
    assert "-Xmx2048m" in command
    assert f"-Djava.io.tmpdir={ROOT}/tmp" in command
    assert command[command.index("-f") + 1] == f"{ROOT}/config.properties"
    assert command[command.index("-s") + 1] == f"{ROOT}/model-store"
    assert command[command.index("--python") + 1] == "/venv/bin/python"


def test_plan_ready_url_and_timeout_follow_the_slowest_model() -> None:
    launch = plan(config_of(TWO_MODELS))
    assert launch.ready_url == "http://127.0.0.1:9001/ping"
    assert launch.ready_timeout_s == 700 + 30
    local = plan(config_of({"server": {"host": "127.0.0.2", "port": 8090}}))
    assert local.ready_url == "http://127.0.0.2:8090/ping"


def test_plan_environment_sizes_threads_and_reaches_the_handler() -> None:
    environ = {"PATH": "/usr/bin", "PYTHONPATH": "/user/lib"}
    # 2 + 3 workers on 16 cores, one core left to the frontend: 3 threads each.
    env = plan(config_of(TWO_MODELS), environ, cpus=16).child.environment
    assert (env["OMP_NUM_THREADS"], env["MKL_NUM_THREADS"]) == ("3", "3")
    assert env["PYTHONPATH"] == f"{INSTALLATION.python_path}:/user/lib"
    assert env["PATH"] == "/usr/bin"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["LOG_LOCATION"] == env["METRICS_LOCATION"] == f"{ROOT}/logs"
    mine = plan(config_of(TWO_MODELS), {"OMP_NUM_THREADS": "7"}, cpus=16).child.environment
    assert mine["OMP_NUM_THREADS"] == "7"  # the user's own setting is kept


def test_plan_is_pure_the_same_inputs_give_the_same_launch() -> None:
    config = config_of(TWO_MODELS)
    assert plan(config, {"A": "1"}) == plan(config, {"A": "1"})
    assert plan(config, {"A": "1"}) != plan(config, {"A": "2"})


def test_private_ports_are_the_yamls_else_the_free_ones() -> None:
    config = config_of({"server": {"torchserve": {"management_port": 7001, "metrics_port": 7002}}})
    launch = plan(config)
    props = properties(launch.files["config.properties"])
    assert props["management_address"] == "http://127.0.0.1:7001"
    assert props["metrics_address"] == "http://127.0.0.1:7002"
    assert props["grpc_inference_port"] == str(FREE_PORTS[2])
    assert props["initial_worker_port"] == str(FREE_PORTS[4])
    defaults = properties(plan(config_of({})).files["config.properties"])
    assert defaults["management_address"] == f"unix:{ROOT}/management.sock"
    assert defaults["inference_address"] == f"unix:{ROOT}/inference.sock"
    assert (
        launch.upstream.address == f"unix:{ROOT}/inference.sock"
    )  # where the front sends requests


def test_too_few_free_ports_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="needs 5 free ports, got 2"):
        ports_for(config_of({}), (1, 2))


def test_each_model_config_carries_the_workers_spec(tmp_path: Path) -> None:
    config = config_of(
        {
            "models": [
                {
                    "name": "a",
                    "model_dir": str(tmp_path),
                    "batch_size": 4,
                    "compile": {"enabled": True, "warmup": {"shape": [3]}},
                }
            ]
        }
    )
    environ = {"SERVING_CACHE_DIR": "/var/cache/serving", "SERVING_REPORT_DIR": "/reports"}
    spec = WorkerSpec.from_dict(model_config(plan(config, environ), "a")["serving"])
    assert spec.model_dir == tmp_path and spec.batch_size == 4
    assert spec.compile is not None
    assert spec.compile.batch_sizes == (1, 2, 4)
    assert spec.compile.cache_dir == Path("/var/cache/serving/inductor")
    assert spec.report_dir == Path("/reports")


def test_workers_report_their_loads_where_serve_watches_them() -> None:
    document = {**TWO_MODELS, "models": [{**TWO_MODELS["models"][0], "load_attempts": 5}]}
    launch = plan(config_of(document))
    assert launch.loads == LoadWatch(ROOT / "load-reports", {"a": 5})  # private to this server
    spec = WorkerSpec.from_dict(model_config(launch, "a")["serving"])
    assert spec.report_dir == ROOT / "load-reports"
    chosen = plan(config_of(TWO_MODELS), {"SERVING_REPORT_DIR": "/reports"})
    assert chosen.loads == LoadWatch(Path("/reports"), {"a": 3, "b": 3})  # the default


def test_describe_shows_what_the_plan_writes() -> None:
    config = config_of(TWO_MODELS)
    text = TorchServe.describe(config, host())
    assert "# config.properties. <runtime dir> is a fresh private directory per start; the" in (
        text.splitlines()
    )
    assert "model_store=<runtime dir>/model-store" in text
    assert "# model-config.yaml of model 'a'" in text
    assert "# model-config.yaml of model 'b'" in text
    assert "minWorkers: 3" in text


def test_with_a_secret_every_listener_asks_for_it_and_only_the_front_and_workers_have_it() -> None:
    from dataclasses import replace

    from serving.front.nginx import plan_front

    config = config_of({})
    keyed = replace(host(), secret="s3cret-key")
    launch = TorchServe(INSTALLATION).plan(config, keyed, ROOT)
    props = properties(launch.files["config.properties"])
    # Token authorization on (TorchServe's gRPC listeners cannot be turned off), with
    # serve's key, which the plugin installs as every key (PrivateKeys.java).
    assert props["disable_token_authorization"] == "false"
    assert props["serving_token"] == "s3cret-key"
    assert launch.child.environment["SERVING_TORCHSERVE_TOKEN"] == "s3cret-key"
    assert launch.upstream.authorization == "Bearer s3cret-key"
    front = plan_front(config, launch.upstream, None, keyed, "/usr/sbin/nginx", ROOT)
    conf = front.files["nginx.conf"]
    assert "proxy_set_header Authorization 'Bearer s3cret-key';" in conf
    # The client's own Authorization goes under another name (the worker restores it).
    assert "proxy_set_header X-Serving-Client-Authorization $http_authorization;" in conf
    assert "s3cret-key" not in repr(keyed)  # never in a log line
    # No secret (a plan made for reading): no token asked for, none written.
    bare = plan(config)
    assert properties(bare.files["config.properties"])["disable_token_authorization"] == "true"
    assert "serving_token" not in bare.files["config.properties"]
