"""What one `serving bench` run measures (:class:`BenchPlan`), and what each of its
variants serves with: the server's config made from the plan (pure, but for
:func:`workers_of`, which reads this machine's cores and GPUs when the plan sets none)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from serving.config.sizing import default_workers
from serving.machine.processors import available_cpus, gpu_count

# The plan's settings that mean anything when only driving external endpoints (--url).
CLIENT_SETTINGS = {
    "sample",
    "content_type",
    "accept",
    "out",
    "concurrencies",
    "rate_rps",
    "duration_s",
    "warmup_s",
    "repeats",
    "max_requests",
    "urls",
    "baseline",
    "candidate",
}


@dataclass(frozen=True)
class BenchPlan:
    """What to measure; every field has a bounded default."""

    model_dir: Path
    sample: Path
    content_type: str
    out: Path
    accept: str | None = None
    variants: tuple[str, ...] = ("eager", "compiled")
    concurrencies: tuple[int, ...] = (1, 8, 32)
    rate_rps: float | None = None
    duration_s: float = 5.0
    warmup_s: float = 1.0
    repeats: int = 3
    max_requests: int = 200_000
    # None: the server's own default, as a user who sets nothing gets it.
    batch_size: int | None = None
    max_batch_delay_ms: int | None = None
    workers: int | None = None  # None: sized by serve, as when a config sets none
    dtype: str = "float32"
    device: str = "auto"
    compile_mode: str = "default"
    compile_batch_sizes: tuple[int, ...] = ()  # () : powers of two up to batch_size
    cache_dir: Path | None = None  # the inductor cache; None: a fresh one under out
    warmup_shape: tuple[int, ...] | None = None
    warmup_dtype: str | None = None
    startup_timeout_s: float = 600
    noop: bool = True
    urls: tuple[tuple[str, str], ...] = ()  # (name, url): external endpoints only
    baseline: str | None = None  # the ratio pair: candidate / baseline
    candidate: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def warmup_of(plan: BenchPlan) -> dict[str, Any]:
    """One sample's shape and dtype: given, or read from an NPY/JSON/CSV sample."""
    if plan.warmup_shape is not None:
        return {"shape": list(plan.warmup_shape), "dtype": plan.warmup_dtype or "float32"}
    import numpy as np

    from serving.worker import codecs

    decoded = codecs.decoder_for(plan.content_type).decode(plan.sample.read_bytes())
    array = np.asarray(decoded)
    if array.ndim < 2 or array.dtype.kind not in "biuf":
        raise SystemExit(
            "cannot tell the warm-up shape from the sample: pass --warmup-shape (one "
            "sample's shape without the batch dimension) and --warmup-dtype"
        )
    dtype = str(array.dtype) if plan.content_type.endswith("npy") else "float32"
    return {"shape": list(array.shape[1:]), "dtype": plan.warmup_dtype or dtype}


class Variant(NamedTuple):
    """What a variant name asks for: ``eager`` or ``compiled``, a dtype, and for compiled
    variants an inductor mode (None: the plan's ``compile_mode``)."""

    kind: str
    dtype: str
    compile_mode: str | None = None


def parse_variant(variant: str, default_dtype: str) -> Variant:
    """``eager``, ``compiled``, either with a dtype (``compiled:bfloat16``), and a compiled
    one with a mode too (``compiled:bfloat16:reduce-overhead``).

    >>> parse_variant("compiled:bfloat16", "float32")
    Variant(kind='compiled', dtype='bfloat16', compile_mode=None)
    >>> parse_variant("compiled::max-autotune", "float32").compile_mode
    'max-autotune'
    """
    kind, _, rest = variant.partition(":")
    dtype, _, compile_mode = rest.partition(":")
    if kind not in ("eager", "compiled", "noop") or (compile_mode and kind != "compiled"):
        raise SystemExit(
            f"unknown variant {variant!r}: use eager[:dtype] or compiled[:dtype[:mode]]"
        )
    return Variant(kind, dtype or default_dtype, compile_mode or None)


def is_compiled(variant: str) -> bool:
    return variant.partition(":")[0] == "compiled"


def workers_of(plan: BenchPlan) -> int:
    """The workers the plan's server runs: as given, else what serve sizes for one model
    on this machine (memory aside)."""
    if plan.workers is not None:
        return plan.workers
    gpus = gpu_count(os.environ) if plan.device != "cpu" else 0
    return default_workers(available_cpus(), gpus, models=1)


#: What the server's defaults are, for the report when the plan leaves them unset.
SERVER_DEFAULT = "server default"


def served_settings(plan: BenchPlan) -> dict[str, int]:
    """The batching settings the plan gives each server: only those it sets, so that the
    rest are the server's own defaults."""
    given = {"batch_size": plan.batch_size, "max_batch_delay_ms": plan.max_batch_delay_ms}
    return {name: value for name, value in given.items() if value is not None}


def described_settings(plan: BenchPlan) -> dict[str, str]:
    """The server settings a report shows: each as set, or said to be the server's
    default (workers: what serve sizes on this machine)."""
    return {
        "workers": str(plan.workers)
        if plan.workers is not None
        else f"{SERVER_DEFAULT} (sized: {workers_of(plan)})",
        "batch_size": str(plan.batch_size) if plan.batch_size is not None else SERVER_DEFAULT,
        "max_batch_delay_ms": str(plan.max_batch_delay_ms)
        if plan.max_batch_delay_ms is not None
        else SERVER_DEFAULT,
    }


def variant_config(plan: BenchPlan, variant: str, port: int, model_dir: Path) -> dict[str, Any]:
    kind, dtype, compile_mode = parse_variant(variant, plan.dtype)
    compile_section: dict[str, Any] = {"enabled": False}
    if kind == "compiled":
        compile_section = {
            "enabled": True,
            "mode": compile_mode or plan.compile_mode,
            "warmup": warmup_of(plan),
            "cache_dir": str(plan.cache_dir or plan.out / "inductor-cache"),
        } | ({"batch_sizes": list(plan.compile_batch_sizes)} if plan.compile_batch_sizes else {})
    return {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "install_requirements": False,
        }
        | ({"workers": plan.workers} if plan.workers is not None else {}),
        "models": [
            {
                "name": "model",
                "model_dir": str(model_dir),
                **served_settings(plan),
                "dtype": dtype,
                "device": plan.device,
                "startup_timeout_s": int(plan.startup_timeout_s),
                "compile": compile_section,
            }
        ],
    }
