"""Hand-written stand-ins for TorchServe's worker, for tests that run no TorchServe.

:class:`FakeContext` mirrors the surface of TorchServe 0.12's ``ts.context.Context``
that the handler entry (``serving/engines/torchserve/handler.py``) uses, with the same
signatures (note
``set_response_status(code, phrase, idx)``: ``idx`` is last and defaults to 0, so a
handler that forgets it answers request 0 over and over, which the records expose).
Everything set is recorded per request index, so tests assert by value::

    assert fake.statuses == {0: 200, 1: 415, 2: 200}
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from serving.content_types import CLIENT_CONTENT_TYPE_HEADER, ENGINE_CONTENT_TYPE
from serving.worker_spec import CompileSpec, WorkerSpec

# TorchServe puts these per-part entries among a request's headers; they are dicts.
_PART = "body"


class FakeContext:
    """TorchServe's ``Context`` as the handler sees it, recording what it is told."""

    def __init__(
        self,
        serving: Mapping[str, Any] | None,
        *,
        model_name: str = "model",
        gpu_id: int | None = None,
        batch_size: int = 8,
    ) -> None:
        self.model_name = model_name
        model_dir = serving.get("model_dir") if serving else None
        self.model_yaml_config: dict[str, Any] = {"batchSize": batch_size}
        if serving is not None:
            self.model_yaml_config["serving"] = dict(serving)
        self.system_properties: dict[str, Any] = {
            "model_dir": model_dir,
            "gpu_id": gpu_id,
            "batch_size": batch_size,
            "server_name": "MMS",
            "server_version": "0.12.0",
            "limit_max_image_pixels": True,
        }
        self.request_ids: dict[int, str] | None = None
        self._headers: list[dict[str, Any]] = []
        self.statuses: dict[int, int] = {}
        self.phrases: dict[int, str] = {}
        self.response_headers: dict[int, dict[str, str]] = {}

    # --- loading a batch, as TorchServe's service.retrieve_data_for_inference does ----

    def batch(self, *requests: tuple[bytes | str, Mapping[str, str]]) -> list[dict[str, Any]]:
        """Make ``(body, headers)`` pairs a TorchServe batch: returns ``data`` for
        ``handle``. The headers are the client's, passed as the front passes them on: a
        Content-Type goes under the front's own name and the engine is sent a neutral
        one (``serving/front/nginx.py``); names keep the case they are given in, and
        each request gets TorchServe's per-part entry."""
        data: list[dict[str, Any]] = []
        self._headers = []
        self.request_ids = {}
        for index, (body, headers) in enumerate(requests):
            raw = body.encode() if isinstance(body, str) else body
            forwarded = {
                (CLIENT_CONTENT_TYPE_HEADER if name.lower() == "content-type" else name): value
                for name, value in headers.items()
            }
            self._headers.append(
                {
                    _PART: {"content-type": ENGINE_CONTENT_TYPE},
                    "Content-Type": ENGINE_CONTENT_TYPE,
                    **forwarded,
                }
            )
            self.request_ids[index] = f"req-{index}"
            data.append({_PART: bytearray(raw)})  # TorchServe hands bodies over as bytearray
        self.statuses, self.phrases, self.response_headers = {}, {}, {}
        return data

    # --- the Context surface -----------------------------------------------------------

    def _check(self, idx: Any) -> int:
        if not isinstance(idx, int) or isinstance(idx, bool):
            raise TypeError(f"idx must be an int, got {idx!r}")
        if not 0 <= idx < len(self._headers):
            raise IndexError(f"request index {idx} is outside the batch of {len(self._headers)}")
        return idx

    def get_request_id(self, idx: int = 0) -> str | None:
        return None if self.request_ids is None else self.request_ids.get(idx)

    def get_request_header(self, idx: int, key: str) -> str | None:
        return self._headers[self._check(idx)].get(key)

    def get_all_request_header(self, idx: int) -> dict[str, Any]:
        return self._headers[self._check(idx)]

    def set_response_status(self, code: int = 200, phrase: str = "", idx: int = 0) -> None:
        if not isinstance(code, int) or not isinstance(phrase, str):
            raise TypeError(f"set_response_status(code, phrase, idx) got {code!r}, {phrase!r}")
        self.statuses[self._check(idx)] = code
        self.phrases[idx] = phrase

    def set_response_content_type(self, idx: int, value: str) -> None:
        self.set_response_header(idx, "content-type", value)

    def set_response_header(self, idx: int, key: str, value: str) -> None:
        self.response_headers.setdefault(self._check(idx), {})[key] = value

    def get_response_headers(self, idx: int) -> dict[str, str]:
        return self.response_headers.get(self._check(idx), {})

    @property
    def content_types(self) -> dict[int, str]:
        return {
            i: h["content-type"] for i, h in self.response_headers.items() if "content-type" in h
        }


# --- model directories -----------------------------------------------------------------


def write_model_dir(root: Path, code: str | None = None, name: str = "model") -> Path:
    """A SageMaker-style model directory with ``code/inference.py`` (if ``code``)."""
    model_dir = root / name
    (model_dir / "code").mkdir(parents=True)
    if code is not None:
        (model_dir / "code" / "inference.py").write_text(textwrap.dedent(code))
    return model_dir


def worker_spec(model_dir: Path, **overrides: Any) -> WorkerSpec:
    """The spec start-up would build for one model in ``model_dir``, on the CPU."""
    values: dict[str, Any] = {
        "model_name": "model",
        "model_dir": model_dir,
        "code_dir": model_dir / "code",
        "entry_module": "inference",
        "device": "cpu",
        "dtype": "float32",
        "batch_size": 1,
        "default_accept": "application/json",
        "max_response_bytes": 6 * 1024 * 1024,
    }
    return WorkerSpec(**{**values, **overrides})


def compile_spec(cache: Path, **overrides: Any) -> CompileSpec:
    """Compile settings with a 3-wide float sample, batch sizes 1 and 4."""
    values: dict[str, Any] = {
        "backend": "inductor",
        "mode": "default",
        "dynamic": False,
        "fullgraph": False,
        "freezing": None,
        "batch_sizes": (1, 4),
        "warmup_shape": (3,),
        "warmup_dtype": "float32",
        "allow_eager_fallback": False,
        "cache_dir": cache,
    }
    return CompileSpec(**{**values, **overrides})


def isolate_user_module(monkeypatch: pytest.MonkeyPatch, cwd: Path) -> Iterator[None]:
    """Undo what loader.load_service does to the process: chdir, sys.path, and the
    ``inference`` module it imports by name. Use from a yield fixture."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "inference", raising=False)
    yield
    sys.modules.pop("inference", None)
