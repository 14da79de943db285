"""The default hooks, used for whatever the user's inference module leaves out.

They follow the AWS PyTorch toolkit's defaults (TorchScript ``model.pt``, tensors in,
tensors out) and fix what it gets wrong: the worker's own device rather than
``cuda:0``, ``inference_mode`` rather than ``no_grad``, 4xx for bad input, and a
response Content-Type that is the type actually produced. User hooks may call them,
e.g. to handle one extra content type and delegate the rest::

    from serving.worker.defaults import default_input_fn

    def input_fn(input_data, content_type):
        if content_type == "text/plain":
            return parse_my_text(input_data)
        return default_input_fn(input_data, content_type)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from serving.content_types import (
    ANY,
    CSV,
    JSON,
    JSON_LINES,
    NPY,
    OCTET_STREAM,
    TEXT,
    acceptable,
    media_type,
)
from serving.errors import InvalidInput, ModelLoadError
from serving.worker import codecs
from serving.worker.compiling import run_padded
from serving.worker.streams import close_quietly, is_stream

if TYPE_CHECKING:
    from serving.worker.compiling import CompiledShapes
    from serving.worker.context import LoadContext

WEIGHT_SUFFIXES = (".pt", ".pth", ".pt2")


def find_model_file(names: Iterable[str]) -> str:
    """Pick the weights file the default ``model_fn`` loads, from a directory listing.

    ``model.pt`` if present; otherwise exactly one ``*.pt``/``*.pth`` (TorchScript) or
    ``*.pt2`` (``torch.export``) file.
    """
    listing = sorted(names)
    if "model.pt" in listing:
        return "model.pt"
    candidates = [n for n in listing if n.endswith(WEIGHT_SUFFIXES)]
    if len(candidates) == 1:
        return candidates[0]
    found = ", ".join(candidates) if candidates else "none"
    raise ModelLoadError(
        "the default model_fn needs model.pt, or exactly one *.pt/*.pth TorchScript file or "
        f"*.pt2 torch.export program, in the model directory; found: {found}. "
        "Define model_fn(model_dir) in code/inference.py to load anything else"
    )


def _device(context: LoadContext | None) -> str:
    return context.device if context is not None else "cpu"


def default_model_fn(model_dir: str, context: LoadContext | None = None) -> Any:
    """Load TorchScript or a torch.export program from ``model_dir`` onto the worker's device."""
    import torch

    files = [n for n in os.listdir(model_dir) if os.path.isfile(os.path.join(model_dir, n))]
    path = os.path.join(model_dir, find_model_file(files))
    device = _device(context)
    if path.endswith(".pt2"):
        try:
            return torch.export.load(path).module().to(device)
        except Exception as error:
            raise ModelLoadError(f"{path} is not a torch.export program: {error}") from error
    try:
        model = torch.jit.load(path, map_location=device)  # type: ignore[no-untyped-call]
    except Exception as error:
        raise ModelLoadError(
            f"{path} is not a TorchScript program ({type(error).__name__}). A state_dict or a "
            "pickled module needs a model_fn(model_dir) in code/inference.py that builds the "
            "module and loads the weights"
        ) from error
    return model.eval()


def _as_array(value: Any, content_type: str) -> np.ndarray:
    # Converting straight to float32 would turn JSON null into NaN and parse numeric
    # strings ("1.5"): look at what was sent first, and refuse anything but numbers.
    def refuse(reason: str) -> InvalidInput:
        return InvalidInput(
            f"the default input_fn needs a rectangular array of numbers in the {content_type} "
            f"body ({reason}); send numbers only, or define input_fn in code/inference.py"
        )

    try:
        probe = np.asarray(value)
        if probe.dtype.kind == "O":  # null, strings or objects, or ints past int64
            for item in probe.flat:
                if not isinstance(item, int | float):
                    found = "null" if item is None else f"{type(item).__name__} {item!r:.40}"
                    raise refuse(f"found {found}")
        elif probe.dtype.kind not in "biuf":
            raise refuse("found strings" if probe.dtype.kind in "US" else f"found {probe.dtype}")
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            array = probe.astype(np.float32)
        if not np.isfinite(array).all():
            # NaN, 1e999 (read as infinity) or 1e300 (past float32): the request's doing,
            # not a question of what the client accepts back.
            raise refuse("found a number not finite in float32: NaN, infinity, beyond 3.4e38")
        return array
    except (ValueError, TypeError, OverflowError) as error:
        raise refuse(str(error)) from None


def default_input_fn(input_data: Any, content_type: str | None, context: Any = None) -> Any:
    """Decode a request body: JSON and CSV to float32 tensors, NPY keeping its dtype,
    text/plain to ``str``; tensors land on the worker's device."""
    import torch

    bare = media_type(content_type)
    codec = codecs.decoder_for(bare)
    decoded = codec.decode(input_data)
    if bare == TEXT:
        return decoded
    if bare in (JSON, CSV, JSON_LINES):
        tensor = torch.from_numpy(_as_array(decoded, bare))
    elif bare == NPY:
        if decoded.dtype.kind not in "biufc":
            raise InvalidInput(
                f"the default input_fn needs a numeric NPY array, got dtype {decoded.dtype}"
            )
        # torch refuses non-native byte order ('>f8' from a big-endian client).
        native = decoded.astype(decoded.dtype.newbyteorder("="), copy=False)
        tensor = torch.from_numpy(np.ascontiguousarray(native))
    else:  # a codec without a tensor mapping: hand over what it decoded
        return decoded
    device = _device(context)
    return tensor if device == "cpu" else tensor.to(device)


