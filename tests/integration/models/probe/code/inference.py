"""A test model that reports what the runtime does: per-worker loads, context, statuses."""

import json
import os

import torch

from serving import InferenceError


class Doubler(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # The test reads the shapes: rows from several requests mean they shared a pass.
        with open(os.environ["PROBE_FORWARD_LOG"], "a") as log:
            log.write(f"{tuple(x.shape)}\n")
        return x * 2


def model_fn(model_dir, context):
    # One line per call: the test counts model_fn calls per worker process.
    with open(os.environ["PROBE_LOAD_LOG"], "a") as log:
        log.write(f"{os.getpid()} {context.device}\n")
    print("PROBE-PRINT model_fn ran", flush=True)
    import logging

    logging.getLogger("probe").warning("PROBE-LOGGING model_fn ran")
    return Doubler()


def input_fn(input_data, content_type, context):
    if content_type == "application/json":
        assert isinstance(input_data, str), type(input_data)
        payload = json.loads(input_data)
        if isinstance(payload, dict) and "status" in payload:
            raise InferenceError(int(payload["status"]), payload.get("message", "asked for it"))
        return torch.tensor(payload, dtype=torch.float32)
    if content_type == "text/plain":
        assert isinstance(input_data, bytes), type(input_data)
        return torch.tensor([float(v) for v in input_data.decode().split()])
    raise InferenceError(415, f"probe takes application/json or text/plain, not {content_type}")


def output_fn(prediction, accept, context):
    attributes = context.custom_attributes
    if attributes is not None:
        context.set_custom_attributes(f"echo={attributes}")
    body = {
        "result": prediction.tolist(),
        "pid": os.getpid(),
        "request_id": context.request_id,
        "inference_id": context.inference_id,
        "threads": torch.get_num_threads(),
    }
    if accept == "text/plain":
        return " ".join(str(v) for v in prediction.tolist()), "text/plain"
    return json.dumps(body), "application/json"
