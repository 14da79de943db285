"""A test model that answers what its input_fn was given: the content type, and the body's
length and SHA-256, so a test can check that bytes arrive exactly as the client sent them."""

import hashlib
import json


def model_fn(model_dir):
    return object()


def input_fn(input_data, content_type):
    return {
        "type": content_type,
        "bytes": len(input_data),
        "sha256": hashlib.sha256(input_data).hexdigest(),
    }


def predict_fn(data, model):
    return data


def output_fn(prediction, accept):
    return json.dumps(prediction), "application/json"
