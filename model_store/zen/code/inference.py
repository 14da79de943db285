"""SageMaker hooks for a tiny character-level language model that streams its answer.

The model is a GRU trained on The Zen of Python (``train.py``; the text ships with
Python, so nothing is downloaded). Given a prompt it continues the text one character
at a time, greedily, and ``predict_fn`` *yields* each character as soon as it is
made: the runtime sends every yielded item as one part of a chunked HTTP answer
(SageMaker's InvokeEndpointWithResponseStream), encoded by the default ``output_fn``
for the request's Accept: raw UTF-8 text for ``text/plain`` (or no Accept), one JSON
string per line for ``application/jsonlines``.

Requests: ``text/plain`` (the prompt) or ``application/json``
(``{"prompt": "Beautiful", "max_chars": 200}``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import torch
from torch import nn

WEIGHTS_FILE = "model.pth"
VOCABULARY_FILE = "vocabulary.json"
DEFAULT_MAX_CHARS = 200
MAX_CHARS = 2000


class CharGRU(nn.Module):
    """Embedding, one GRU layer, and a linear read-out over the vocabulary."""

    def __init__(self, vocabulary_size: int, embedding: int = 32, hidden: int = 192) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocabulary_size, embedding)
        self.gru = nn.GRU(embedding, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocabulary_size)

    def forward(
        self, ids: torch.Tensor, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden, state = self.gru(self.embed(ids), state)
        return self.out(hidden), state


class Generator:
    """The model and its vocabulary: what ``model_fn`` returns."""

    def __init__(self, net: CharGRU, vocabulary: str) -> None:
        self.net = net
        self.vocabulary = vocabulary
        self.index = {char: i for i, char in enumerate(vocabulary)}

    def encode(self, text: str) -> torch.Tensor:
        unknown = sorted({char for char in text if char not in self.index})
        if unknown:
            raise _error(400, f"the prompt has characters the model never saw: {unknown!r}")
        return torch.tensor([[self.index[char] for char in text]])

    def continue_text(self, prompt: str, max_chars: int) -> Iterator[str]:
        """The next ``max_chars`` characters after ``prompt``, one at a time."""
        with torch.inference_mode():
            logits, state = self.net(self.encode(prompt))
            for _ in range(max_chars):
                next_id = int(logits[0, -1].argmax())
                yield self.vocabulary[next_id]
                logits, state = self.net(torch.tensor([[next_id]]), state)


def _error(status: int, message: str) -> Exception:
    from serving import InferenceError

    return InferenceError(status, message)


def model_fn(model_dir: str) -> Generator:
    with open(os.path.join(model_dir, VOCABULARY_FILE), encoding="utf-8") as f:
        vocabulary = json.load(f)
    net = CharGRU(len(vocabulary))
    weights = torch.load(os.path.join(model_dir, WEIGHTS_FILE), weights_only=True)
    net.load_state_dict(weights)
    return Generator(net.eval(), vocabulary)


def input_fn(input_data: str | bytes, content_type: str) -> dict[str, Any]:
    media = (content_type or "").split(";")[0].strip().lower()
    text = input_data.decode("utf-8") if isinstance(input_data, bytes) else input_data
    if media == "text/plain":
        request: Any = {"prompt": text}
    elif media == "application/json":
        request = json.loads(text)
        if not isinstance(request, dict) or not isinstance(request.get("prompt"), str):
            raise _error(400, 'expected {"prompt": "...", "max_chars": 200}')
    else:
        raise _error(415, f"unsupported Content-Type {content_type!r}; use text/plain or JSON")
    max_chars = request.get("max_chars", DEFAULT_MAX_CHARS)
    if not isinstance(max_chars, int) or not 1 <= max_chars <= MAX_CHARS:
        raise _error(400, f"max_chars must be an integer from 1 to {MAX_CHARS}")
    if not request["prompt"]:
        raise _error(400, "the prompt is empty")
    return {"prompt": request["prompt"], "max_chars": max_chars}


def predict_fn(request: dict[str, Any], model: Generator) -> Iterator[str]:
    """A generator: each character is sent to the client as soon as it is made."""
    model.encode(request["prompt"])  # a bad prompt is a 400 before the stream starts
    return model.continue_text(request["prompt"], request["max_chars"])
