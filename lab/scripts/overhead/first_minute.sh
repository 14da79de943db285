#!/usr/bin/env bash
# The first minute after a start against warm: a fresh server with no settings, loaded at
# once (the moment it first answers), in back-to-back 10-s runs for MINUTES minutes.
#
#   lab/scripts/overhead/first_minute.sh digits|minilm|mlp CONCURRENCY [MINUTES] [OUT_DIR]
#
# Prints each 10-s run's throughput and p50, then the first minute's mean throughput
# against the last minute's (warm); the runs are in OUT_DIR/results.json, in order.
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
model=${1:?usage: $0 digits|minilm|mlp CONCURRENCY [MINUTES] [OUT_DIR]}
concurrency=${2:?usage: $0 MODEL CONCURRENCY [MINUTES] [OUT_DIR]}
minutes=${3:-3}
out=${4:-bench-results/first-minute-$model-c$concurrency}
case $model in
  digits) sample=model_store/digits/samples/seven.npy; type=application/x-npy;;
  minilm) sample=model_store/minilm/samples/sentence.txt; type=text/plain;;
  mlp) sample=model_store/mlp/samples/one.npy; type=application/x-npy;;
  *) echo "unknown model $model" >&2; exit 2;;
esac
[ "$minutes" -ge 2 ] || { echo "MINUTES must be 2 or more (a first and a last minute)" >&2; exit 2; }

work=$(mktemp -d)
port=$(.venv/bin/python -c 'from serving.net import free_port; print(free_port())')
printf 'server: {host: 127.0.0.1, install_requirements: false}\nmodels:\n  - name: model\n    model_dir: %s\n    startup_timeout_s: 600\n' \
  "$PWD/model_store/$model" > "$work/serving.yaml"
setsid .venv/bin/serving serve --config "$work/serving.yaml" --port "$port" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill -TERM -- "-$pid" 2>/dev/null || true; sleep 3; kill -KILL -- "-$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

wait_for_answer "http://127.0.0.1:$port/invocations" "$type" "$sample" "$work/server.log"
.venv/bin/serving bench --url "fresh=http://127.0.0.1:$port/invocations" --sample "$sample" \
  --content-type "$type" --concurrency "$concurrency" --duration 10 --warmup 0 \
  --repeats $((minutes * 6)) --out "$out" > "$work/bench.log"
.venv/bin/python - "$out/results.json" <<'PY'
import json
import statistics
import sys

runs = [load["result"] for load in json.load(open(sys.argv[1], encoding="utf-8"))["loads"]]
for i, run in enumerate(runs):
    p50 = run["latency_us"]["p50"] / 1e3
    print(f"{i * 10:4d}-{i * 10 + 10:<4d} s  {run['throughput_rps']:8.1f} req/s  p50 {p50:7.2f} ms")
first = statistics.mean(r["throughput_rps"] for r in runs[:6])
warm = statistics.mean(r["throughput_rps"] for r in runs[-6:])
print(f"first minute {first:.1f} req/s, last minute {warm:.1f}: warm / first = {warm / first:.2f}")
PY
