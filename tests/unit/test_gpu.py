"""The CUDA paths: run where a GPU is present, skipped (and reported as skipped) on CPU."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from serving.compiling import compile_and_warm_up, run_padded
from serving.loader import resolve_device

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


def test_worker_device_is_the_gpu_torchserve_assigned() -> None:
    last = torch.cuda.device_count() - 1
    assert resolve_device("auto", last, True) == f"cuda:{last}"


def test_default_predict_runs_on_the_worker_gpu_in_bfloat16() -> None:
    from serving.context import LoadContext
    from serving.defaults import default_predict_fn

    model = torch.nn.Linear(4, 2).cuda().to(torch.bfloat16)
    context = LoadContext("m", "/m", device="cuda:0", gpu_id=0, settings={"dtype": "bfloat16"})
    out = default_predict_fn(torch.ones(3, 4), model, context)
    assert out.device.type == "cuda" and out.dtype == torch.bfloat16


@pytest.mark.parametrize("mode", ["default", "reduce-overhead"])
def test_compiled_bfloat16_on_gpu_serves_every_warmed_size(tmp_path: Path, mode: str) -> None:
    torch._dynamo.reset()
    model = torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.ReLU()).cuda()
    model = model.to(torch.bfloat16).eval()
    settings = {
        "backend": "inductor",
        "mode": mode,
        "batch_sizes": [1, 4],
        "warmup": {"shape": [16]},
        "cache_dir": str(tmp_path),
    }
    compiled, ok = compile_and_warm_up(model, settings, "cuda:0", "bfloat16")
    assert ok
    batch = torch.randn(3, 16, device="cuda:0", dtype=torch.bfloat16)
    out = run_padded(compiled, batch, (1, 4))
    assert out.shape == (3, 16)
    torch._dynamo.reset()
