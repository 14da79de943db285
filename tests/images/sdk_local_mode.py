"""The SageMaker Python SDK as the client, in its local mode: run by the SDK's own
interpreter (``.venv-sdk``, made by ``make test-images``), never imported by the tests.

    .venv-sdk/bin/python tests/images/sdk_local_mode.py JOB.json

JOB names the image, the ``file://`` model.tar.gz, a free port, a working directory and
the batch inputs (or, for the sentiment example, the container's environment and the
reviews to classify). The script deploys the image as SageMaker's local mode does (``docker
compose``, ``serve``, ``/ping`` polled), predicts with the SDK's serializers, runs two
local batch transforms, deletes the endpoint, and prints what came back as one JSON
object on its last line; the test checks it by value. No AWS account: a region from the
environment, a dummy role, no credentials.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import numpy as np
from sagemaker.deserializers import (
    CSVDeserializer,
    JSONDeserializer,
    JSONLinesDeserializer,
    NumpyDeserializer,
)
from sagemaker.local import LocalSession
from sagemaker.model import Model
from sagemaker.predictor import Predictor
from sagemaker.serializers import (
    CSVSerializer,
    JSONLinesSerializer,
    JSONSerializer,
    NumpySerializer,
    StringSerializer,
)

ROLE = "arn:aws:iam::111111111111:role/SageMakerRole"  # local mode never assumes it


def predictions(model: Model, endpoint: str, pixels: list[list[float]]) -> dict[str, Any]:
    """One prediction per serializer pair, and a custom-attributes round trip."""
    # A plain Model's deploy returns no Predictor (only a framework model's does).
    model.deploy(initial_instance_count=1, instance_type="local", endpoint_name=endpoint)
    predictor = Predictor(endpoint, sagemaker_session=model.sagemaker_session)
    try:
        found: dict[str, Any] = {}
        pairs = {
            "npy": (NumpySerializer(), NumpyDeserializer(), np.array(pixels, dtype=np.float32)),
            "csv": (CSVSerializer(), CSVDeserializer(), pixels),
            "json": (JSONSerializer(), JSONDeserializer(), pixels),
            "jsonlines": (JSONLinesSerializer(), JSONLinesDeserializer(), pixels),
        }
        for name, (serializer, deserializer, data) in pairs.items():
            predictor.serializer, predictor.deserializer = serializer, deserializer
            answer = predictor.predict(data)
            found[name] = answer.tolist() if isinstance(answer, np.ndarray) else answer
        runtime = predictor.sagemaker_session.sagemaker_runtime_client
        reply = runtime.invoke_endpoint(
            Body=json.dumps(pixels),
            EndpointName=endpoint,
            ContentType="application/json",
            Accept="application/json",
            CustomAttributes="trace=sdk-42",
        )
        body = reply["Body"]
        found["custom_attributes"] = body.headers.get("X-Amzn-SageMaker-Custom-Attributes")
        found["custom_attributes_answer"] = json.loads(body.read())
    finally:
        predictor.delete_endpoint()
    return found


def transform(
    model: Model, source: Path, output: Path, content_type: str, strategy: str
) -> list[str]:
    """A local batch transform of ``source`` (one record per line): its output's lines."""
    transformer = model.transformer(
        instance_count=1,
        instance_type="local",
        strategy=strategy,
        assemble_with="Line",
        accept=content_type,
        output_path=f"file://{output}",
    )
    transformer.transform(
        f"file://{source}", content_type=content_type, split_type="Line", wait=True, logs=False
    )
    return (output / f"{source.name}.out").read_text().split("\n")


def reviews(model: Model, endpoint: str, texts: list[str]) -> list[Any]:
    """The sentiment example as the blog post calls it: each review as application/x-text."""
    model.deploy(initial_instance_count=1, instance_type="local", endpoint_name=endpoint)
    predictor = Predictor(
        endpoint,
        sagemaker_session=model.sagemaker_session,
        serializer=StringSerializer(content_type="application/x-text"),
        deserializer=JSONDeserializer(),
    )
    try:
        return [predictor.predict(text) for text in texts]
    finally:
        predictor.delete_endpoint()


def main(job_file: str) -> None:
    job = json.loads(Path(job_file).read_text())
    # No telemetry calls to S3: nothing here has a network beyond the package index.
    opt_out = {
        "SchemaVersion": "1.0",
        "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
    }
    session = LocalSession(sagemaker_config=opt_out)
    session.config = {
        "local": {
            "local_code": True,
            "serving_port": job["port"],
            "container_root": job["work"],
        }
    }
    model = Model(
        image_uri=job["image"],
        model_data=f"file://{job['model_data']}",
        role=ROLE,
        sagemaker_session=session,
        env=job.get("env"),
    )
    if "reviews" in job:
        print(json.dumps({"reviews": reviews(model, "serving-sdk-sentiment", job["reviews"])}))
        return
    results = predictions(model, "serving-sdk-test", job["pixels"])
    work = Path(job["work"])
    results["transform_csv"] = transform(
        model, Path(job["csv"]), work / "out-csv", "text/csv", "SingleRecord"
    )
    results["transform_jsonlines"] = transform(
        model, Path(job["jsonlines"]), work / "out-jsonl", "application/jsonlines", "MultiRecord"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        # The SDK's thread that follows a container's output never ends on its own.
        os._exit(1)
    sys.stdout.flush()
    os._exit(0)