def default_predict_fn(data: Any, model: Any, context: Any = None) -> Any:
    """Run ``model(data)`` under ``torch.inference_mode()`` on the worker's device."""
    import torch

    dtype: str = getattr(context, "dtype", "float32")
    compiled: CompiledShapes | None = getattr(context, "compiled", None)
    with torch.inference_mode():
        if isinstance(data, torch.Tensor):
            data = data.to(_device(context))
            if data.is_floating_point() and dtype != "float32":
                data = data.to(getattr(torch, dtype))
            if compiled is not None and data.ndim == compiled.sample_ndim + 1:
                # Only the batch sizes compiled at load: pad, run, strip (compiling.py).
                output = run_padded(model, data, compiled.batch_sizes)
            else:
                output = model(data)
        else:
            output = model(data)
        if compiled is not None and compiled.cuda_graphs:
            # A CUDA graph replay's outputs live in memory that the next replay reuses, and
            # a batch whose requests run one by one encodes them only after the last one.
            output = _owned(output)
        return output


def _owned(value: Any) -> Any:
    """Copies of the tensors in ``value`` (nested in lists, tuples and dicts too)."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, dict):
        return {key: _owned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_owned(item) for item in value]
    if isinstance(value, tuple):
        items = [_owned(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def to_plain(prediction: Any) -> Any:
    """Tensors (also nested in lists, tuples and dicts) to numpy, ready for a codec."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return prediction
    if isinstance(prediction, torch.Tensor):
        tensor = prediction.detach()
        if tensor.dtype in (torch.bfloat16, torch.float16):
            tensor = tensor.float()  # numpy has no bfloat16
        return tensor.cpu().numpy()
    if isinstance(prediction, dict):
        return {key: to_plain(value) for key, value in prediction.items()}
    if isinstance(prediction, list | tuple):
        return [to_plain(value) for value in prediction]
    return prediction


def default_output_fn(prediction: Any, accept: str | None, context: Any = None) -> tuple[Any, str]:
    """Encode a prediction in the best type the Accept header allows. A prediction that
    is an iterator (a streaming ``predict_fn``) is an answer in parts: see
    :func:`streamed_output`."""
    default = getattr(context, "default_accept", JSON)
    if is_stream(prediction):
        # The runtime passes the default accept for a missing or */* Accept (as AWS's
        # toolkit does); a stream's type depends on whether the client named one.
        client = (getattr(context, "accept", None) or "").strip()
        named = client not in ("", ANY) or accept != default
        return streamed_output(prediction, accept if named else None, default)
    codec = codecs.negotiate(accept, default)
    return codecs.encode_answer(codec, to_plain(prediction))


# A text answer's type: the bytes are UTF-8, whatever a client's default would be.
TEXT_UTF8 = f"{TEXT}; charset=utf-8"
_NOTHING = object()


def streamed_output(items: Iterator[Any], accept: str | None, default: str) -> tuple[Any, str]:
    """The parts of a streamed prediction and the answer's type, told by its first item:

    * ``str`` items (tokens) are sent as UTF-8 text, ``text/plain; charset=utf-8``,
      unless the Accept header excludes text and names a codec: then each is one value
      of that codec (``Accept: application/jsonlines`` gets a JSON string per line);
    * ``bytes`` items are sent as they are, ``application/octet-stream`` unless the
      Accept header names the type the model made them in;
    * anything else (tensors, lists, dicts) through the negotiated codec, one value
      per part.

    The first item is made here, so a failure before it is an ordinary error answer."""
    try:
        first = next(items, _NOTHING)
    except BaseException:
        close_quietly(items)
        raise
    if first is _NOTHING:
        return iter(()), codecs.negotiate(accept, default).media_type
    everything = itertools.chain([first], items)
    if isinstance(first, str):
        codec = codecs.negotiate(accept, TEXT)
        as_is = codec.media_type == TEXT
        media = TEXT_UTF8 if as_is else codec.media_type
    elif isinstance(first, bytes | bytearray | memoryview):
        as_is = True
        if acceptable(accept, OCTET_STREAM):
            codec, media = codecs.CODECS[TEXT], OCTET_STREAM
        else:
            codec = codecs.negotiate(accept, default)
            media = codec.media_type
    else:
        codec = codecs.negotiate(accept, default)
        as_is, media = False, codec.media_type
    return _encoded_parts(everything, items, codec, as_is), media


def _encoded_parts(
    items: Iterator[Any], source: Iterator[Any], codec: codecs.Codec, as_is: bool
) -> Iterator[Any]:
    """Each item as one part: text and bytes as they are when ``as_is`` (the service
    sends ``str`` as UTF-8), the rest through ``codec``."""
    try:
        for item in items:
            if as_is and isinstance(item, str | bytes | bytearray | memoryview):
                yield item
            else:
                yield codec.encode_one_part(to_plain(item))
    finally:  # closing this generator closes the user's, so that its finally runs too
        close_quietly(source)


DEFAULT_HOOKS: dict[str, Callable[..., Any]] = {
    "model_fn": default_model_fn,
    "input_fn": default_input_fn,
    "predict_fn": default_predict_fn,
    "output_fn": default_output_fn,
}
