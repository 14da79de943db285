"""torch.compile as a serving mode: sizes, padding, warm-up at load, failure and fallback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from torch._dynamo.testing import CompileCounter

from serving.config.environment import cache_dir
from serving.config.schema import CompileConfig
from serving.config.worker_specs import batch_sizes_for
from serving.errors import ModelLoadError
from serving.worker.compiling import compile_and_warm_up, padded_size, run_padded
from serving.worker_spec import CompileSpec
from tests.support.fakes import compile_spec


@pytest.fixture(autouse=True)
def _restore_compile_globals(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """compile_and_warm_up sets process-wide knobs (in a worker they belong to it alone)."""
    import torch._inductor.config as inductor_config

    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", "unset-by-test")
    with inductor_config.patch(freezing=False), torch._dynamo.config.patch(cache_size_limit=8):
        yield


@pytest.mark.parametrize(
    ("declared", "max_batch", "expected"),
    [((), 1, (1,)), ((), 6, (1, 2, 4, 6)), ((), 8, (1, 2, 4, 8)), ((8, 1, 8), 4, (1, 8))],
)
def test_batch_sizes(declared: tuple[int, ...], max_batch: int, expected: tuple[int, ...]) -> None:
    assert batch_sizes_for(declared, max_batch) == expected


@pytest.mark.parametrize(("rows", "size"), [(1, 1), (2, 2), (3, 4), (4, 4), (9, 4)])
def test_padded_size(rows: int, size: int) -> None:
    assert padded_size((1, 2, 4), rows) == size


def test_run_padded_pads_chunks_and_strips() -> None:
    seen: list[int] = []

    def forward(batch: torch.Tensor) -> torch.Tensor:
        seen.append(batch.shape[0])
        return batch * 10

    rows = torch.arange(7, dtype=torch.float32).reshape(7, 1)
    out = run_padded(forward, rows, (1, 2, 4))
    assert seen == [4, 4]  # 4 rows, then 3 rows padded to 4
    assert torch.equal(out, rows * 10)


def test_compile_config_requires_a_warmup_and_sorts_sizes() -> None:
    with pytest.raises(ValueError, match="warmup"):
        CompileConfig(enabled=True)
    config = CompileConfig(enabled=True, warmup={"shape": [3]}, batch_sizes=[8, 2, 2])
    assert config.batch_sizes == (2, 8)
    with pytest.raises(ValueError, match="mode"):
        CompileConfig(mode="fastest")


class Affine(torch.nn.Module):
    def __init__(self, *, graph_break: bool = False) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(3, 2)
        self.graph_break = graph_break

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.graph_break:
            torch._dynamo.graph_break()
        return self.linear(x)


def settings(tmp_path: Path, backend: Any, **extra: Any) -> CompileSpec:
    return compile_spec(tmp_path / "cache", backend=backend, batch_sizes=(1, 2, 4), **extra)


def test_every_batch_size_compiles_at_load_and_requests_reuse_it(tmp_path: Path) -> None:
    torch._dynamo.reset()
    counter = CompileCounter()
    model = Affine().eval()
    compiled, outcome = compile_and_warm_up(model, settings(tmp_path, counter), "cpu")
    assert outcome.compiled and outcome.fallback_reason is None and outcome.seconds > 0
    assert counter.frame_count == 3  # one graph per declared batch size
    for rows in (1, 3, 4, 7):
        batch = torch.randn(rows, 3)  # made outside inference_mode, as input_fn makes them
        with torch.inference_mode():
            assert torch.allclose(run_padded(compiled, batch, (1, 2, 4)), model(batch))
    assert counter.frame_count == 3  # no request compiled anything
    torch._dynamo.reset()


def test_compile_failure_fails_the_load_with_the_compiler_message(tmp_path: Path) -> None:
    torch._dynamo.reset()
    with pytest.raises(ModelLoadError, match="torch.compile failed") as error:
        compile_and_warm_up(
            Affine(graph_break=True), settings(tmp_path, "eager", fullgraph=True), "cpu"
        )
    assert "allow_eager_fallback" in error.value.message
    torch._dynamo.reset()


def test_eager_fallback_only_when_allowed_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    torch._dynamo.reset()
    model = Affine(graph_break=True)
    with caplog.at_level(logging.WARNING, logger="serving.worker.compiling"):
        served, outcome = compile_and_warm_up(
            model, settings(tmp_path, "eager", fullgraph=True, allow_eager_fallback=True), "cpu"
        )
    assert served is model and not outcome.compiled
    assert outcome.fallback_reason is not None
    assert outcome.fallback_reason.startswith("torch.compile failed")
    assert "COMPILE FALLBACK" in caplog.text
    torch._dynamo.reset()


def test_cache_dir_follows_serving_cache_dir_not_torchs_own_variable(tmp_path: Path) -> None:
    # Importing torch._inductor sets TORCHINDUCTOR_CACHE_DIR to its /tmp default.
    torch_default = {"TORCHINDUCTOR_CACHE_DIR": "/tmp/torchinductor_root"}
    assert cache_dir({**torch_default, "XDG_CACHE_HOME": str(tmp_path)}) == (tmp_path / "serving")
    assert cache_dir({**torch_default, "SERVING_CACHE_DIR": "/var/cache/serving"}) == (
        Path("/var/cache/serving")
    )
    assert cache_dir({**torch_default, "HOME": "/home/u"}) == Path("/home/u/.cache/serving")
