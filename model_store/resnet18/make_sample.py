"""Write a random float32 image batch for the benchmark (seeded, so every run sends the same).

    python model_store/resnet18/make_sample.py [--batch N] [--size PIXELS] [--out PATH]

Defaults: one 112 x 112 image, shape (1, 3, 112, 112), in samples/image.npy.
"""

import argparse
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--size", type=int, default=112, help="height and width in pixels")
    parser.add_argument("--out", type=Path, default=HERE / "samples" / "image.npy")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shape = (args.batch, 3, args.size, args.size)
    np.save(args.out, np.random.default_rng(0).standard_normal(shape, dtype=np.float32))
