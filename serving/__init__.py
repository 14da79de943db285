"""Declarative-config PyTorch serving on TorchServe, behind the SageMaker container contract.

User code imports from here: :class:`InferenceError` to answer with a chosen status,
and :class:`RequestContext` for type hints on hooks that take ``context``.
"""

from serving.errors import InferenceError
from serving.worker.context import LoadContext, RequestContext

__all__ = ["InferenceError", "LoadContext", "RequestContext"]
