"""SageMaker hooks for the digits classifier, plus the network they load.

The architecture lives here and only here: ``train.py`` imports this file by path,
so the weights it saves always match what ``model_fn`` builds.

Requests carry the 64 raw pixel values (0..16) of an 8x8 image, as JSON, CSV or NPY
(decoded by the runtime's default ``input_fn``), or as ``text/plain`` ASCII art
(decoded here). Answers are class probabilities of shape (N, 10), encoded by the
runtime's default ``output_fn``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
from torch import nn

SIDE = 8
N_PIXELS = SIDE * SIDE
N_CLASSES = 10
MAX_PIXEL = 16.0
# Darkest last: a space is 0 and "@" is 16, so art reads like the digit itself.
RAMP = " .:-=+*#%@"
WEIGHTS_FILE = "model.pth"


class DigitsNet(nn.Module):
    """A small MLP over the 64 raw pixels; outputs class probabilities."""

    def __init__(self, hidden: int = 128) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(N_PIXELS, hidden),
            nn.ReLU(),
            nn.Linear(hidden, N_CLASSES),
        )

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Unnormalised scores; training uses these for a numerically stable loss."""
        # NPY bodies keep their dtype (uint8, int64, float64...): match the weights' dtype.
        x = x.to(self.layers[0].weight.dtype)
        # Scaling lives in the network so clients send raw 0..16 pixels, as load_digits has them.
        return self.layers(x / MAX_PIXEL)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class probabilities, shape (N, 10), for a batch of shape (N, 64)."""
        return torch.softmax(self.logits(x), dim=-1)


def _device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def model_fn(model_dir: str) -> DigitsNet:
    """Build the network and load the state_dict saved by ``train.py``."""
    model = DigitsNet()
    state = torch.load(os.path.join(model_dir, WEIGHTS_FILE), weights_only=True, map_location="cpu")
    model.load_state_dict(state)
    # The default predict_fn moves each batch to the worker's device, and a module left
    # on the CPU there once at load; placing it here keeps the example explicit. "cuda" is
    # the current CUDA device, the worker's own when the runtime selects it.
    return model.to(_device()).eval()


def _bare_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _bad_request(message: str) -> Exception:
    # Imported only when needed: the runtime provides `serving`, and the success path
    # (training, sample generation) works without it.
    from serving import InferenceError

    return InferenceError(400, message)


def render_ascii_art(pixels: Sequence[float]) -> str:
    """The inverse of :func:`parse_ascii_art` up to quantisation: 64 pixels -> 8 lines.

    Trailing spaces are dropped (the parser pads them back) so the text survives editors.
    """
    if len(pixels) != N_PIXELS:
        raise ValueError(f"expected {N_PIXELS} pixels, got {len(pixels)}")
    chars = [RAMP[round(float(v) * (len(RAMP) - 1) / MAX_PIXEL)] for v in pixels]
    rows = ["".join(chars[i : i + SIDE]).rstrip() or " " for i in range(0, N_PIXELS, SIDE)]
    return "\n".join(rows) + "\n"


def parse_ascii_art(text: str) -> torch.Tensor:
    """Decode an 8x8 ASCII-art digit into a float32 tensor of shape (1, 64).

    The art is the body's 8 non-empty lines (empty lines are ignored, so a trailing
    newline is fine); each character is one pixel from ``RAMP`` (space = 0 ... "@" = 16,
    intensity ``round(index * 16 / 9)``), and lines shorter than 8 are right-padded with
    spaces. Anything else raises ``InferenceError(400, ...)`` saying what is expected.
    """
    expected = (
        f"expected {SIDE} non-empty lines of at most {SIDE} characters from {RAMP!r} "
        f"(space = 0 ... '@' = 16; shorter lines are padded with spaces)"
    )
    lines = [line for line in text.splitlines() if line]
    if len(lines) != SIDE:
        plural = "" if len(lines) == 1 else "s"
        raise _bad_request(f"ASCII-art digit has {len(lines)} non-empty line{plural}; {expected}")
    pixels: list[float] = []
    for row, line in enumerate(lines, start=1):
        if len(line) > SIDE:
            raise _bad_request(f"ASCII-art line {row} has {len(line)} characters; {expected}")
        for col, char in enumerate(line.ljust(SIDE), start=1):
            index = RAMP.find(char)
            if index < 0:
                raise _bad_request(
                    f"ASCII-art line {row}, column {col}: unknown character {char!r}; {expected}"
                )
            pixels.append(float(round(index * MAX_PIXEL / (len(RAMP) - 1))))
    return torch.tensor([pixels], dtype=torch.float32)


def input_fn(input_data: str | bytes, content_type: str) -> torch.Tensor:
    """Decode ``text/plain`` ASCII art here; every other type goes to the runtime default."""
    if _bare_type(content_type) == "text/plain":
        if isinstance(input_data, bytes):
            try:
                # The ramp is ASCII, so any ASCII-compatible charset decodes the same way.
                input_data = input_data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _bad_request(
                    f"text/plain body is not UTF-8 text ({exc.reason} at byte {exc.start})"
                ) from None
        # On the CPU, like the default input_fn's tensors: the default predict_fn moves the
        # batch, and same-device tensors from several requests share one forward pass.
        return parse_ascii_art(input_data)

    from serving.defaults import default_input_fn

    return default_input_fn(input_data, content_type)
