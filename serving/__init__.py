"""Declarative-config PyTorch serving on TorchServe, behind the SageMaker container contract.

User code imports from here: :class:`InferenceError` to answer with a chosen status,
and :class:`RequestContext` for type hints on hooks that take ``context``. They are
loaded on first use, so that a command that needs neither (``serving ping``, the
images' HEALTHCHECK) does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from serving.errors import InferenceError
    from serving.worker.context import LoadContext, RequestContext

__all__ = ["InferenceError", "LoadContext", "RequestContext"]

_PUBLIC = {
    "InferenceError": "serving.errors",
    "LoadContext": "serving.worker.context",
    "RequestContext": "serving.worker.context",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'serving' has no attribute {name!r}")
