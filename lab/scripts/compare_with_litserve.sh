#!/usr/bin/env bash
# Side by side, same client, same machine, same weights: this runtime with its defaults
# against LitServe 0.2.19 with its defaults, on the benchmark MLP (model_store/mlp), JSON
# in and out (LitServe's API takes JSON).
#
#   lab/scripts/compare_with_litserve.sh [OUT_DIR]
#
# Makes .venv-litserve once (PyPI), starts both servers on free loopback ports, runs
# `serving bench --url litserve=... --url ours=...` (interleaved, repeated), stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
out=${1:-bench-results/litserve-mlp}
sample=model_store/mlp/samples/one.json
type=application/json

if [ ! -x .venv-litserve/bin/python ]; then
  python3 -m venv .venv-litserve
  .venv-litserve/bin/pip install --quiet --require-hashes --no-deps -r requirements/pip.lock
  .venv-litserve/bin/pip install --quiet torch==2.13.0 litserve==0.2.19 numpy==2.4.6
fi

work=$(mktemp -d)
port() { .venv/bin/python -c 'from serving.net import free_port; print(free_port())'; }
lit_port=$(port); ours_port=$(port)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; sleep 3
            for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
            rm -rf "$work"; }
trap cleanup EXIT

(cd "$work" && exec setsid "$OLDPWD/.venv-litserve/bin/python" \
  "$OLDPWD/lab/scripts/litserve/mlp_server.py" "$OLDPWD/model_store/mlp" "$lit_port" \
  > "$work/litserve.log" 2>&1) &
pids+=($!)
setsid .venv/bin/serving serve --config lab/config/bench-mlp.yaml --port "$ours_port" \
  > "$work/ours.log" 2>&1 &
pids+=($!)

wait_for_answer "http://127.0.0.1:$lit_port/predict" "$type" "$sample" "$work"/*.log || exit 1
wait_for_answer "http://127.0.0.1:$ours_port/invocations" "$type" "$sample" "$work"/*.log || exit 1

.venv/bin/serving bench --url "litserve=http://127.0.0.1:$lit_port/predict" \
  --url "ours=http://127.0.0.1:$ours_port/invocations" --baseline litserve --candidate ours \
  --sample "$sample" --content-type "$type" --concurrency "${CONCURRENCY:-1,8,32}" \
  --duration 5 --warmup 1 --repeats "${REPEATS:-3}" --out "$out"
