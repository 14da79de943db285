"""Record what AWS's own toolkit answers to the corpus (tests/corpus): the expected
answers of tests/integration/test_corpus.py, never written by hand.

Each script is served exactly as AWS's PyTorch containers serve it: its model directory
(verbatim code, model files made offline by tests/corpus/cases.py) under
``$SAGEMAKER_BASE_DIR/model``, started with the toolkit's own ``serve``. Every request of
the case is sent, and status, Content-Type and body are written to
``tests/corpus/<name>/aws.json`` with the request and the model files' fingerprints.

Needs a venv holding AWS's toolkit (run as root: the toolkit writes
/etc/sagemaker-ts.properties; its TorchServe listens on all interfaces, so run it on a
machine of your own)::

    python3 -m venv /tmp/awsvenv
    /tmp/awsvenv/bin/pip install --require-hashes --no-deps -r requirements/pip.lock
    /tmp/awsvenv/bin/pip install torch==2.13.0 torchserve==0.12.0 \\
        sagemaker-pytorch-inference==2.0.25 pyyaml==6.0.3 transformers==5.24.0 'setuptools<81'
    .venv/bin/python scripts/record_corpus_with_aws.py --toolkit-venv /tmp/awsvenv [NAME ...]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from serving import process  # noqa: E402
from serving.net import free_port, request  # noqa: E402
from tests.corpus.cases import CASES, CORPUS, Call, prepare  # noqa: E402

TOOLKIT = "sagemaker-pytorch-inference 2.0.25 (sagemaker-inference 1.10.1, TorchServe 0.12.0)"
READY_TIMEOUT_S = 180


def _workers_ready(port: int) -> bool:
    # AWS's /ping says 200 before the model has a worker; its management API is on the
    # same port (enable_model_api) and says when one is READY.
    try:
        reply = request(f"http://127.0.0.1:{port}/models/model", timeout=5)
    except OSError:
        return False
    if reply.status != 200:
        return False
    described = json.loads(reply.body)
    return any(w.get("status") == "READY" for v in described for w in v.get("workers", []))


def _send(port: int, call: Call) -> dict[str, object]:
    headers = {}
    if call.content_type is not None:
        headers["Content-Type"] = call.content_type
    if call.accept is not None:
        headers["Accept"] = call.accept
    reply = request(f"http://127.0.0.1:{port}/invocations", call.body, headers, timeout=120)
    return {
        "status": reply.status,
        "content_type": reply.headers.get("content-type"),
        "body_b64": base64.b64encode(reply.body).decode(),
    }


def record(name: str, toolkit_venv: Path) -> None:
    case = CASES[name]
    with tempfile.TemporaryDirectory(prefix=f"aws-{name}-") as work:
        base = Path(work) / "ml"
        model_dir = base / "model"
        model_dir.mkdir(parents=True)
        files = prepare(name, model_dir)
        port = free_port()
        env = {
            **os.environ,
            "PATH": f"{toolkit_venv / 'bin'}:{os.environ['PATH']}",
            "SAGEMAKER_BASE_DIR": str(base),
            "SAGEMAKER_BIND_TO_PORT": str(port),
        }
        log = Path(work) / "aws.log"
        with open(log, "wb") as output:
            server = process.spawn(
                [str(toolkit_venv / "bin" / "serve")],
                env=env,
                cwd=Path(work),
                output=output,
                die_with_parent=15,
            )
            try:
                deadline = time.monotonic() + READY_TIMEOUT_S
                while not _workers_ready(port):
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit(f"{name}: AWS's server did not load:\n{log.read_text()}")
                    time.sleep(0.5)
                calls = [
                    {
                        "label": call.label,
                        "content_type": call.content_type,
                        "accept": call.accept,
                        "body_b64": base64.b64encode(call.body).decode(),
                        "aws": _send(port, call),
                    }
                    for call in case.calls()
                ]
            finally:
                process.stop(server, timeout_s=20)
    recorded = {"toolkit": TOOLKIT, "model_files": files, "calls": calls}
    (CORPUS / name / "aws.json").write_text(json.dumps(recorded, indent=1) + "\n")
    print(name, [c["aws"]["status"] for c in calls])  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toolkit-venv", type=Path, required=True)
    parser.add_argument("names", nargs="*", help="cases to record (default: all)")
    args = parser.parse_args()
    for name in args.names or CASES:
        record(name, args.toolkit_venv)


if __name__ == "__main__":
    main()
