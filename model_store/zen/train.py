"""Train the zen example: a character-level GRU that learns The Zen of Python by heart.

    python model_store/zen/train.py [--steps 600] [--seed 0] [--model-dir DIR]

The text comes with Python (the ``this`` module), so nothing is downloaded. Writes
``model.pth`` (a state_dict) and ``vocabulary.json`` to ``--model-dir``, else
``SM_MODEL_DIR``, else this script's directory, and exits non-zero unless greedy
decoding from the first word reproduces the whole text.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import json
import os
import time
from pathlib import Path
from types import ModuleType

import torch

HERE = Path(__file__).resolve().parent
INFERENCE_PY = HERE / "code" / "inference.py"


def load_inference_module() -> ModuleType:
    """``code/inference.py`` by path (``import code`` would get the stdlib module)."""
    spec = importlib.util.spec_from_file_location("zen_inference", INFERENCE_PY)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {INFERENCE_PY}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zen_text() -> str:
    """The Zen of Python, from the ``this`` module's source (ROT13), without printing it."""
    spec = importlib.util.find_spec("this")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text()
    encoded = source.split('s = """', 1)[1].split('"""', 1)[0]
    return codecs.decode(encoded, "rot13")


def train(text: str, steps: int, seed: int) -> tuple[torch.nn.Module, str]:
    inference = load_inference_module()
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    vocabulary = "".join(sorted(set(text)))
    ids = torch.tensor([vocabulary.index(char) for char in text])
    net = inference.CharGRU(len(vocabulary))
    optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
    window, batch = 96, 32
    for step in range(steps):
        starts = torch.randint(0, len(ids) - window, (batch,))  # the last char a target too
        inputs = torch.stack([ids[s : s + window] for s in starts])
        targets = torch.stack([ids[s + 1 : s + window + 1] for s in starts])
        logits, _ = net(inputs)
        flat = logits.reshape(-1, len(vocabulary))
        loss = torch.nn.functional.cross_entropy(flat, targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step:4d}  loss {loss.item():.4f}")
    return net.eval(), vocabulary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", str(HERE)))
    args = parser.parse_args()
    torch.set_num_threads(1)  # the same weights on every machine
    started = time.monotonic()
    text = zen_text()
    net, vocabulary = train(text, args.steps, args.seed)
    model_dir = Path(args.model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), model_dir / "model.pth")
    (model_dir / "vocabulary.json").write_text(json.dumps(vocabulary))

    inference = load_inference_module()
    generator = inference.model_fn(str(model_dir))
    prompt = "The Zen"  # "The" alone is ambiguous: "There should be one-- ..."
    continuation = "".join(generator.continue_text(prompt, len(text) - len(prompt)))
    recalled = prompt + continuation == text
    print(f"trained in {time.monotonic() - started:.1f} s; recalls the whole text: {recalled}")
    if not recalled:
        raise SystemExit("the model does not recall the text; train longer (--steps)")


if __name__ == "__main__":
    main()
