"""The declarative config: pydantic validation and error messages that say where and what."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from serving.config.layering import build_config, deprecated_keys
from serving.config.schema import (
    CompileConfig,
    Config,
    ModelConfig,
    ServerConfig,
    dump_yaml,
    entry_module_name,
    merge,
    read_yaml,
)
from serving.errors import ConfigError, ServingError

SOURCE = "/srv/serving.yaml"


def build(document: Mapping[str, Any], yaml_dir: Path | None = None) -> Config:
    return build_config(document, SOURCE, server_layers=[], model_layers=[], yaml_dir=yaml_dir)


def error_of(document: Mapping[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        build(document)
    return info.value.message


def problems(message: str) -> list[str]:
    """The problem lines of a validation message (the first line is a header)."""
    header, *lines = message.splitlines()
    assert header == "invalid serving config:"
    return [line.strip() for line in lines]


def test_defaults() -> None:
    config = build({})
    assert config.server.port == 8080
    assert config.server.host == "0.0.0.0"
    assert config.server.workers is None  # sized from the machine at start
    assert config.server.response_timeout_s == 60
    assert config.server.max_payload_mb == 6
    assert config.server.default_accept == "application/json"
    assert config.server.log_level == "INFO"
    assert config.server.batch_strategy == "MULTI_RECORD"
    assert config.server.install_requirements is True
    [model] = config.models
    assert (model.name, model.entry, model.entry_module) == ("model", "inference.py", "inference")
    assert (model.batch_size, model.max_batch_delay_ms) == (1, 100)
    assert (model.device, model.dtype, model.startup_timeout_s) == ("auto", "float32", 600)


def test_config_error_is_a_serving_error() -> None:
    assert issubclass(ConfigError, ServingError)


@pytest.mark.parametrize(
    ("document", "path", "known"),
    [
        ({"models": [{"batchsize": 4}]}, "models[0].batchsize", list(ModelConfig.model_fields)),
        ({"server": {"prot": 1}}, "server.prot", list(ServerConfig.model_fields)),
        ({"model": {}}, "model", ["server", "models"]),
        (
            {
                "models": [
                    {"model_dir": "/a"},
                    {"name": "b", "model_dir": "/b", "compile": {"x": 1}},
                ]
            },
            "models[1].compile.x",
            list(CompileConfig.model_fields),
        ),
    ],
)
def test_unknown_key_names_the_path_and_lists_known_keys(
    document: dict[str, Any], path: str, known: list[str]
) -> None:
    [line] = problems(error_of(document))
    prefix = f"{path} (from {SOURCE}): unknown key; expected one of: "
    assert line.startswith(prefix)
    assert line[len(prefix) :].split(", ") == known


def test_unknown_model_key_hint_includes_the_right_spelling() -> None:
    [line] = problems(error_of({"models": [{"batchsize": 4}]}))
    assert "batch_size" in line.split("expected one of: ")[1].split(", ")


@pytest.mark.parametrize(
    ("document", "path", "fragment"),
    [
        ({"models": [{"batch_size": 0}]}, "models[0].batch_size", "greater than or equal to 1"),
        ({"models": [{"batch_size": 5000}]}, "models[0].batch_size", "less than or equal to 1024"),
        ({"server": {"port": 70000}}, "server.port", "less than or equal to 65535"),
        ({"server": {"port": 0}}, "server.port", "greater than or equal to 1"),
        ({"server": {"workers": 0}}, "server.workers", "greater than or equal to 1"),
        ({"models": [{"workers": 0}]}, "models[0].workers", "greater than or equal to 1"),
        ({"server": {"max_payload_mb": 0}}, "server.max_payload_mb", "greater than or equal to 1"),
        (
            {"server": {"torchserve": {"java_heap_mb": 64}}},
            "server.torchserve.java_heap_mb",
            "greater than or equal to 128",
        ),
        (
            # 0 is "no wait" (the plugin sets it on the engine); below that, nothing.
            {"models": [{"max_batch_delay_ms": -1}]},
            "models[0].max_batch_delay_ms",
            "greater than or equal to 0",
        ),
        (
            {"models": [{"startup_timeout_s": 0}]},
            "models[0].startup_timeout_s",
            "greater than or equal to 1",
        ),
        (
            {"server": {"response_timeout_s": 4000}},
            "server.response_timeout_s",
            "less than or equal to 3600",
        ),
        ({"models": [{"batch_size": "many"}]}, "models[0].batch_size", "(got 'many')"),
    ],
)
def test_bounds_and_types(document: dict[str, Any], path: str, fragment: str) -> None:
    [line] = problems(error_of(document))  # exactly one problem: no spurious follow-ups
    assert line.startswith(f"{path} (from {SOURCE}): ")
    assert fragment in line


@pytest.mark.parametrize(
    ("document", "path", "choices", "got"),
    [
        ({"models": [{"device": "tpu"}]}, "models[0].device", "'auto', 'cpu' or 'cuda'", "'tpu'"),
        (
            {"models": [{"dtype": "int8"}]},
            "models[0].dtype",
            "'float32', 'bfloat16' or 'float16'",
            "'int8'",
        ),
        (
            {"server": {"log_level": "TRACE"}},
            "server.log_level",
            "'DEBUG', 'INFO', 'WARNING' or 'ERROR'",
            "'TRACE'",
        ),
        (
            {"server": {"batch_strategy": "ALL"}},
            "server.batch_strategy",
            "'SINGLE_RECORD' or 'MULTI_RECORD'",
            "'ALL'",
        ),
        (
            {"server": {"default_accept": "image/png"}},
            "server.default_accept",
            "'application/json', 'text/csv', 'application/x-npy' or 'text/plain'",
            "'image/png'",
        ),
    ],
)
def test_literal_choices_are_listed(
    document: dict[str, Any], path: str, choices: str, got: str
) -> None:
    [line] = problems(error_of(document))
    assert line == f"{path} (from {SOURCE}): Input should be {choices} (got {got})"


def test_max_workers_below_workers_is_rejected_at_max_workers() -> None:
    [line] = problems(error_of({"models": [{"workers": 4, "max_workers": 2}]}))
    assert line.startswith(f"models[0].max_workers (from {SOURCE}): ")
    assert "max_workers (2) is below workers (4); raise max_workers or lower workers" in line


def test_max_workers_below_the_server_default_workers_is_rejected() -> None:
    [line] = problems(error_of({"server": {"workers": 4}, "models": [{"max_workers": 2}]}))
    assert line.startswith(f"models (from {SOURCE}): ")
    assert "models[0].max_workers (2) is below the default workers per model" in line
    assert "set models[0].workers to at most 2" in line


@pytest.mark.parametrize(("workers", "max_workers"), [(2, 2), (2, 8), (None, 3)])
def test_max_workers_at_or_above_workers_is_fine(workers: int | None, max_workers: int) -> None:
    [model] = build({"models": [{"workers": workers, "max_workers": max_workers}]}).models
    assert (model.workers, model.max_workers) == (workers, max_workers)


def test_duplicate_model_names() -> None:
    models = [{"name": "a", "model_dir": "/x"}, {"name": "a", "model_dir": "/y"}]
    [line] = problems(error_of({"models": models}))
    assert line.startswith(f"models (from {SOURCE}): ")
    assert "model names must be unique; ['a'] appear more than once" in line


def test_several_models_need_their_own_model_dir() -> None:
    [line] = problems(error_of({"models": [{"name": "a", "model_dir": "/x"}, {"name": "b"}]}))
    assert line.startswith(f"models (from {SOURCE}): ")
    assert "with several models, every model needs its own model_dir" in line


def test_empty_model_list() -> None:
    [line] = problems(error_of({"models": []}))
    assert line.startswith(f"models (from {SOURCE}): ")
    assert "list at least one model, or leave models out" in line


def test_every_problem_gets_its_own_line() -> None:
    lines = problems(error_of({"server": {"port": 0}, "models": [{"device": "tpu", "x": 1}]}))
    assert [line.split(" ")[0] for line in lines] == [
        "server.port",
        "models[0].device",
        "models[0].x",
    ]


@pytest.mark.parametrize("name", ["bad name", "-leading", "a" * 65, "", "model\n", "a=b", "a,b"])
def test_model_names_that_would_break_torchserve_files(name: str) -> None:
    [line] = problems(error_of({"models": [{"name": name}]}))
    assert line.startswith("models[0].name ")
    assert "use 1-64 letters, digits, '_', '.' or '-'" in line


@pytest.mark.parametrize("host", ["0.0.0.0\n", "a b", "", "[::1]", "1.2.3.4:80"])
def test_hosts_the_front_cannot_listen_on(host: str) -> None:
    [line] = problems(error_of({"server": {"host": host}}))
    assert line.startswith("server.host ")
    assert "write an IP address or a host name" in line


@pytest.mark.parametrize("host", ["::", "::1", "fe80::1", "0.0.0.0", "127.0.0.1", "my-host"])
def test_hosts_the_front_listens_on(host: str) -> None:
    assert Config.model_validate({"server": {"host": host}}).server.host == host


@pytest.mark.parametrize(
    ("entry", "module"), [("main.py", "main"), ("main", "main"), ("inference.py", "inference")]
)
def test_entry_module(entry: str, module: str) -> None:
    assert entry_module_name(entry) == module
    assert build({"models": [{"entry": entry}]}).models[0].entry_module == module


@pytest.mark.parametrize("entry", ["my-script.py", "pkg.mod", "1st.py", ""])
def test_entry_must_be_importable(entry: str) -> None:
    [line] = problems(error_of({"models": [{"entry": entry}]}))
    assert line.startswith("models[0].entry ")
    assert "is not an importable module name; write e.g. 'inference.py' or 'main'" in line


def test_relative_model_dir_resolves_against_the_yaml_directory(tmp_path: Path) -> None:
    config = build(
        {"models": [{"name": "a", "model_dir": "a"}, {"name": "b", "model_dir": "/abs/b"}]},
        yaml_dir=tmp_path,
    )
    assert [m.model_dir for m in config.models] == [tmp_path / "a", Path("/abs/b")]


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError, match="the top level must be a mapping"):
        build_config([1, 2], SOURCE, server_layers=[], model_layers=[])  # type: ignore[arg-type]


def test_merge_is_deep_replaces_lists_and_mutates_nothing() -> None:
    base = {"server": {"port": 1, "host": "h"}, "models": [{"a": 1}]}
    patch = {"server": {"port": 2}, "models": [{"b": 2}]}
    assert merge(base, patch) == {"server": {"port": 2, "host": "h"}, "models": [{"b": 2}]}
    assert base == {"server": {"port": 1, "host": "h"}, "models": [{"a": 1}]}
    assert patch == {"server": {"port": 2}, "models": [{"b": 2}]}


def test_read_yaml(tmp_path: Path) -> None:
    path = tmp_path / "serving.yaml"
    path.write_text("server:\n  port: 9000\n")
    assert read_yaml(path) == {"server": {"port": 9000}}
    path.write_text("")
    assert read_yaml(path) == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("server: [1\n", "is not valid YAML"), ("- 1\n- 2\n", "the top level must be a mapping")],
)
def test_read_yaml_errors_name_the_file(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "serving.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_yaml(path)
    assert info.value.message.startswith(str(path))
    assert fragment in info.value.message


def test_read_yaml_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file .*missing.yaml"):
        read_yaml(tmp_path / "missing.yaml")


def test_dump_yaml_round_trips() -> None:
    config = build(
        {
            "server": {"port": 9000, "log_level": "DEBUG"},
            "models": [
                {
                    "name": "a",
                    "model_dir": "/m",
                    "batch_size": 4,
                    "compile": {"enabled": True, "warmup": {"shape": [3, 8]}},
                }
            ],
        }
    )
    dumped = yaml.safe_load(dump_yaml(config))
    assert dumped["server"]["port"] == 9000
    assert dumped["models"][0]["model_dir"] == "/m"
    assert Config.model_validate(dumped) == config


def test_entry_named_like_a_stdlib_module_is_refused() -> None:
    from serving.config.schema import ModelConfig

    with pytest.raises(ValueError, match="standard library"):
        ModelConfig(entry="code.py")


# --- server.torchserve, and the keys it took over ------------------------------------------


def test_torchserve_knobs_live_in_their_own_section() -> None:
    config = build_config(
        {"server": {"torchserve": {"java_heap_mb": 2048, "management_port": 7001}}},
        "x.yaml",
        server_layers=[],
        model_layers=[],
    )
    assert config.server.torchserve.java_heap_mb == 2048
    assert config.server.torchserve.management_port == 7001
    assert config.server.torchserve.metrics_port is None


@pytest.mark.parametrize("key", ["java_heap_mb", "management_port", "metrics_port"])
def test_old_places_of_torchserve_keys_still_work_with_a_deprecation(key: str) -> None:
    document = {"server": {key: 4096}}
    config = build_config(document, "x.yaml", server_layers=[], model_layers=[])
    assert getattr(config.server.torchserve, key) == 4096
    assert deprecated_keys(document) == [
        f"server.{key} is deprecated and will be refused in the next release; "
        f"write it as server.torchserve.{key}"
    ]


def test_the_new_place_wins_over_the_old_one() -> None:
    document = {"server": {"java_heap_mb": 512, "torchserve": {"java_heap_mb": 2048}}}
    config = build_config(document, "x.yaml", server_layers=[], model_layers=[])
    assert config.server.torchserve.java_heap_mb == 2048


def test_a_bad_value_at_the_old_place_is_reported_at_the_new_one() -> None:
    with pytest.raises(ConfigError) as info:
        build_config({"server": {"java_heap_mb": 64}}, "x.yaml", server_layers=[], model_layers=[])
    assert "server.torchserve.java_heap_mb (from x.yaml): " in info.value.message


def test_nothing_deprecated_nothing_said() -> None:
    assert deprecated_keys({"server": {"port": 1, "torchserve": {"java_heap_mb": 512}}}) == []
    assert deprecated_keys({}) == [] and deprecated_keys({"server": None}) == []


def test_a_multi_model_endpoint_starts_with_no_model_and_refuses_listed_ones() -> None:
    config = build({"server": {"multi_model": True}})
    assert config.models == ()
    message = error_of({"server": {"multi_model": "true"}, "models": [{"name": "a"}]})
    assert "loads its models through POST /models" in message


def test_a_multi_model_endpoint_needs_the_management_socket() -> None:
    document = {"server": {"multi_model": True, "torchserve": {"management_port": 9999}}}
    assert "leave server.torchserve.management_port unset" in error_of(document)


def test_a_bad_server_key_of_a_multi_model_endpoint_is_its_only_error() -> None:
    found = problems(error_of({"server": {"multi_model": True, "port": 0}}))
    assert len(found) == 1 and found[0].startswith("server.port")


def test_a_batch_transform_waits_sagemakers_600_s_unless_told_otherwise() -> None:
    assert build({"server": {"batch_transform": True}}).server.response_timeout_s == 600
    told = {"server": {"batch_transform": True, "response_timeout_s": 30}}
    assert build(told).server.response_timeout_s == 30
    assert build({}).server.response_timeout_s == 60


def test_every_default_accept_the_schema_allows_has_a_codec() -> None:
    # The schema's Literal is written out (mypy needs literals); the registry is the truth.
    from typing import get_args

    from serving.config.schema import ServerConfig
    from serving.worker.codecs import CODECS

    allowed = set(get_args(ServerConfig.model_fields["default_accept"].annotation))
    assert allowed and allowed <= set(CODECS)
