"""The command line: layer precedence, where the YAML comes from, and `serving config`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from serving import cli
from serving.config.schema import Config
from serving.config.sizing import default_workers
from serving.config.sources import config_path_for
from serving.errors import ConfigError
from serving.machine.processors import available_cpus, gpu_count


def write_yaml(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document))
    return path


def load(argv: list[str], environ: dict[str, str]) -> Config:
    return cli.load_config(cli._parser().parse_args(["serve", *argv]), environ)


# --- precedence: defaults < YAML < SAGEMAKER_* environment < flags --------------------------


@pytest.fixture
def yaml_file(tmp_path: Path) -> Path:
    return write_yaml(
        tmp_path / "serving.yaml",
        {
            "server": {"port": 9000, "workers": 2, "log_level": "WARNING"},
            "models": [{"model_dir": "model", "batch_size": 4}],
        },
    )


def test_built_in_defaults(tmp_path: Path) -> None:
    config = load([], {"SAGEMAKER_BASE_DIR": str(tmp_path)})
    assert (config.server.port, config.server.log_level) == (8080, "INFO")
    assert config.server.workers is None  # sized from the machine at start
    assert config.models[0].batch_size == 1
    assert config.models[0].model_dir == tmp_path / "model"


def test_yaml_beats_defaults(yaml_file: Path, tmp_path: Path) -> None:
    config = load(["--config", str(yaml_file)], {"SAGEMAKER_BASE_DIR": "/elsewhere"})
    assert (config.server.port, config.server.workers, config.server.log_level) == (
        9000,
        2,
        "WARNING",
    )
    assert config.models[0].batch_size == 4
    # relative to the YAML's directory, and above the SAGEMAKER_BASE_DIR default
    assert config.models[0].model_dir == tmp_path / "model"


def test_environment_beats_yaml(yaml_file: Path) -> None:
    environ = {
        "SAGEMAKER_BIND_TO_PORT": "9100",
        "SAGEMAKER_MODEL_SERVER_WORKERS": "3",
        "SAGEMAKER_CONTAINER_LOG_LEVEL": "10",
        "SAGEMAKER_TS_BATCH_SIZE": "8",
    }
    config = load(["--config", str(yaml_file)], environ)
    assert (config.server.port, config.server.workers, config.server.log_level) == (
        9100,
        3,
        "DEBUG",
    )
    assert config.models[0].batch_size == 8


def test_flags_beat_environment(yaml_file: Path, tmp_path: Path) -> None:
    environ = {
        "SAGEMAKER_BIND_TO_PORT": "9100",
        "SAGEMAKER_MODEL_SERVER_WORKERS": "3",
        "SAGEMAKER_CONTAINER_LOG_LEVEL": "10",
    }
    argv = [
        "--config",
        str(yaml_file),
        "--port",
        "9200",
        "--workers",
        "5",
        "--log-level",
        "ERROR",
        "--model-dir",
        str(tmp_path / "other"),
    ]
    config = load(argv, environ)
    assert (config.server.port, config.server.workers, config.server.log_level) == (
        9200,
        5,
        "ERROR",
    )
    assert config.models[0].model_dir == tmp_path / "other"


def test_bad_flag_value_names_the_flag(yaml_file: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(["--config", str(yaml_file), "--port", "70000"], {"SAGEMAKER_BIND_TO_PORT": "9100"})
    assert "server.port (from --port 70000): " in info.value.message


def test_bad_yaml_value_names_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "serving.yaml", {"models": [{"batchsize": 4}]})
    with pytest.raises(ConfigError) as info:
        load(["--config", str(path)], {})
    assert f"models[0].batchsize (from {path}): unknown key; expected one of: " in (
        info.value.message
    )


# --- where the YAML comes from ----------------------------------------------------------------


def test_sagemaker_mode_reads_the_bundled_yaml(tmp_path: Path) -> None:
    write_yaml(tmp_path / "model" / "code" / "serving.yaml", {"models": [{"batch_size": 16}]})
    config = load([], {"SAGEMAKER_BASE_DIR": str(tmp_path)})
    assert config.models[0].batch_size == 16
    assert config.models[0].model_dir == tmp_path / "model"


def test_serving_config_variable_picks_the_yaml(tmp_path: Path) -> None:
    write_yaml(tmp_path / "model" / "code" / "serving.yaml", {"models": [{"batch_size": 16}]})
    chosen = write_yaml(
        tmp_path / "conf" / "chosen.yaml",
        {"models": [{"batch_size": 32, "model_dir": "../weights"}]},
    )
    config = load([], {"SAGEMAKER_BASE_DIR": str(tmp_path), "SERVING_CONFIG": str(chosen)})
    assert config.models[0].batch_size == 32
    assert config.models[0].model_dir == tmp_path / "weights"


def test_config_flag_beats_serving_config(tmp_path: Path) -> None:
    flag = write_yaml(tmp_path / "flag.yaml", {"server": {"port": 9001}})
    variable = write_yaml(tmp_path / "variable.yaml", {"server": {"port": 9002}})
    config = load(["--config", str(flag)], {"SERVING_CONFIG": str(variable)})
    assert config.server.port == 9001


def test_config_path_for(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    explicit = tmp_path / "x.yaml"
    assert config_path_for(explicit, {"SERVING_CONFIG": "/y.yaml"}, model_dir) == explicit
    assert config_path_for(None, {"SERVING_CONFIG": "/y.yaml"}, model_dir) == Path("/y.yaml")
    assert config_path_for(None, {}, model_dir) is None
    assert config_path_for(None, {"SERVING_CONFIG": ""}, model_dir) is None
    bundled = write_yaml(model_dir / "code" / "serving.yaml", {})
    assert config_path_for(None, {}, model_dir) == bundled
    assert config_path_for(None, {"SERVING_CONFIG": ""}, model_dir) == bundled


def test_missing_serving_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load([], {"SERVING_CONFIG": str(tmp_path / "missing.yaml")})


# --- serving config schema | show -------------------------------------------------------------


def test_config_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "schema"], environ={}) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == {"server", "models"}
    assert schema["additionalProperties"] is False
    assert schema["properties"]["models"]["minItems"] == 1
    server = schema["$defs"]["ServerConfig"]["properties"]
    assert server["port"]["maximum"] == 65535
    assert schema["$defs"]["ModelConfig"]["properties"]["device"]["enum"] == ["auto", "cpu", "cuda"]


HEADINGS = ("# Effective config", "# nginx.conf", "# config.properties", "# model-config.yaml")


def sections(out: str) -> dict[str, str]:
    """Split `config show` output at its '# ' headings that name a file or the config."""
    parts: dict[str, str] = {}
    current = ""
    for line in out.splitlines(keepends=True):
        if line.startswith(HEADINGS):
            current = line.strip()
            parts[current] = ""
        elif current:
            parts[current] += line
    return parts


def test_config_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["config", "show", "--model-dir", str(tmp_path), "--port", "9005"], environ={})
    assert code == 0
    shown = sections(capsys.readouterr().out)
    effective = yaml.safe_load(
        shown["# Effective config (defaults < YAML < SAGEMAKER_* environment < flags)"]
    )
    assert effective["server"]["port"] == 9005
    assert effective["models"][0]["model_dir"] == str(tmp_path)
    [properties_heading] = [k for k in shown if k.startswith("# config.properties")]
    props = dict(
        line.split("=", 1)
        for line in shown[properties_heading].splitlines()
        if line and not line.startswith("#")
    )
    # The public port is the front's; TorchServe listens on a socket behind it.
    front = shown["# nginx.conf (the front on the public port)"]
    assert "listen 0.0.0.0:9005 default_server;" in front
    assert props["inference_address"] == "unix:<runtime dir>/inference.sock"
    # Workers unset: sized from this machine, and TorchServe is told the same number.
    workers = default_workers(available_cpus(), gpu_count({}), models=1)
    assert effective["models"][0]["workers"] == workers
    assert props["serving_expected_workers"] == f"model={workers}"
    # Each start draws its own key: shown as where it goes, never as a key.
    assert props["serving_token"] == "<drawn at each start>"
    assert "Authorization 'Bearer <drawn at each start>'" in front
    model_config = yaml.safe_load(shown["# model-config.yaml of model 'model'"])
    assert model_config["serving"]["model_dir"] == str(tmp_path)
    assert model_config["responseTimeout"] == 60


def test_config_show_uses_the_environment_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {"SAGEMAKER_BASE_DIR": str(tmp_path), "SAGEMAKER_TS_BATCH_SIZE": "7"}
    assert cli.main(["config", "show"], environ=environ) == 0
    model_config = yaml.safe_load(
        sections(capsys.readouterr().out)["# model-config.yaml of model 'model'"]
    )
    assert model_config["batchSize"] == 7
    assert model_config["serving"]["model_dir"] == str(tmp_path / "model")


def test_bad_config_exits_2_with_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml(tmp_path / "serving.yaml", {"models": [{"device": "tpu"}]})
    assert cli.main(["config", "show", "--config", str(path)], environ={}) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("serving: error: invalid serving config:\n")
    assert "models[0].device" in captured.err
    assert "'auto', 'cpu' or 'cuda'" in captured.err


def test_bad_variable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    environ = {"SAGEMAKER_BASE_DIR": str(tmp_path), "SAGEMAKER_BIND_TO_PORT": "0"}
    assert cli.main(["config", "show"], environ=environ) == 2
    err = capsys.readouterr().err
    assert "server.port (from SAGEMAKER_BIND_TO_PORT='0')" in err
    assert err.startswith("serving: error: ")


def test_config_show_of_a_multi_model_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "show"], environ={"SAGEMAKER_MULTI_MODEL": "true"}) == 0
    shown = capsys.readouterr().out
    assert "multi_model: true" in shown and "models: []" in shown
    assert "upstream manager { server unix:<runtime dir>/models.sock; }" in shown
    assert "enable_model_api=true" in shown


def test_a_multi_model_endpoint_with_models_listed_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml(tmp_path / "serving.yaml", {"models": [{"model_dir": str(tmp_path)}]})
    environ = {"SAGEMAKER_MULTI_MODEL": "true"}
    assert cli.main(["config", "show", "--config", str(path)], environ=environ) == 2
    assert "loads its models through POST /models" in capsys.readouterr().err


def test_a_deprecated_key_is_served_with_a_warning_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml(tmp_path / "serving.yaml", {"server": {"java_heap_mb": 2048}})
    config = load(["--config", str(path), "--model-dir", str(tmp_path)], {})
    assert config.server.torchserve.java_heap_mb == 2048
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"serving: warning: {path}: server.java_heap_mb is deprecated and will be refused in "
        "the next release; write it as server.torchserve.java_heap_mb\n"
    )


PROFILES = [Path(__file__).parents[2] / folder for folder in ("config", "lab/config")]


@pytest.mark.parametrize(
    "path", sorted(p for folder in PROFILES for p in folder.glob("*.yaml")), ids=lambda p: p.name
)
def test_every_shipped_profile_renders(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The profiles are what users copy: each must pass every start-up check that needs no
    # model (the frontend's heap against its queue among them).
    assert cli.main(["config", "show", "--config", str(path)], environ={}) == 0, capsys.readouterr()
    # A model directory a profile names (relative to the profile) is in the repository.
    for model in yaml.safe_load(path.read_text()).get("models") or []:
        if "model_dir" in model:
            assert (path.parent / model["model_dir"]).is_dir(), (path.name, model["model_dir"])


# --- commands other distributions add (the lab's bench and tune) ----------------------------


class Recorder:
    """A plugin's command that keeps what it was run with."""

    def __init__(self) -> None:
        self.ran: list[argparse.Namespace] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--times", type=int, default=1)

    def run(self, args: argparse.Namespace) -> int:
        self.ran.append(args)
        return 7

    def command(self) -> cli.Command:
        return cli.Command(help="say hello", add_arguments=self.add_arguments, run=self.run)


