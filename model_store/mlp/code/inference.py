"""A 784-512-512-10 MLP (MNIST-shaped), the model peers benchmark their servers with: its
forward pass is cheap, so what the server costs shows. ``model_fn`` only: the serving
defaults for the rest, so that AWS's sagemaker-pytorch-inference toolkit and this runtime
serve the same script unchanged (NPY in, JSON out)."""

from __future__ import annotations

import os

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def model_fn(model_dir: str) -> nn.Module:
    model = MLP()
    state = torch.load(os.path.join(model_dir, "model.pth"), map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model.eval()
