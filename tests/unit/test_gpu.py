"""The CUDA paths: run where a GPU is present, skipped (and reported as skipped) on CPU."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from serving.worker.compiling import CompiledShapes, compile_and_warm_up, run_padded
from serving.worker.loader import resolve_device
from serving.worker_spec import CompileSpec
from tests.support.fakes import compile_spec

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
    # torch's own warnings on a GPU (seen with 2.11.0+cu130 on an H100), which the suite's
    # filterwarnings = error would turn into compile failures: importing inductor warns
    # that torch.jit.script_method is deprecated, a float32 matmul suggests TF32, and
    # cudagraph trees capture an empty graph to create their memory pool.
    pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:TensorFloat32 tensor cores:UserWarning"),
    pytest.mark.filterwarnings("ignore:The CUDA Graph is empty:UserWarning"),
]


def test_worker_device_is_the_gpu_torchserve_assigned() -> None:
    last = torch.cuda.device_count() - 1
    assert resolve_device("auto", last, True) == f"cuda:{last}"


def test_default_predict_runs_on_the_worker_gpu_in_bfloat16() -> None:
    from serving.worker.context import LoadContext
    from serving.worker.defaults import default_predict_fn

    model = torch.nn.Linear(4, 2).cuda().to(torch.bfloat16)
    context = LoadContext("m", "/m", device="cuda:0", gpu_id=0, dtype="bfloat16")
    out = default_predict_fn(torch.ones(3, 4), model, context)
    assert out.device.type == "cuda" and out.dtype == torch.bfloat16


@pytest.mark.parametrize("mode", ["default", "reduce-overhead"])
def test_compiled_bfloat16_on_gpu_serves_every_warmed_size(tmp_path: Path, mode: str) -> None:
    torch._dynamo.reset()
    model = torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.ReLU()).cuda()
    model = model.to(torch.bfloat16).eval()
    settings = compile_spec(tmp_path, mode=mode, warmup_shape=(16,))
    compiled, outcome = compile_and_warm_up(model, settings, "cuda:0", "bfloat16")
    assert outcome.compiled
    batch = torch.randn(3, 16, device="cuda:0", dtype=torch.bfloat16)
    out = run_padded(compiled, batch, (1, 4))
    assert out.shape == (3, 16)
    torch._dynamo.reset()


def _linear_relu(dtype: torch.dtype) -> torch.nn.Module:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.ReLU())
    return model.cuda().to(dtype).eval()


@pytest.mark.parametrize("mode", ["default", "reduce-overhead"])
def test_compiled_gpu_batch_above_the_largest_size_is_chunked_right(
    tmp_path: Path, mode: str
) -> None:
    # 10 rows through sizes (1, 4): chunks of 4, 4 and 2 padded to 4. With CUDA graphs
    # each replay reuses the last one's output memory, so the chunks must be copied out.
    torch._dynamo.reset()
    model = _linear_relu(torch.float32)
    settings = compile_spec(tmp_path, mode=mode, warmup_shape=(16,))
    compiled, outcome = compile_and_warm_up(model, settings, "cuda:0", "float32")
    assert outcome.compiled
    batch = torch.randn(10, 16, device="cuda:0")
    with torch.inference_mode():
        expected = model(batch)
    out = run_padded(compiled, batch, (1, 4))
    torch.testing.assert_close(out, expected, rtol=1e-3, atol=1e-3)
    torch._dynamo.reset()


def _reduce_overhead(cache: Path) -> CompileSpec:
    """Compile settings with CUDA graphs, batch sizes 1 and 4, a 16-wide sample."""
    return compile_spec(cache, mode="reduce-overhead", warmup_shape=(16,))


def test_reduce_overhead_warm_up_leaves_no_compile_or_recording_to_requests(
    tmp_path: Path,
) -> None:
    from torch._dynamo.callback import CallbackArgs, CallbackTrigger, callback_handler

    torch._dynamo.reset()
    model = _linear_relu(torch.bfloat16)
    settings = _reduce_overhead(tmp_path)
    compiled, outcome = compile_and_warm_up(model, settings, "cuda:0", "bfloat16")
    assert outcome.compiled
    seen: list[CallbackTrigger] = []

    def record(args: CallbackArgs) -> None:
        seen.append(args.callback_trigger)

    callback_handler.register_start_callback(record)
    try:
        for rows in (1, 3, 4, 2, 1):
            batch = torch.randn(rows, 16, device="cuda:0", dtype=torch.bfloat16)
            assert run_padded(compiled, batch, (1, 4)).shape == (rows, 16)
    finally:
        callback_handler.remove_start_callback(record)
    assert seen == []  # neither a dynamo compile nor a CUDA graph recording
    torch._dynamo.reset()


def test_requests_answered_one_by_one_keep_their_own_cuda_graph_outputs(
    tmp_path: Path,
) -> None:
    # A batch whose requests cannot share a forward pass runs them one by one and encodes
    # them after the last: each answer must still be its own request's.
    from serving.worker.context import LoadContext
    from serving.worker.defaults import default_predict_fn

    torch._dynamo.reset()
    model = _linear_relu(torch.float32)
    settings = _reduce_overhead(tmp_path)
    compiled, outcome = compile_and_warm_up(model, settings, "cuda:0", "float32")
    assert outcome.compiled
    context = LoadContext(
        "m",
        "/m",
        device="cuda:0",
        gpu_id=0,
        dtype="float32",
        compiled=CompiledShapes(batch_sizes=(1, 4), sample_ndim=1, cuda_graphs=True),
    )
    inputs = [torch.randn(rows, 16) for rows in (2, 3, 2)]
    answers = [default_predict_fn(data, compiled, context) for data in inputs]
    with torch.inference_mode():
        for data, answer in zip(inputs, answers, strict=True):
            torch.testing.assert_close(answer, model(data.cuda()), rtol=1e-3, atol=1e-3)
    torch._dynamo.reset()


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    from tests.support.fakes import isolate_user_module

    yield from isolate_user_module(monkeypatch, tmp_path)


@pytest.mark.usefixtures("isolated")
def test_a_cpu_module_from_model_fn_is_served_on_the_worker_gpu(tmp_path: Path) -> None:
    # An AWS-style model_fn that builds the module without .to(device), with the default
    # predict_fn: AWS's toolkit moves the model to the GPU, and so must the runtime, or
    # every request fails with "Input type (torch.cuda.FloatTensor) and weight type
    # (torch.FloatTensor) should be the same".
    from serving.worker.context import Headers
    from serving.worker.loader import load_service
    from serving.worker.service import Request
    from serving.worker_spec import Placement
    from tests.support.fakes import worker_spec, write_model_dir

    model_dir = write_model_dir(
        tmp_path,
        """
        import torch

        def model_fn(model_dir):
            torch.manual_seed(0)
            return torch.nn.Linear(2, 1).eval()
        """,
    )
    service = load_service(worker_spec(model_dir, device="cuda"), Placement(gpu_id=0))
    assert all(p.device.type == "cuda" for p in service.model.parameters())
    request = Request("r", Headers({"Content-Type": "application/json"}), bytearray(b"[[1, 2]]"))
    [answer] = service.handle([request])
    assert answer.status == 200, answer.body
