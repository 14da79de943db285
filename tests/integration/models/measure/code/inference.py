"""A test model that answers how many bytes it received and their SHA-256."""

import hashlib
import json


def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    digest = hashlib.sha256(input_data).hexdigest()
    return json.dumps({"bytes": len(input_data), "sha256": digest}), "application/json"
