"""Declarative-config PyTorch serving on TorchServe, behind the SageMaker container contract.

User code imports from here: :class:`InferenceError` to answer with a chosen status,
and :class:`RequestContext` for type hints on hooks that take ``context``.
"""

from serving.context import LoadContext, RequestContext
from serving.errors import InferenceError

__all__ = ["InferenceError", "LoadContext", "RequestContext"]
