"""``serving package``: a model directory as the model.tar.gz SageMaker expects.

SageMaker extracts the archive into /opt/ml/model, so the archive holds the directory's
contents at its root: the weights, and ``code/`` with ``inference.py``, an optional
``requirements.txt`` and an optional ``serving.yaml``. A directory that ``serve`` could
not start is refused before anything is written, with the reason.

The archive is reproducible: members sorted, owner root, modes 0644/0755, timestamps
from SOURCE_DATE_EPOCH (else 0), so the same directory gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serving.admission import check_model
from serving.config.layering import build_config, deprecated_keys
from serving.config.schema import Config, Layer, read_yaml
from serving.errors import ConfigError

BUNDLED_CONFIG = Path("code") / "serving.yaml"
_SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints", ".pytest_cache"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name inside the archive and where its bytes are."""

    name: str
    source: Path
    executable: bool = False


def packaged_config(values: Mapping[str, Any], source: str, model_dir: Path) -> Config:
    """The config ``serve`` would build from the bundled YAML once the archive is
    extracted (with the model directory standing in for /opt/ml/model), or ConfigError."""
    models = values.get("models")
    if isinstance(models, list) and len(models) > 1:
        raise ConfigError(
            f"{source}: a model.tar.gz holds one model, but models lists {len(models)}; "
            "package each model on its own"
        )
    first = models[0] if isinstance(models, list) and models else None
    if isinstance(first, Mapping) and "model_dir" in first:
        raise ConfigError(
            f"{source}: models[0].model_dir must not be set in a packaged serving.yaml: "
            "SageMaker extracts the archive into /opt/ml/model, where serve looks for it"
        )
    here = Layer("serving package")
    here.set(("model_dir",), str(model_dir), f"serving package {model_dir}")
    return build_config(values, source, server_layers=[], model_layers=[here])


def members(model_dir: Path, exclude: frozenset[Path] = frozenset()) -> list[Member]:
    """The files to archive, sorted by name: everything under ``model_dir`` except
    byte-code caches, VCS folders and the paths in ``exclude``. Symbolic links are
    archived as the files they point to, so the archive stands on its own."""
    found: list[Member] = []
    for root, dirs, files in os.walk(model_dir, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in files:
            path = Path(root) / name
            if name.endswith(_SKIPPED_SUFFIXES) or path.resolve() in exclude:
                continue
            if not path.is_file():
                raise ConfigError(f"{path} is a broken link or not a regular file")
            relative = path.relative_to(model_dir).as_posix()
            found.append(Member(relative, path, os.access(path, os.X_OK)))
    return sorted(found, key=lambda member: member.name)


def write_archive(entries: list[Member], output: Path, mtime: int = 0) -> None:
    """Write ``entries`` as a reproducible gzip'd tar at ``output`` (atomically)."""
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with (
            open(partial, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as zipped,
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for directory in _directories(entries):
                tar.addfile(_info(directory, tarfile.DIRTYPE, 0o755, 0, mtime))
            for entry in entries:
                data = entry.source.read_bytes()
                mode = 0o755 if entry.executable else 0o644
                info = _info(entry.name, tarfile.REGTYPE, mode, len(data), mtime)
                tar.addfile(info, io.BytesIO(data))
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def _directories(entries: list[Member]) -> list[str]:
    names = {str(parent) for e in entries for parent in Path(e.name).parents}
    return sorted(names - {"."})


def _info(name: str, kind: bytes, mode: int, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.size, info.mtime = kind, mode, size, mtime
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def package(
    model_dir: Path,
    output: Path,
    config: Path | None = None,
    mtime: int = 0,
    warn: Callable[[str], None] = lambda _: None,
) -> list[Member]:
    """Check ``model_dir`` as ``serve`` would and write it to ``output`` as model.tar.gz.

    ``config``, if given, goes into the archive as code/serving.yaml (replacing the
    directory's own). Returns the members written."""
    model_dir = model_dir.resolve()
    if not model_dir.is_dir():
        raise ConfigError(f"{model_dir} is not a directory")
    config_path = config if config is not None else model_dir / BUNDLED_CONFIG
    bundled = config is not None or config_path.is_file()
    values = read_yaml(config_path) if bundled else {}
    source = str(config_path) if bundled else "built-in defaults"
    for note in deprecated_keys(values):
        warn(f"{source}: {note}")
    for model in packaged_config(values, source, model_dir).models:
        check_model(model)
    exclude = {output.resolve()}
    if config is not None:
        exclude.add((model_dir / BUNDLED_CONFIG).resolve())
    entries = members(model_dir, frozenset(exclude))
    if config is not None:
        entries = sorted(
            [*entries, Member(BUNDLED_CONFIG.as_posix(), config.resolve())],
            key=lambda member: member.name,
        )
    write_archive(entries, output, mtime)
    return entries
