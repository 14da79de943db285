"""MkDocs hooks (mkdocs.yml): the configuration reference is generated from the pydantic
models and the environment-variable tables at build time, never written by hand.

``docs/configuration.md`` holds two markers that :func:`on_page_markdown` replaces:
``<!-- generated: yaml -->`` (one table per config section: key, type, default, what)
and ``<!-- generated: environment -->`` (every variable the runtime reads).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

YAML_MARKER = "<!-- generated: yaml -->"
ENVIRONMENT_MARKER = "<!-- generated: environment -->"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (``X``, ``X | None``, ``tuple[X, ...]``)."""
    found: dict[type[BaseModel], None] = {}
    for outer in (annotation, *typing.get_args(annotation)):
        for inner in (outer, *typing.get_args(outer)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                found[inner] = None
    return list(found)


def cell(text: str) -> str:
    """Text as one Markdown table cell: one line, no column break, no HTML tag."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _is_sequence(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (tuple, list)


def sections(model: type[BaseModel], path: str = "") -> Iterator[tuple[str, type[BaseModel]]]:
    """``(path, model)`` for a model and every model nested in it, depth first."""
    yield path, model
    for name, field in model.model_fields.items():
        for nested in _models_in(field.annotation):
            suffix = "[]" if _is_sequence(field.annotation) else ""
            yield from sections(nested, f"{path}.{name}{suffix}" if path else f"{name}{suffix}")


def type_text(field: FieldInfo) -> str:
    """A field's type as a reader writes it: choices, bounds, optional."""
    annotation = field.annotation
    args = typing.get_args(annotation)
    optional = type(None) in args
    if _models_in(annotation):
        text = "a list of sections" if _is_sequence(annotation) else "a section"
    elif typing.get_origin(annotation) is typing.Literal:
        text = " \\| ".join(f"`{choice}`" for choice in args)
    else:
        kinds = [a for a in args if a is not type(None)] if optional else [annotation]
        text = " or ".join(_kind_name(k) for k in kinds)
        for kind in kinds:
            if typing.get_origin(kind) is typing.Literal:
                text = " \\| ".join(f"`{c}`" for c in typing.get_args(kind))
    bounds = {type(m).__name__: m for m in field.metadata}
    if "Ge" in bounds and "Le" in bounds:
        text += f", {bounds['Ge'].ge} to {bounds['Le'].le:,}"
    if optional:
        text += ", or null"
    return text


def _kind_name(kind: Any) -> str:
    if _is_sequence(kind):
        item = typing.get_args(kind)[0]
        return f"list of {getattr(item, '__name__', item)}"
    return {"Path": "path"}.get(getattr(kind, "__name__", ""), getattr(kind, "__name__", str(kind)))


def default_text(field: FieldInfo) -> str:
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("default_text"), str):
        return cell(str(extra["default_text"]))  # a default chosen at start-up, in words
    if field.default is PydanticUndefined:
        return "required" if field.default_factory is None else "(see what it does)"
    if isinstance(field.default, BaseModel):
        return "its defaults (below)"
    if field.default is None:
        return "null"
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    if field.default == ():
        return "`[]`"
    return f"`{cell(str(field.default))}`"


def yaml_reference(model: type[BaseModel]) -> str:
    """Markdown: a table per section of ``model``."""
    parts = []
    for path, section in sections(model):
        title = f"`{path}`" if path else "top level"
        doc = cell((section.__doc__ or "").strip().split("\n\n")[0])
        rows = ["| key | type | default | what it does |", "|---|---|---|---|"]
        for name, field in section.model_fields.items():
            what = cell(field.description or "")
            rows.append(f"| `{name}` | {type_text(field)} | {default_text(field)} | {what} |")
        parts.append(f"### {title}\n\n{doc}\n\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def _field(model: type[BaseModel], path: tuple[str, ...]) -> FieldInfo:
    field = model.model_fields[path[0]]
    if len(path) == 1:
        return field
    (nested,) = _models_in(field.annotation)
    return _field(nested, path[1:])


def environment_reference(
    config: type[BaseModel],
    server_variables: dict[str, tuple[str, ...]],
    model_variables: dict[str, tuple[str, ...]],
    other_variables: dict[str, tuple[str, str]],
) -> str:
    """Markdown: every variable, the key it sets, its default and what it does."""
    rows = ["| variable | sets | default | what it does |", "|---|---|---|---|"]
    (model,) = _models_in(config.model_fields["models"].annotation)
    # A server variable's path starts with "server"; a model variable's is within a model.
    tables = ((config, "", server_variables), (model, "models[].", model_variables))
    for section, prefix, variables in tables:
        for name, path in variables.items():
            field = _field(section, path)
            key = prefix + ".".join(path)
            what = cell(field.description or "")
            rows.append(f"| `{name}` | `{key}` | {default_text(field)} | {what} |")
    for name, (default, what) in other_variables.items():
        rows.append(f"| `{name}` | | {cell(default)} | {cell(what)} |")
    return "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs hook: fill the generated parts of the configuration page."""
    if YAML_MARKER not in markdown and ENVIRONMENT_MARKER not in markdown:
        return markdown
    from serving.config import environment
    from serving.config.schema import Config

    markdown = markdown.replace(YAML_MARKER, yaml_reference(Config))
    return markdown.replace(
        ENVIRONMENT_MARKER,
        environment_reference(
            Config,
            environment.SERVER_VARIABLES,
            environment.MODEL_VARIABLES,
            environment.OTHER_VARIABLES,
        ),
    )
