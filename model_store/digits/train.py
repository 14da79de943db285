"""Train the digits classifier, following SageMaker training-script conventions.

    python model_store/digits/train.py [--epochs 30] [--lr 0.003] [--seed 0] [--model-dir DIR]

* Output: ``--model-dir``, else env ``SM_MODEL_DIR``, else this script's directory.
  Only a state_dict is written, to ``<model dir>/model.pth``.
* Data: ``--train``, else env ``SM_CHANNEL_TRAIN`` (a directory of CSV files, 64 pixel
  columns then the label), else scikit-learn's bundled ``load_digits`` (no download).
* A stratified, seeded split is held out; its accuracy is printed, and the script exits
  non-zero below ``--min-accuracy``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
INFERENCE_PY = HERE / "code" / "inference.py"
TEST_SIZE = 0.2


def load_inference_module() -> ModuleType:
    """Load ``code/inference.py`` by path (``import code`` would get the stdlib module)."""
    spec = importlib.util.spec_from_file_location("digits_inference", INFERENCE_PY)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {INFERENCE_PY}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_csv(path: Path) -> np.ndarray:
    with path.open() as f:
        first = f.readline()
    try:
        [float(v) for v in first.split(",")]
        skip = 0
    except ValueError:
        skip = 1  # a header row
    return np.loadtxt(path, delimiter=",", skiprows=skip, ndmin=2, dtype=np.float64)


def load_data(train_dir: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (N, 64) float32 in 0..16 and labels (N,) int64, from CSVs or load_digits."""
    if train_dir:
        files = sorted(Path(train_dir).glob("*.csv"))
        if not files:
            raise SystemExit(f"no *.csv files in training channel {train_dir}")
        table = np.concatenate([_read_csv(f) for f in files])
        if table.shape[1] != 65:
            raise SystemExit(
                f"training CSVs need 65 columns (64 pixels, label), got {table.shape[1]}"
            )
        return table[:, :-1].astype(np.float32), table[:, -1].astype(np.int64)

    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data.astype(np.float32), digits.target.astype(np.int64)


def split_data(
    features: np.ndarray, labels: np.ndarray, seed: int, test_size: float = TEST_SIZE
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stratified, seeded train/test split: (x_train, x_test, y_train, y_test)."""
    from sklearn.model_selection import train_test_split

    return train_test_split(
        features, labels, test_size=test_size, random_state=seed, stratify=labels
    )


def accuracy(model: nn.Module, features: np.ndarray, labels: np.ndarray) -> float:
    with torch.inference_mode():
        predicted = model(torch.from_numpy(features)).argmax(dim=1).numpy()
    return float((predicted == labels).mean())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # SageMaker passes hyperparameters as --name value flags.
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-accuracy", type=float, default=0.95)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", str(HERE)))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN"))
    return parser.parse_args(argv)


@contextlib.contextmanager
def reproducible() -> Iterator[None]:
    """One intra-op thread and deterministic kernels while training, restored after.

    The same seed must give the same weights, bit for bit, whatever else runs: a
    reduction split over however many threads the process has, or a kernel torch
    marks nondeterministic, can change the last bits of the weights from run to run."""
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(deterministic)
        torch.set_num_threads(threads)


def main(argv: list[str] | None = None) -> float:
    """Train, report held-out accuracy, save ``model.pth``; returns the accuracy."""
    with reproducible():
        return _train(parse_args(argv))


def _train(args: argparse.Namespace) -> float:
    started = time.perf_counter()
    torch.manual_seed(args.seed)
    inference = load_inference_module()

    features, labels = load_data(args.train)
    x_train, x_test, y_train, y_test = split_data(features, labels, args.seed)
    x = torch.from_numpy(x_train)
    y = torch.from_numpy(y_train)

    # Default architecture only: model_fn builds DigitsNet() and must match these weights.
    model = inference.DigitsNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffle = torch.Generator().manual_seed(args.seed)
    model.train()
    for _ in range(args.epochs):
        for batch in torch.randperm(len(x), generator=shuffle).split(args.batch_size):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model.logits(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    model.eval()

    test_accuracy = accuracy(model, x_test, y_test)
    out_dir = Path(args.model_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out_dir / inference.WEIGHTS_FILE)
    elapsed = time.perf_counter() - started
    print(
        f"held-out accuracy {test_accuracy:.4f} on {len(y_test)} images "
        f"(trained on {len(y_train)}, {args.epochs} epochs, {elapsed:.1f}s); "
        f"saved {out_dir / inference.WEIGHTS_FILE}"
    )
    if test_accuracy < args.min_accuracy:
        raise SystemExit(f"held-out accuracy {test_accuracy:.4f} < {args.min_accuracy}")
    return test_accuracy


if __name__ == "__main__":
    main()
