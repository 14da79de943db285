"""A test model that answers in parts. The JSON request says how:
``{"parts": 5, "delay": 0.5, "fail_after": 2, "whole": false, "evidence": "/path",
"progress": "/path", "size": 0}``.

Each part is ``{"part": i}``, encoded by the runtime's default output_fn (one JSON line
per part for ``Accept: application/jsonlines``). ``fail_after`` raises before part k;
``evidence`` names a file the generator's ``finally`` writes (how many parts it made),
so that a test can see the generator was closed; ``progress`` names a file rewritten
with that count before each part; ``size`` pads each part with that many bytes of
filler; ``whole`` answers a list instead.
"""

import json
import time
from pathlib import Path


def model_fn(model_dir):
    return object()


def input_fn(input_data, content_type):
    return json.loads(input_data)


def predict_fn(data, model):
    if data.get("whole"):
        return [{"part": i} for i in range(data.get("parts", 3))]
    return _parts(data)


def _parts(data):
    made = 0
    try:
        for i in range(data.get("parts", 3)):
            if i == data.get("fail_after"):
                raise RuntimeError("the generator failed on purpose")
            if i:
                time.sleep(data.get("delay", 0))
            if data.get("progress"):
                Path(data["progress"]).write_text(str(made))
            made += 1
            part = {"part": i}
            if data.get("size"):
                part["filler"] = "x" * data["size"]
            yield part
    finally:
        if data.get("evidence"):
            Path(data["evidence"]).write_text(json.dumps({"closed_after": made}))
