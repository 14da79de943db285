"""A test model that shows how requests are batched: each input row is [seconds, tag];
the forward pass writes how many rows it got (one per request here) to QUEUED_LOG as it
starts, sleeps the longest of the rows' seconds, and answers each row's tag. Only
model_fn is defined: the runtime runs the model, so the default batching applies."""

import os
import time

import torch


class Queued(torch.nn.Module):
    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        with open(os.environ["QUEUED_LOG"], "a") as log:
            log.write(f"{rows.shape[0]}\n")
        time.sleep(float(rows[:, 0].max()))
        return rows[:, 1:]


def model_fn(model_dir):
    return Queued()
