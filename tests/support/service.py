"""A ModelService over the real codecs and default hooks, and the requests the tests send it."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import torch

from serving.worker.context import Headers, LoadContext
from serving.worker.defaults import DEFAULT_HOOKS
from serving.worker.hooks import resolve_hooks
from serving.worker.service import ModelService, Request, Response

JSON, CSV, NPY = "application/json", "text/csv", "application/x-npy"


class Model(torch.nn.Module):
    """Counts forward passes; scales by 10; refuses negative input if asked to."""

    def __init__(self, *, scale: int = 10, refuse_negative: bool = False) -> None:
        super().__init__()
        self.calls: list[tuple[int, ...]] = []
        self.scale, self.refuse_negative = scale, refuse_negative

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(tuple(x.shape))
        if self.refuse_negative and bool((x < 0).any()):
            raise ValueError("negative input")
        return x * self.scale


def service(
    user: dict[str, Any] | None = None,
    model: Any = None,
    default_accept: str = JSON,
    max_response_bytes: int | None = None,
) -> ModelService:
    hooks = resolve_hooks(user or {}, DEFAULT_HOOKS)
    context = LoadContext("m", "/m", default_accept=default_accept)
    return ModelService(hooks, Model() if model is None else model, context, max_response_bytes)


def req(body: bytes | str, content_type: str | None = JSON, accept: str | None = None) -> Request:
    headers = {"Content-Type": content_type, "Accept": accept}
    raw = body.encode() if isinstance(body, str) else body
    return Request(
        "rid", Headers({k: v for k, v in headers.items() if v is not None}), bytearray(raw)
    )


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def error(response: Response) -> dict[str, Any]:
    assert response.content_type == JSON
    body = json.loads(response.body)
    assert set(body) == {"code", "type", "message"} and body["code"] == response.status
    assert "Traceback" not in response.body.decode()
    return body
