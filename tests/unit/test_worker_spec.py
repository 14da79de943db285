"""WorkerSpec: built from the config by value, and unchanged by its trip through the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from serving.config.schema import Config
from serving.config.worker_specs import worker_spec
from serving.worker_spec import MB, CompileSpec, WorkerSpec

CACHE = Path("/cache/serving")


def spec_of(document: dict[str, Any], **kwargs: Any) -> WorkerSpec:
    config = Config.model_validate(document)
    return worker_spec(config.models[0], config, cache_dir=CACHE, **kwargs)


def test_a_default_model_is_served_eager_with_the_server_defaults() -> None:
    spec = spec_of({"models": [{"model_dir": "/m"}]})
    assert spec == WorkerSpec(
        model_name="model",
        model_dir=Path("/m"),
        code_dir=Path("/m/code"),
        entry_module="inference",
        device="auto",
        dtype="float32",
        batch_size=1,
        default_accept="application/json",
        max_response_bytes=64 * MB,
        response_timeout_s=60,
        compile=None,
        report_dir=None,
    )


def test_model_and_server_settings_reach_the_spec() -> None:
    spec = spec_of(
        {
            "server": {"default_accept": "text/csv", "max_payload_mb": 100},
            "models": [
                {
                    "name": "m1",
                    "model_dir": "/m",
                    "entry": "main.py",
                    "device": "cpu",
                    "dtype": "bfloat16",
                    "batch_size": 6,
                    "response_timeout_s": 90,
                }
            ],
        },
        report_dir=Path("/reports"),
    )
    assert (spec.model_name, spec.entry_module, spec.device, spec.dtype) == (
        "m1",
        "main",
        "cpu",
        "bfloat16",
    )
    assert (spec.batch_size, spec.default_accept) == (6, "text/csv")
    assert spec.max_response_bytes == 100 * MB  # the request limit, when above 64 MB
    assert spec.report_dir == Path("/reports")
    assert spec.response_timeout_s == 90


def test_compile_resolves_batch_sizes_and_the_cache() -> None:
    compiled = {"enabled": True, "mode": "reduce-overhead", "warmup": {"shape": [3, 8]}}
    spec = spec_of({"models": [{"model_dir": "/m", "batch_size": 6, "compile": compiled}]})
    assert spec.compile == CompileSpec(
        backend="inductor",
        mode="reduce-overhead",
        dynamic=False,
        fullgraph=False,
        freezing=None,
        batch_sizes=(1, 2, 4, 6),
        warmup_shape=(3, 8),
        warmup_dtype="float32",
        allow_eager_fallback=False,
        cache_dir=CACHE / "inductor",
    )
    own = {**compiled, "cache_dir": "/fast/disk", "batch_sizes": [8, 2]}
    spec = spec_of({"models": [{"model_dir": "/m", "batch_size": 6, "compile": own}]})
    assert spec.compile is not None
    assert (spec.compile.cache_dir, spec.compile.batch_sizes) == (Path("/fast/disk"), (2, 8))


def test_cuda_graphs_and_freezing_depend_on_the_device() -> None:
    compiled = {"enabled": True, "mode": "reduce-overhead", "warmup": {"shape": [3]}}
    spec = spec_of({"models": [{"model_dir": "/m", "compile": compiled}]}).compile
    assert spec is not None
    assert spec.uses_cuda_graphs("cuda:1") and not spec.uses_cuda_graphs("cpu")
    assert spec.freezes("cpu") and not spec.freezes("cuda:0")


names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True)
paths = st.lists(st.from_regex(r"[a-z0-9_ ]{1,8}", fullmatch=True), min_size=1, max_size=4).map(
    lambda parts: Path("/", *parts)
)
compile_specs = st.builds(
    CompileSpec,
    backend=st.sampled_from(["inductor", "eager", "aot_eager"]),
    mode=st.sampled_from(["default", "reduce-overhead", "max-autotune"]),
    dynamic=st.booleans(),
    fullgraph=st.booleans(),
    freezing=st.none() | st.booleans(),
    batch_sizes=st.lists(st.integers(1, 1024), min_size=1, max_size=5).map(
        lambda sizes: tuple(sorted(set(sizes)))
    ),
    warmup_shape=st.lists(st.integers(1, 512), min_size=1, max_size=4).map(tuple),
    warmup_dtype=st.sampled_from(["float32", "int64", "bfloat16"]),
    allow_eager_fallback=st.booleans(),
    cache_dir=paths,
)
specs = st.builds(
    WorkerSpec,
    model_name=names,
    model_dir=paths,
    code_dir=paths,
    entry_module=st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True),
    device=st.sampled_from(["auto", "cpu", "cuda"]),
    dtype=st.sampled_from(["float32", "bfloat16", "float16"]),
    batch_size=st.integers(1, 1024),
    default_accept=st.sampled_from(["application/json", "text/csv"]),
    max_response_bytes=st.integers(1, 2**40),
    response_timeout_s=st.integers(1, 3600),
    compile=st.none() | compile_specs,
    report_dir=st.none() | paths,
)


@given(specs)
def test_a_spec_survives_the_trip_through_yaml(spec: WorkerSpec) -> None:
    carried = yaml.safe_load(yaml.safe_dump(spec.to_dict()))
    assert WorkerSpec.from_dict(carried) == spec


def test_unknown_keys_are_refused_not_ignored() -> None:
    values = spec_of({"models": [{"model_dir": "/m"}]}).to_dict()
    with pytest.raises(TypeError, match="batchsize"):
        WorkerSpec.from_dict({**values, "batchsize": 4})
