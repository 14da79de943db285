"""SAGEMAKER_* variables: names and units as the AWS toolkits, and where each one lands
in the TorchServe files that are rendered from the config."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from serving import cli
from serving.config.environment import (
    DEFAULT_BASE_DIR,
    MODEL_VARIABLES,
    SERVER_VARIABLES,
    environment_layers,
    safe_port_range,
)
from serving.config.schema import Config, batch_waits_past_timeout
from serving.errors import ConfigError
from tests.support.plans import model_config, nginx_listen, plan, properties, served


def load(environ: dict[str, str], *argv: str) -> Config:
    return cli.load_config(cli._parser().parse_args(["serve", *argv]), environ)


def rendered(environ: dict[str, str]) -> dict[str, Any]:
    """Everything a server would be started with, keyed by file."""
    config = load(environ)
    launch = served(config, environ)
    return {
        "nginx.conf": {"listen": nginx_listen(launch)},
        "config.properties": properties(launch.files["config.properties"]),
        "model-config.yaml": model_config(launch) if config.models else {},
        "log4j2.xml": {"root": root_level(launch.files["log4j2.xml"])},
        "config": config.model_dump(mode="json"),
    }


def root_level(xml: str) -> str:
    root = ElementTree.fromstring(xml).find("./Loggers/Root")
    assert root is not None
    return root.attrib["level"]


def lookup(document: dict[str, Any], dotted: str) -> Any:
    node: Any = document
    for key in dotted.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


# (variable, value, file, key, expected): the full table of supported variables.
TABLE = [
    (
        "SAGEMAKER_BIND_TO_PORT",
        "9123",
        "nginx.conf",
        "listen",
        "0.0.0.0:9123",
    ),
    ("SAGEMAKER_MODEL_SERVER_WORKERS", "3", "config.properties", "default_workers_per_model", "3"),
    (
        "SAGEMAKER_MODEL_SERVER_WORKERS",
        "3",
        "config.properties",
        "serving_expected_workers",
        "model=3",
    ),
    ("SAGEMAKER_MODEL_SERVER_WORKERS", "3", "model-config.yaml", "minWorkers", 3),
    ("SAGEMAKER_MODEL_SERVER_TIMEOUT", "90", "config.properties", "default_response_timeout", "90"),
    ("SAGEMAKER_MODEL_SERVER_TIMEOUT", "90", "model-config.yaml", "responseTimeout", 90),
    (
        "SAGEMAKER_MAX_PAYLOAD_IN_MB",
        "20",
        "config.properties",
        "max_request_size",
        str(20 * 1048576),
    ),
    ("SAGEMAKER_MAX_PAYLOAD_IN_MB", "20", "config.properties", "serving_max_payload_in_mb", "20"),
    (
        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT",
        "text/csv",
        "model-config.yaml",
        "serving.default_accept",
        "text/csv",
    ),
    (
        "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS",
        "4",
        "config.properties",
        "serving_max_concurrent_transforms",
        "4",
    ),
    (
        "SAGEMAKER_BATCH_STRATEGY",
        "single_record",
        "config.properties",
        "serving_batch_strategy",
        "SINGLE_RECORD",
    ),
    ("SAGEMAKER_CONTAINER_LOG_LEVEL", "10", "log4j2.xml", "root", "debug"),
    ("SAGEMAKER_CONTAINER_LOG_LEVEL", "20", "log4j2.xml", "root", "info"),
    ("SAGEMAKER_CONTAINER_LOG_LEVEL", "30", "log4j2.xml", "root", "warn"),
    ("SAGEMAKER_CONTAINER_LOG_LEVEL", "40", "log4j2.xml", "root", "error"),
    ("SAGEMAKER_CONTAINER_LOG_LEVEL", "warning", "log4j2.xml", "root", "warn"),
    ("SERVING_INSTALL_REQUIREMENTS", "false", "config", "server.install_requirements", False),
    ("SAGEMAKER_MULTI_MODEL", "true", "config", "server.multi_model", True),
    ("SAGEMAKER_MULTI_MODEL", "true", "config", "models", []),
    ("SAGEMAKER_MULTI_MODEL", "true", "config.properties", "enable_model_api", "true"),
    ("SAGEMAKER_MULTI_MODEL", "true", "config.properties", "serving_multi_model", "true"),
    ("SAGEMAKER_MULTI_MODEL", "false", "config.properties", "enable_model_api", "false"),
    ("SERVING_MEMORY_LIMIT_MB", "4096", "config", "server.memory_limit_mb", 4096),
    ("SAGEMAKER_BATCH", "true", "config", "server.batch_transform", True),
    # a transform job's requests wait SageMaker's 600 s by default, not 60 s
    ("SAGEMAKER_BATCH", "true", "config.properties", "default_response_timeout", "600"),
    ("SAGEMAKER_BATCH", "true", "model-config.yaml", "responseTimeout", 600),
    ("SAGEMAKER_PROGRAM", "main.py", "model-config.yaml", "serving.entry_module", "main"),
    ("SAGEMAKER_PROGRAM", "main", "model-config.yaml", "serving.entry_module", "main"),
    ("SAGEMAKER_TS_BATCH_SIZE", "8", "model-config.yaml", "batchSize", 8),
    ("SAGEMAKER_TS_MAX_BATCH_DELAY", "250", "model-config.yaml", "maxBatchDelay", 250),
    ("SAGEMAKER_TS_MIN_WORKERS", "2", "model-config.yaml", "minWorkers", 2),
    ("SAGEMAKER_TS_MIN_WORKERS", "2", "config.properties", "serving_expected_workers", "model=2"),
    ("SAGEMAKER_TS_MAX_WORKERS", "5", "model-config.yaml", "maxWorkers", 5),
    ("SAGEMAKER_TS_RESPONSE_TIMEOUT", "300", "model-config.yaml", "responseTimeout", 300),
    # the per-model timeout leaves the server default alone
    ("SAGEMAKER_TS_RESPONSE_TIMEOUT", "300", "config.properties", "default_response_timeout", "60"),
    ("SAGEMAKER_BASE_DIR", "/data/ml", "model-config.yaml", "serving.model_dir", "/data/ml/model"),
    (
        "SAGEMAKER_BASE_DIR",
        "/data/ml",
        "model-config.yaml",
        "serving.code_dir",
        "/data/ml/model/code",
    ),
]


@pytest.mark.parametrize(("variable", "value", "file", "key", "expected"), TABLE)
def test_variable_lands_in_the_rendered_files(
    variable: str, value: str, file: str, key: str, expected: Any
) -> None:
    environ = {variable: value}
    if variable != "SAGEMAKER_BASE_DIR":
        environ["SAGEMAKER_BASE_DIR"] = "/nonexistent/ml"  # no bundled serving.yaml to read
    assert lookup(rendered(environ)[file], key) == expected


def test_table_covers_every_variable() -> None:
    names = {row[0] for row in TABLE}
    assert names == set(SERVER_VARIABLES) | set(MODEL_VARIABLES) | {"SAGEMAKER_BASE_DIR"}


def test_defaults_without_any_variable() -> None:
    files = rendered({"SAGEMAKER_BASE_DIR": "/nonexistent/ml"})
    props, model = files["config.properties"], files["model-config.yaml"]
    assert files["nginx.conf"]["listen"] == "0.0.0.0:8080"
    assert props["max_request_size"] == str(6 * 1048576)
    assert props["default_response_timeout"] == "60"
    assert props["default_workers_per_model"] == "1"
    assert model["serving"]["default_accept"] == "application/json"
    assert model["serving"]["entry_module"] == "inference"
    assert (model["batchSize"], model["maxBatchDelay"], model["minWorkers"]) == (1, 100, 1)
    assert files["log4j2.xml"]["root"] == "info"
    assert files["config"]["server"]["install_requirements"] is True


def test_default_base_dir_is_opt_ml() -> None:
    assert DEFAULT_BASE_DIR == "/opt/ml"
    layers = environment_layers({})
    assert layers.model_dir == Path("/opt/ml/model")
    assert layers.model_defaults == {"model_dir": "/opt/ml/model"}


@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_variables_count_as_unset(blank: str) -> None:
    every = {
        name: blank
        for name in [
            *SERVER_VARIABLES,
            *MODEL_VARIABLES,
            "SAGEMAKER_BASE_DIR",
            "SAGEMAKER_MULTI_MODEL",
        ]
    }
    layers = environment_layers(every)
    assert layers.server.values == {}
    assert layers.model.values == {}
    assert layers.base_dir == Path("/opt/ml")


def test_values_are_stripped_and_origins_name_the_variable() -> None:
    layers = environment_layers({"SAGEMAKER_TS_BATCH_SIZE": " 8 ", "SAGEMAKER_BIND_TO_PORT": "81"})
    assert layers.model.values == {"batch_size": "8"}
    assert layers.model.origins == {("batch_size",): "SAGEMAKER_TS_BATCH_SIZE=' 8 '"}
    assert layers.server.values == {"server": {"port": "81"}}
    assert layers.server.origins == {("server", "port"): "SAGEMAKER_BIND_TO_PORT='81'"}


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_multi_model_starts_with_no_model(value: str) -> None:
    config = load({"SAGEMAKER_MULTI_MODEL": value, "SAGEMAKER_BASE_DIR": "/nonexistent/ml"})
    assert config.server.multi_model is True and config.models == ()


def test_a_timeout_set_for_a_batch_transform_is_kept() -> None:
    environ = {
        "SAGEMAKER_BATCH": "true",
        "SAGEMAKER_MODEL_SERVER_TIMEOUT": "90",
        "SAGEMAKER_BASE_DIR": "/nonexistent/ml",
    }
    assert load(environ).server.response_timeout_s == 90
    real_time = {"SAGEMAKER_BATCH": "false", "SAGEMAKER_BASE_DIR": "/nonexistent/ml"}
    assert load(real_time).server.response_timeout_s == 60


def test_multi_model_false_keeps_the_default_model() -> None:
    config = load({"SAGEMAKER_MULTI_MODEL": "false", "SAGEMAKER_BASE_DIR": "/nonexistent/ml"})
    assert config.server.multi_model is False
    assert [m.model_dir for m in config.models] == [Path("/nonexistent/ml/model")]


@pytest.mark.parametrize(
    ("variable", "value", "path", "fragment"),
    [
        (
            "SAGEMAKER_TS_BATCH_SIZE",
            "abc",
            "models[0].batch_size",
            "unable to parse string as an integer (got 'abc')",
        ),
        ("SAGEMAKER_BIND_TO_PORT", "0", "server.port", "greater than or equal to 1"),
        ("SAGEMAKER_MODEL_SERVER_WORKERS", "0", "server.workers", "greater than or equal to 1"),
        ("SAGEMAKER_CONTAINER_LOG_LEVEL", "25", "server.log_level", "(got '25')"),
        ("SAGEMAKER_PROGRAM", "my-script.py", "models[0].entry", "not an importable module"),
        ("SERVING_INSTALL_REQUIREMENTS", "maybe", "server.install_requirements", "valid boolean"),
        (
            "SAGEMAKER_TS_MAX_WORKERS",
            "1",
            "models[0].max_workers",
            "max_workers (1) is below workers (4)",
        ),
    ],
)
def test_bad_value_from_a_variable_names_the_variable(
    variable: str, value: str, path: str, fragment: str
) -> None:
    environ = {"SAGEMAKER_BASE_DIR": "/nonexistent/ml", variable: value}
    if variable == "SAGEMAKER_TS_MAX_WORKERS":
        environ["SAGEMAKER_TS_MIN_WORKERS"] = "4"
    with pytest.raises(ConfigError) as info:
        load(environ)
    [line] = info.value.message.splitlines()[1:]
    assert line.strip().startswith(f"{path} (from {variable}={value!r}): ")
    assert fragment in line


def test_model_variables_apply_to_every_model(tmp_path: Path) -> None:
    path = tmp_path / "serving.yaml"
    path.write_text(
        yaml.safe_dump(
            {"models": [{"name": "a", "model_dir": "a"}, {"name": "b", "model_dir": "b"}]}
        )
    )
    config = load(
        {"SAGEMAKER_TS_BATCH_SIZE": "8", "SAGEMAKER_TS_MIN_WORKERS": "2"}, "--config", str(path)
    )
    assert [(m.name, m.batch_size, m.workers) for m in config.models] == [("a", 8, 2), ("b", 8, 2)]
    assert properties(plan(config).files["config.properties"])["serving_expected_workers"] == (
        "a=2,b=2"
    )


def test_bad_variable_with_several_models_names_each_model(tmp_path: Path) -> None:
    path = tmp_path / "serving.yaml"
    path.write_text(
        yaml.safe_dump(
            {"models": [{"name": "a", "model_dir": "a"}, {"name": "b", "model_dir": "b"}]}
        )
    )
    with pytest.raises(ConfigError) as info:
        load({"SAGEMAKER_TS_BATCH_SIZE": "0"}, "--config", str(path))
    lines = [line.strip() for line in info.value.message.splitlines()[1:]]
    assert [line.split(": ")[0] for line in lines] == [
        "models[0].batch_size (from SAGEMAKER_TS_BATCH_SIZE='0')",
        "models[1].batch_size (from SAGEMAKER_TS_BATCH_SIZE='0')",
    ]


def test_the_safe_port_range_is_read_and_a_malformed_one_stops_start_up() -> None:
    assert safe_port_range({}) is None
    assert safe_port_range({"SAGEMAKER_SAFE_PORT_RANGE": " 20000-20999 "}) == (20000, 20999)
    for bad in ("20000", "20999-20000", "a-b", "0-10", "1-70000"):
        with pytest.raises(ConfigError, match="SAGEMAKER_SAFE_PORT_RANGE"):
            safe_port_range({"SAGEMAKER_SAFE_PORT_RANGE": bad})


def test_awss_published_batch_environment_is_served_as_given_with_a_warning() -> None:
    # An AWS example deploys with these: AWS's toolkit passes them to TorchServe as they are.
    config = load({"SAGEMAKER_TS_BATCH_SIZE": "3", "SAGEMAKER_TS_MAX_BATCH_DELAY": "100000"})
    (model,) = config.models
    assert (model.batch_size, model.max_batch_delay_ms) == (3, 100_000)
    assert model_config(plan(config), model.name)["maxBatchDelay"] == 100_000
    # A lone request waits up to 100 s for its batch, past the 60-s response timeout.
    [warning] = batch_waits_past_timeout(config)
    assert "max_batch_delay_ms (100000)" in warning and "504" in warning
    quick = load({"SAGEMAKER_TS_BATCH_SIZE": "3", "SAGEMAKER_TS_MAX_BATCH_DELAY": "50"})
    assert batch_waits_past_timeout(quick) == []
