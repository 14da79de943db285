"""The configuration page is generated from the schema (scripts/docs_hooks.py): every field
says what it does, and every variable in the tables is one the runtime reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from serving.config import environment
from serving.config.schema import Config
from tests.support.modules import load_module

REPO = Path(__file__).resolve().parents[2]
hooks = load_module("docs_hooks", REPO / "scripts" / "docs_hooks.py")


def every_field() -> list[tuple[str, str]]:
    return [
        (f"{path}.{name}" if path else name, field.description or "")
        for path, section in hooks.sections(Config)
        for name, field in section.model_fields.items()
    ]


@pytest.mark.parametrize(("key", "description"), every_field())
def test_every_config_field_says_what_it_does(key: str, description: str) -> None:
    assert description.strip(), f"{key} has no description: the generated reference needs one"


def test_every_section_is_found() -> None:
    paths = [path for path, _ in hooks.sections(Config)]
    assert paths == [
        "",
        "server",
        "server.torchserve",
        "models[]",
        "models[].compile",
        "models[].compile.warmup",
    ]


class Inner(BaseModel):
    """A nested section."""

    size: int = Field(1, ge=1, le=4, description="how <big> | wide")


class Outer(BaseModel):
    """The top."""

    inner: Inner = Field(Inner(), description="the inner part")
    items: tuple[Inner, ...] = Field((), description="several")
    mode: str | None = Field(None, description="a mode")
    chosen: int = Field(1, description="chosen", json_schema_extra={"default_text": "at <start>"})


def test_the_tables_are_generated_by_value() -> None:
    text = hooks.yaml_reference(Outer)
    assert "| `inner` | a section | its defaults (below) | the inner part |" in text
    assert "| `items` | a list of sections | `[]` | several |" in text
    assert "| `mode` | str, or null | null | a mode |" in text
    assert "| `chosen` | int | at &lt;start&gt; | chosen |" in text  # a default in words
    assert "### `items[]`" in text and "### `inner`" in text
    # One cell each: no column break, no HTML tag.
    assert "| `size` | int, 1 to 4 | `1` | how &lt;big&gt; \\| wide |" in text


def test_the_environment_table_names_the_key_each_variable_sets() -> None:
    text = hooks.environment_reference(
        Config,
        {"SAGEMAKER_BIND_TO_PORT": ("server", "port")},
        {"SAGEMAKER_TS_BATCH_SIZE": ("batch_size",)},
        {"SERVING_X": ("unset", "a <thing>")},
    )
    assert "| `SAGEMAKER_BIND_TO_PORT` | `server.port` | `8080` | the public port |" in text
    batch_row = "| `SAGEMAKER_TS_BATCH_SIZE` | `models[].batch_size` | unset (see what it does) |"
    assert batch_row in text
    assert "| `SERVING_X` | | unset | a &lt;thing&gt; |" in text


@pytest.mark.parametrize("name", sorted(environment.OTHER_VARIABLES))
def test_each_documented_variable_is_read_by_the_runtime(name: str) -> None:
    sources = [
        path.read_text()
        for path in (REPO / "serving").rglob("*.py")
        if path != REPO / "serving" / "config" / "environment.py"
    ]
    own = (REPO / "serving" / "config" / "environment.py").read_text()
    own = own.split("OTHER_VARIABLES", 1)[0] + own.split("# SAGEMAKER_CONTAINER_LOG_LEVEL", 1)[1]
    assert any(f'"{name}"' in text for text in [*sources, own]), f"nothing reads {name}"


def test_the_configuration_page_has_both_markers() -> None:
    page = (REPO / "docs" / "configuration.md").read_text()
    assert hooks.YAML_MARKER in page and hooks.ENVIRONMENT_MARKER in page
    filled = hooks.on_page_markdown(page, None, None, None)
    assert hooks.YAML_MARKER not in filled and "SAGEMAKER_SAFE_PORT_RANGE" in filled
