"""A test model written the way some AWS-toolkit scripts are: model_fn returns None and
predict_fn works with state the script keeps itself."""

import json

_TABLE = {}


def model_fn(model_dir):
    _TABLE.update({"a": 1, "b": 2})
    return None


def input_fn(input_data, content_type):
    return json.loads(input_data)


def predict_fn(data, model):
    return {"model": model, "value": _TABLE[data["key"]]}


def output_fn(prediction, accept):
    return json.dumps(prediction), "application/json"
