"""A test model with one value per record: the sum of each input row (a stand-in for a
regression or an argmax). Only model_fn is defined: the runtime's defaults decode the
rows, run the model and encode the answer."""

import torch


class RowSum(torch.nn.Module):
    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        return rows.sum(dim=1)


def model_fn(model_dir):
    return RowSum()
