"""A test model that sleeps as long as each request asks, then answers with its id;
``{"exit": true}`` ends the worker process on the spot, as the OOM killer would. With
SLEEPER_RUN_LOG set, each request's id is written there as it starts."""

import json
import os
import time


def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    request = json.loads(input_data)
    if request.get("exit"):
        os._exit(1)
    if os.environ.get("SLEEPER_RUN_LOG"):
        with open(os.environ["SLEEPER_RUN_LOG"], "a") as log:
            log.write(f"{request.get('id')}\n")
    time.sleep(float(request.get("sleep", 0)))
    return json.dumps({"id": request.get("id")}), "application/json"
