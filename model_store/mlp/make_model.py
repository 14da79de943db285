"""Write the benchmark MLP's weights (seeded random: its speed, not its accuracy, is what is
measured) and one request, offline.

    python model_store/mlp/make_model.py [--model-dir DIR]

``--model-dir`` defaults to this script's directory: ``model.pth`` (a state_dict) there,
and ``samples/one.npy`` under it, one float32 row of 784 (``samples/one.json``: the same
row as JSON, for servers that take JSON only).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=HERE)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("mlp_inference", HERE / "code" / "inference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    torch.save(module.MLP().state_dict(), args.model_dir / "model.pth")
    samples = args.model_dir / "samples"
    samples.mkdir(exist_ok=True)
    row = np.random.default_rng(0).standard_normal((1, 784), dtype=np.float32)
    np.save(samples / "one.npy", row)
    (samples / "one.json").write_text(json.dumps(row.tolist()))


if __name__ == "__main__":
    main()
