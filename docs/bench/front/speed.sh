#!/usr/bin/env bash
# Direct TorchServe (main, before the front) against the front (this branch), same
# machine, same client, interleaved: serving bench --url.
set -euo pipefail
PY=/work/main/.venv/bin/python
OLD_PORT=$($PY -c "from serving.net import free_port; print(free_port())")
NEW_PORT=$($PY -c "from serving.net import free_port; print(free_port())")
cd /tmp/old-serving
SAGEMAKER_BASE_DIR=/tmp/ml SAGEMAKER_BIND_TO_PORT=$OLD_PORT PYTHONPATH=/tmp/old-serving setsid $PY -m serving serve > /tmp/old.log 2>&1 &
OLD=$!
cd /work/main
SAGEMAKER_BASE_DIR=/tmp/ml SAGEMAKER_BIND_TO_PORT=$NEW_PORT setsid $PY -m serving serve > /tmp/new.log 2>&1 &
NEW=$!
trap 'kill -TERM $OLD $NEW; sleep 5; kill -9 -- -$OLD -$NEW 2>/dev/null || true' EXIT
for i in $(seq 1 120); do
  curl -sf localhost:$OLD_PORT/ping >/dev/null && curl -sf localhost:$NEW_PORT/ping >/dev/null && break
  sleep 0.5
done
$PY -m serving bench --url direct=http://127.0.0.1:$OLD_PORT/invocations \
  --url front=http://127.0.0.1:$NEW_PORT/invocations --baseline direct --candidate front \
  --sample model_store/digits/samples/seven.npy --content-type application/x-npy \
  --concurrency 1,8 --duration 5 --warmup 1 --repeats 5 --out "$1"
