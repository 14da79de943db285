"""SageMaker hooks for all-MiniLM-L6-v2 sentence embeddings.

Requests are sentences (``text/plain``: one per non-empty line; ``application/json``:
a string, a list of strings, or ``{"inputs": string | list}``). Answers are unit-norm
float32 embeddings of shape (n, 384), encoded by the runtime's default ``output_fn``.

``input_fn`` tokenizes to one int64 tensor of shape (n, 2, 128) (token ids and
attention mask, padded to the 128 tokens the model was trained with), and the model
is a plain ``nn.Module`` over that tensor. So the runtime's default ``predict_fn``
runs it: requests of a batch share one forward pass, and ``compile`` can warm it up
with ``warmup: {shape: [2, 128], dtype: int64}``.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

MAX_TOKENS = 128  # all-MiniLM-L6-v2's training length; longer sentences are truncated
_tokenizer: PreTrainedTokenizerBase | None = None  # set by model_fn, used by input_fn


class MiniLMEncoder(torch.nn.Module):
    """BERT encoder + mean pooling over real tokens + L2 normalisation, as
    sentence-transformers' all-MiniLM-L6-v2 pipeline does, over one (n, 2, L) tensor."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        ids, mask = tokens[:, 0], tokens[:, 1]
        hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1).float()


def _error(status: int, message: str) -> Exception:
    # Imported only when needed, from the runtime that serves this model.
    from serving import InferenceError

    return InferenceError(status, message)


def _media_type(content_type: str | None) -> tuple[str, str]:
    """The bare, lower-cased media type and the charset parameter (default UTF-8)."""
    bare, *params = (content_type or "").split(";")
    charset = "utf-8"
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return bare.strip().lower(), charset


def _as_text(input_data: str | bytes, charset: str) -> str:
    if isinstance(input_data, str):
        return input_data
    try:
        return input_data.decode(charset)
    except LookupError:
        raise _error(415, f"unsupported charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise _error(
            400, f"body is not valid {charset} ({exc.reason} at byte {exc.start})"
        ) from None


def _sentences_from_json(text: str) -> list[str]:
    expected = 'expected a string, a list of strings, or {"inputs": string | list of strings}'
    try:
        payload: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(
            400, f"body is not valid JSON ({exc.msg} at line {exc.lineno}); {expected}"
        ) from None
    if isinstance(payload, dict):
        if set(payload) != {"inputs"}:
            raise _error(400, f"JSON object has keys {sorted(payload)}; {expected}")
        payload = payload["inputs"]
    if isinstance(payload, str):
        payload = [payload]
    if not isinstance(payload, list):
        raise _error(400, f"JSON body is a {type(payload).__name__}; {expected}")
    for i, item in enumerate(payload):
        if not isinstance(item, str):
            raise _error(400, f"JSON item {i} is a {type(item).__name__}; {expected}")
        # Rejected rather than dropped, so output row i always answers input item i.
        if not item.strip():
            raise _error(400, f"JSON item {i} is an empty sentence")
    return payload


def model_fn(model_dir: str) -> MiniLMEncoder:
    """Load the encoder and tokenizer from the (self-contained) model directory."""
    global _tokenizer
    # The weights are all in model_dir: never reach for the Hugging Face Hub while serving.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # transformers draws a "Loading weights" progress bar into the server log otherwise.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers import AutoModel, AutoTokenizer

    # local_files_only holds even if huggingface_hub was imported before the env was set.
    _tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    bert = AutoModel.from_pretrained(model_dir, local_files_only=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    return MiniLMEncoder(bert).to(device).eval()


def parse_sentences(input_data: str | bytes, content_type: str) -> list[str]:
    """Decode a request into a non-empty list of sentences."""
    media, charset = _media_type(content_type)
    if media == "text/plain":
        text = _as_text(input_data, charset)
        sentences = [line.strip() for line in text.splitlines() if line.strip()]
    elif media == "application/json":
        sentences = _sentences_from_json(_as_text(input_data, charset))
    else:
        raise _error(
            415, f"unsupported Content-Type {content_type!r}; use text/plain or application/json"
        )
    if not sentences:
        raise _error(400, "no sentences in the request; send at least one non-empty sentence")
    return sentences


def input_fn(input_data: str | bytes, content_type: str) -> torch.Tensor:
    """Sentences to token ids and attention masks, shape (n, 2, MAX_TOKENS), int64."""
    sentences = parse_sentences(input_data, content_type)
    if _tokenizer is None:
        raise RuntimeError("input_fn called before model_fn loaded the tokenizer")
    encoded = _tokenizer(
        sentences,
        padding="max_length",
        truncation=True,
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )
    return torch.stack([encoded["input_ids"], encoded["attention_mask"]], dim=1)
