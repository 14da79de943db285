"""A sentiment endpoint written the way AWS's "PyTorch 2.0 on AWS, part 1" post writes one.

``model_fn`` builds a ``transformers`` pipeline from the model directory, ``input_fn``
takes ``application/x-text`` (the raw bytes of one review, decoded here), and
``predict_fn`` runs the pipeline. ``transformers`` is not in the image: it comes from
``code/requirements.txt``, installed when the server starts. Nothing here imports the
serving runtime, so the file runs unchanged under AWS's sagemaker-pytorch-inference
toolkit too; the answer, a list like ``[{"label": "POSITIVE", "score": 0.99}]``, is
encoded by the runtime's default ``output_fn`` (JSON).
"""

from __future__ import annotations

import logging
from typing import Any

import torch
from transformers import pipeline

logger = logging.getLogger(__name__)

TEXT_CONTENT_TYPE = "application/x-text"


class UnsupportedContentType(ValueError):
    """A body this model cannot read. ``status_code`` is the HTTP status the serving
    runtime answers with (415), instead of a 500 for any other exception."""

    status_code = 415


def model_fn(model_dir: str) -> Any:
    device = 0 if torch.cuda.is_available() else -1
    logger.info("loading the sentiment pipeline from %s on %s", model_dir, device)
    return pipeline("sentiment-analysis", model=model_dir, tokenizer=model_dir, device=device)


def input_fn(request_body: bytes, request_content_type: str) -> str:
    if request_content_type == TEXT_CONTENT_TYPE:
        return request_body.decode("utf-8")
    raise UnsupportedContentType(f"send {TEXT_CONTENT_TYPE}, not {request_content_type}")


def predict_fn(input_data: str, model: Any) -> list[dict[str, Any]]:
    return model(input_data)
