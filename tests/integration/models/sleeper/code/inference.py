"""A test model that sleeps as long as each request asks, then answers with its id."""

import json
import time


def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    request = json.loads(input_data)
    time.sleep(float(request.get("sleep", 0)))
    return json.dumps({"id": request.get("id")}), "application/json"
