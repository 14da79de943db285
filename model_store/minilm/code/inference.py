"""SageMaker hooks for all-MiniLM-L6-v2 sentence embeddings.

Requests are sentences (``text/plain``: one per non-empty line; ``application/json``:
a string, a list of strings, or ``{"inputs": string | list}``). Answers are unit-norm
float32 embeddings of shape (n, 384), encoded by the runtime's default ``output_fn``.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


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


def model_fn(model_dir: str) -> SentenceTransformer:
    """Load the sentence-transformers model from the (self-contained) model directory."""
    # The weights are all in model_dir: never reach for the Hugging Face Hub while serving.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # transformers draws a "Loading weights" progress bar into the server log otherwise.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    # local_files_only holds even if huggingface_hub was imported before the env was set.
    model = SentenceTransformer(model_dir, device=device, local_files_only=True)
    return model.eval()


def input_fn(input_data: str | bytes, content_type: str) -> list[str]:
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


def predict_fn(data: list[str], model: SentenceTransformer) -> torch.Tensor:
    """Unit-norm embeddings, float32 on the CPU, shape (len(data), 384)."""
    with torch.inference_mode():
        embeddings = model.encode(data, convert_to_tensor=True, normalize_embeddings=True)
    return embeddings.float().cpu()
