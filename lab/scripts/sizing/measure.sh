#!/usr/bin/env bash
# Worker, thread and batching layouts side by side: one server per layout, all started
# at once on free loopback ports, measured interleaved and repeated by
# `serving bench --url` (same client, same sample), then all stopped by PID.
#
#   lab/scripts/sizing/measure.sh minilm|digits|mlp OUT_DIR LAYOUT...
#
# A LAYOUT is NAME:WORKERS:THREADS:BATCH:DELAY_MS ("-" leaves that setting to the
# runtime's default), e.g. default:-:-:-:- or 2x1-b8:2:1:8:2.
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
model=${1:?usage: $0 minilm|digits|mlp OUT_DIR LAYOUT...}
out=${2:?usage: $0 minilm|digits|mlp OUT_DIR LAYOUT...}
shift 2
case $model in
  digits) entry=plain.py; sample=model_store/digits/samples/seven.npy; type=application/x-npy;;
  minilm) entry=inference.py; sample=model_store/minilm/samples/sentence.txt; type=text/plain;;
  mlp) entry=inference.py; sample=model_store/mlp/samples/one.npy; type=application/x-npy;;
  *) echo "unknown model $model" >&2; exit 2;;
esac
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; sleep 3
            for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
            rm -rf "$work"; }
trap cleanup EXIT
port() { .venv/bin/python -c 'from serving.net import free_port; print(free_port())'; }

urls=()
for layout in "$@"; do
  IFS=: read -r name workers threads batch delay <<< "$layout"
  config=$work/$name.yaml
  {
    echo "server: {host: 127.0.0.1, install_requirements: false$([ "$workers" != - ] && echo ", workers: $workers")}"
    echo "models:"
    echo "  - name: model"
    echo "    model_dir: $PWD/model_store/$model"
    echo "    entry: $entry"
    echo "    startup_timeout_s: 600"
    [ "$batch" != - ] && echo "    batch_size: $batch"
    [ "$delay" != - ] && echo "    max_batch_delay_ms: $delay"
  } > "$config"
  p=$(port)
  env=()
  [ "$threads" != - ] && env=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads")
  env "${env[@]}" setsid .venv/bin/serving serve --config "$config" --port "$p" > "$work/$name.log" 2>&1 &
  pids+=($!)
  urls+=(--url "$name=http://127.0.0.1:$p/invocations")
  # One at a time: each server picks its internal ports free at its start, and two
  # starting together can pick the same one.
  wait_for_answer "http://127.0.0.1:$p/invocations" "$type" "$sample" "$work"/*.log || exit 1
done
grep -h "worker(s) x" "$work"/*.log || true

.venv/bin/serving bench "${urls[@]}" --sample "$sample" --content-type "$type" \
  --concurrency "${CONCURRENCY:-1,8}" --repeats "${REPEATS:-3}" --duration "${DURATION:-5}" \
  --out "$out"
