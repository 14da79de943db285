"""Write sample request bodies for the digits model into ``samples/``.

    python model_store/digits/make_samples.py [--model-dir DIR] [--out DIR] [--seed 0]

Picks a held-out load_digits image labelled 7 that the trained model (``model.pth`` in
``--model-dir``, default env ``SM_MODEL_DIR`` or this directory) classifies as 7 both
from its raw pixels and from its ASCII art (which quantises pixels to the 10-step ramp),
preferring one without blank rows so the art survives editors that strip whitespace.
Writes ``seven.json``, ``seven.csv``, ``seven.npy`` and ``seven.txt``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
LABEL = 7


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pick_image(model: torch.nn.Module, inference: ModuleType, seed: int) -> np.ndarray:
    """A held-out image of a 7 that the model gets right from raw pixels and from ASCII art."""
    train = _load("digits_train", HERE / "train.py")
    features, labels = train.load_data(None)
    _, x_test, _, y_test = train.split_data(features, labels, seed)
    fallback = None
    for image in x_test[y_test == LABEL]:
        raw = torch.from_numpy(image[None, :])
        art = inference.parse_ascii_art(inference.render_ascii_art(image.tolist()))
        with torch.inference_mode():
            if model(raw).argmax().item() != LABEL or model(art).argmax().item() != LABEL:
                continue
        if image.reshape(8, 8).any(axis=1).all():
            return image
        if fallback is None:
            fallback = image
    if fallback is None:
        raise SystemExit(f"the model classifies no held-out {LABEL} correctly")
    return fallback


def main(argv: list[str] | None = None) -> Path:
    """Write the four sample files; returns the output directory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", str(HERE)))
    parser.add_argument("--out", default=str(HERE / "samples"))
    parser.add_argument("--seed", type=int, default=0, help="the split seed train.py used")
    args = parser.parse_args(argv)

    inference = _load("digits_inference", HERE / "code" / "inference.py")
    model = inference.model_fn(args.model_dir).cpu()
    image = pick_image(model, inference, args.seed)
    pixels = [int(v) for v in image]  # load_digits pixels are whole numbers 0..16

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "seven.json").write_text(json.dumps([pixels]) + "\n")
    (out / "seven.csv").write_text(",".join(map(str, pixels)) + "\n")
    np.save(out / "seven.npy", np.asarray([pixels], dtype=np.float32))
    (out / "seven.txt").write_text(inference.render_ascii_art(pixels))
    print(f"wrote seven.json, seven.csv, seven.npy, seven.txt to {out}")
    return out


if __name__ == "__main__":
    main()
