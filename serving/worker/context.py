"""The ``context`` object that user hooks receive when they ask for it.

A hook opts in by naming its last parameter ``context``. Load-time hooks
(``pre_model_fn``, ``model_fn``, ``model_warmup_fn``) get a :class:`LoadContext`;
request-time hooks get a :class:`RequestContext` that belongs to *one* request of the
batch, so its headers and the response headers it sets are never mixed up with a
neighbour's.

For scripts written against the AWS toolkit, which receive TorchServe's own context,
the TorchServe-shaped members are kept: ``system_properties``,
``request_processor[0].get_request_properties()``, ``get_request_header(idx, name)``
and ``set_response_header(idx, name, value)``; the ``idx`` they take is ignored,
because this context only ever speaks for its own request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from serving.content_types import (
    CUSTOM_ATTRIBUTES_HEADER,
    INFERENCE_ID_HEADER,
    JSON,
    TARGET_MODEL_HEADER,
)

if TYPE_CHECKING:
    from serving.worker.compiling import CompiledShapes

_MAX_CUSTOM_ATTRIBUTES = 1024
# RFC 9110 token: what a header name may be made of.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class Headers(Mapping[str, str]):
    """A read-only, case-insensitive view of HTTP headers."""

    def __init__(self, headers: Mapping[str, Any] | None = None) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in (headers or {}).items():
            if isinstance(value, str | bytes | bytearray):
                text = value.decode("latin-1") if isinstance(value, bytes | bytearray) else value
                self._items[name.lower()] = (name, text)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


def _no_settings() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass
class LoadContext:
    """What a worker knows while it loads the model.

    ``settings`` is a read-only view of the worker's spec (``model_dir``, ``dtype``,
    ``compile``, ...), for scripts that read it; the typed fields are the same facts.
    """

    model_name: str
    model_dir: str
    device: str = "cpu"
    gpu_id: int | None = None
    batch_size: int = 1
    dtype: str = "float32"
    default_accept: str = JSON
    # Set once the model is compiled: the batch sizes the default predict_fn pads to.
    compiled: CompiledShapes | None = None
    settings: Mapping[str, Any] = field(default_factory=_no_settings)

    @property
    def system_properties(self) -> dict[str, Any]:
        """TorchServe-compatible properties (``model_dir``, ``gpu_id``, ``batch_size``)."""
        return {
            "model_dir": self.model_dir,
            "gpu_id": self.gpu_id,
            "batch_size": self.batch_size,
            "server_name": "serving",
        }


class _RequestProcessor:
    """The TorchServe ``RequestProcessor`` shape AWS-era scripts read headers from."""

    def __init__(self, headers: Headers) -> None:
        self._headers = headers

    def get_request_properties(self) -> dict[str, str]:
        return dict(self._headers.items())

    def get_request_property(self, key: str) -> str | None:
        return self._headers.get(key)


@dataclass
class RequestContext(LoadContext):
    """One request: its headers in, the response headers out."""

    request_id: str = ""
    headers: Headers = field(default_factory=Headers)
    response_headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, load: LoadContext, request_id: str, headers: Headers) -> RequestContext:
        """A context for one request, sharing everything the load context knows."""
        shared = {f.name: getattr(load, f.name) for f in fields(LoadContext)}
        return cls(**shared, request_id=request_id, headers=headers)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")

    @property
    def accept(self) -> str | None:
        return self.headers.get("Accept")

    @property
    def inference_id(self) -> str | None:
        """SageMaker's ``X-Amzn-SageMaker-Inference-Id`` for this request, if sent."""
        return self.headers.get(INFERENCE_ID_HEADER)

    @property
    def target_model(self) -> str | None:
        """SageMaker's ``X-Amzn-SageMaker-Target-Model`` (the artifact a multi-model
        endpoint was invoked for, relative to its S3 prefix), if sent."""
        return self.headers.get(TARGET_MODEL_HEADER)

    @property
    def label(self) -> str:
        """How log lines name this request: its id, and SageMaker's inference id when
        the caller gave one (cut to 128 printable characters: it is the caller's text)."""
        inference_id = self.inference_id
        if not inference_id:
            return self.request_id
        shown = "".join(c if c.isprintable() else "?" for c in inference_id[:128])
        return f"{self.request_id} (inference id {shown})"

    @property
    def custom_attributes(self) -> str | None:
        """The request's ``X-Amzn-SageMaker-Custom-Attributes`` header, if sent."""
        return self.headers.get(CUSTOM_ATTRIBUTES_HEADER)

    def set_custom_attributes(self, value: str) -> None:
        """Send ``X-Amzn-SageMaker-Custom-Attributes`` back with this response.

        SageMaker forwards at most 1024 visible US-ASCII characters.
        """
        if len(value) > _MAX_CUSTOM_ATTRIBUTES or not all(32 <= ord(c) < 127 for c in value):
            raise ValueError("custom attributes must be at most 1024 visible US-ASCII characters")
        self.response_headers[CUSTOM_ATTRIBUTES_HEADER] = value

    # TorchServe-shaped members, for scripts written against the AWS toolkit.
    @property
    def request_processor(self) -> list[_RequestProcessor]:
        return [_RequestProcessor(self.headers)]

    def get_request_header(self, idx: int, key: str) -> str | None:
        return self.headers.get(key)

    def get_all_request_header(self, idx: int) -> dict[str, str]:
        return dict(self.headers.items())

    def set_response_header(self, idx: int, key: str, value: str) -> None:
        # Netty, in TorchServe's frontend, would refuse these while writing the response;
        # refuse them here instead, in the hook that set them, with a message saying why.
        if not _TOKEN.fullmatch(key):
            raise ValueError(f"response header name {key!r} is not a valid HTTP header name")
        if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
            raise ValueError(
                f"response header {key!r} must not contain a line break or other control character"
            )
        self.response_headers[key] = value
