"""The entry TorchServe loads (``handlers.sagemaker_handler:handle`` in each model's
MANIFEST.json). The adapter itself lives in the TorchServe wing."""

from serving.engines.torchserve.handler import handle, initialize

__all__ = ["handle", "initialize"]
