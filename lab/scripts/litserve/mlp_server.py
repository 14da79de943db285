"""The benchmark MLP served by LitServe with its defaults, for `compare_with_litserve.sh`:
the same weights and module as `model_store/mlp`, JSON in (a list of rows), JSON out.

    python lab/scripts/litserve/mlp_server.py MODEL_DIR PORT

Run in LitServe's own venv (`.venv-litserve`), not the runtime's.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import litserve as ls
import torch


def load_model(model_dir: Path) -> torch.nn.Module:
    """``model_fn`` of the model's own ``code/inference.py``, as both servers load it."""
    code = model_dir / "code" / "inference.py"
    spec = importlib.util.spec_from_file_location("mlp_inference", code)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model: torch.nn.Module = module.model_fn(str(model_dir))
    return model


class MLPAPI(ls.LitAPI):  # type: ignore[misc]
    def __init__(self, model_dir: Path) -> None:
        super().__init__()
        self.model_dir = model_dir

    def setup(self, device: str) -> None:
        self.model = load_model(self.model_dir)

    # No annotation on ``request``: LitServe reads it to pick the endpoint's body type, and
    # without one parses the JSON body itself (its default).
    def decode_request(self, request):  # type: ignore[no-untyped-def]  # noqa: ANN001
        return torch.as_tensor(request, dtype=torch.float32)

    def predict(self, x: torch.Tensor) -> Any:
        with torch.inference_mode():
            return self.model(x)

    def encode_response(self, output: torch.Tensor) -> Any:
        return output.tolist()


if __name__ == "__main__":
    model_dir, port = Path(sys.argv[1]), int(sys.argv[2])
    server = ls.LitServer(MLPAPI(model_dir), accelerator="cpu")
    # Its defaults but two: loopback only, and no client.py written into the working directory.
    server.run(host="127.0.0.1", port=port, generate_client_file=False)
