import os
import time

import torch


def model_fn(model_dir):
    time.sleep(float(os.environ.get("SLOW_LOAD_SECONDS", "6")))
    return torch.nn.Identity()
