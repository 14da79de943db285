"""LoadReport: how one worker's load went, written by the worker, read by start-up.

A worker writes one JSON file per load attempt into the directory its spec names
(``WorkerSpec.report_dir``): the model, the device, how long it took, how compiling
went, or the error that stopped it. Start-up and the multi-model manager judge a model's
loads from them (:func:`serving.admission.gave_up`); the lab's bench reads compile times
from them.
Standard library only: both sides import it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class CompileOutcome:
    """How compiling went: compiled (or served eager, and why) and how long it took."""

    compiled: bool
    seconds: float
    fallback_reason: str | None = None


@dataclass(frozen=True)
class LoadReport:
    """One load attempt of one worker; ``error`` is None when the model loaded."""

    model_name: str
    device: str
    load_s: float
    compile: CompileOutcome | None = None
    error: str | None = None

    @property
    def error_type(self) -> str | None:
        """The failure's exception type (``error`` starts with it), for a message that
        names what failed without repeating what it said."""
        return self.error.partition(":")[0] if self.error is not None else None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LoadReport:
        values = json.loads(text)
        outcome = values.pop("compile", None)
        return cls(**values, compile=CompileOutcome(**outcome) if outcome else None)


def write_load_report(report: LoadReport, directory: Path) -> Path:
    """``<directory>/<model>-<pid>-<n>.json``, written whole (a rename), so that a
    reader never sees half of one."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{report.model_name}-{os.getpid()}"  # report_files() reads the name back
    attempt = len(list(directory.glob(f"{stem}-*.json")))
    path = directory / f"{stem}-{attempt}.json"
    partial = path.with_suffix(".partial")
    partial.write_text(report.to_json() + "\n")
    partial.replace(path)
    return path


def report_files(directory: Path, model: str | None = None) -> set[Path]:
    """The report files in ``directory`` now: all, or those of ``model`` (whose name may
    begin another model's: ``a`` and ``a-b``)."""
    if model is None:
        return set(directory.glob("*.json"))
    return {p for p in directory.glob(f"{model}-*.json") if p.stem.rsplit("-", 2)[0] == model}


def read_load_reports(
    directory: Path, model: str | None = None, skip: frozenset[Path] = frozenset()
) -> list[LoadReport]:
    """The load reports written into ``directory`` so far, oldest first ([] if none):
    all, or those of ``model``; none of the files in ``skip`` (reports seen before)."""
    if not directory.is_dir():
        return []
    paths = report_files(directory, model) - skip
    found = sorted((path.stat().st_mtime_ns, path) for path in paths)
    return [LoadReport.from_json(path.read_text()) for _, path in found]
