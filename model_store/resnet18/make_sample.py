"""Write samples/image.npy: one random float32 image (1, 3, 112, 112) for the benchmark."""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    (HERE / "samples").mkdir(exist_ok=True)
    image = np.random.default_rng(0).standard_normal((1, 3, 112, 112), dtype=np.float32)
    np.save(HERE / "samples" / "image.npy", image)
