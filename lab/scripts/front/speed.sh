#!/usr/bin/env bash
# Three servers of the digits example on one machine, driven interleaved by one client:
# TorchServe straight (before the front), the front with its per-model readiness asked of
# the engine per request (a subrequest), and the front with readiness as files the
# engine keeps (a stat per request: what serve runs now).
# Run on 2026-11-30 with git worktrees: /tmp/direct-serving at 3057c25 (direct),
# /tmp/sub-serving at cc649d6 (subrequest), this checkout at the flag-file commit;
# /tmp/ml/model a copy of model_store/digits. Usage: speed.sh OUT_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PY=$ROOT/.venv/bin/python
DIRECT=${DIRECT:-/tmp/direct-serving}
SUBREQUEST=${SUBREQUEST:-/tmp/sub-serving}
FLAGS=${FLAGS:-$ROOT}
port() { "$PY" -c "from serving.net import free_port; print(free_port())"; }
start() {  # tree port log
  (cd "$1" && SAGEMAKER_BASE_DIR=/tmp/ml SAGEMAKER_BIND_TO_PORT=$2 PYTHONPATH="$1" setsid "$PY" -m serving serve > "$3" 2>&1 &)
}
P1=$(port); P2=$(port); P3=$(port)
start "$DIRECT" "$P1" /tmp/s1.log
start "$SUBREQUEST" "$P2" /tmp/s2.log
start "$FLAGS" "$P3" /tmp/s3.log
trap 'pkill -TERM -f "serving serve" || true; sleep 5' EXIT
for _ in $(seq 1 120); do
  curl -sf "localhost:$P1/ping" >/dev/null && curl -sf "localhost:$P2/ping" >/dev/null && curl -sf "localhost:$P3/ping" >/dev/null && break
  sleep 0.5
done
cd "$ROOT"
"$PY" -m serving bench --url "direct=http://127.0.0.1:$P1/invocations" \
  --url "subrequest=http://127.0.0.1:$P2/invocations" --url "flags=http://127.0.0.1:$P3/invocations" \
  --baseline "${BASELINE:-direct}" --candidate "${CANDIDATE:-flags}" \
  --sample model_store/digits/samples/seven.npy --content-type application/x-npy \
  --concurrency 1,8 --duration 5 --warmup 1 --repeats 5 --out "$1"