def test_a_plugins_command_is_parsed_and_run_with_its_exit_status() -> None:
    hello = Recorder()
    assert cli.main(["hello", "--times", "3"], environ={}, plugins={"hello": hello.command()}) == 7
    assert [args.times for args in hello.ran] == [3]


def test_a_plugin_cannot_take_a_built_in_commands_name(capsys: pytest.CaptureFixture[str]) -> None:
    impostor = Recorder()
    assert cli.main(["config", "schema"], environ={}, plugins={"config": impostor.command()}) == 0
    assert impostor.ran == [] and '"properties"' in capsys.readouterr().out


def test_only_a_command_line_that_may_name_a_plugin_looks_for_them() -> None:
    # `serving ping`, the images' HEALTHCHECK, skips the entry point scan.
    assert not cli.wants_plugins(["ping"]) and not cli.wants_plugins(["serve", "--port", "1"])
    assert cli.wants_plugins(["bench", "--help"]) and cli.wants_plugins(["--help"])
    assert cli.wants_plugins([])


def test_a_lab_command_without_the_lab_says_how_to_get_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["tune", "model"], environ={}, plugins={}) == 2
    err = capsys.readouterr().err
    assert "`serving tune` comes with the lab" in err and "pip install ./lab" in err
    assert "Traceback" not in err


def test_the_installed_lab_adds_bench_and_tune_through_its_entry_points() -> None:
    # The dev venv has the lab (make setup installs lab/ beside the runtime).
    plugins = cli.plugin_commands()
    assert {"bench", "tune"} <= set(plugins)
    parsed = cli._parser(plugins).parse_args(["bench", "--sample", "s.npy", "--content-type", "x"])
    assert parsed.command == "bench" and parsed.workers is None  # the server's defaults
