#!/usr/bin/env bash
# usage: steady.sh MODEL(digits|minilm) OUT ; C2 (default) vs C1-only, both warmed, interleaved
set -u
work=${WORK:-/tmp/jit}
mkdir -p "$work"
cd "$(dirname "$0")/../../../.." || exit 1
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
model=$1; out=$2
case $model in
  digits) sample=model_store/digits/samples/seven.npy; type=application/x-npy;;
  minilm) sample=model_store/minilm/samples/sentence.txt; type=text/plain;;
  *) echo "usage: steady.sh digits|minilm OUT" >&2; exit 2;;
esac
pids=(); urls=()
for spec in "c2:" "c1:-XX:TieredStopAtLevel=1"; do
  name=${spec%%:*}; opts=${spec#*:}
  p=$(.venv/bin/python -c 'from serving.net import free_port; print(free_port())')
  printf 'server: {host: 127.0.0.1, install_requirements: false}\nmodels:\n  - name: model\n    model_dir: %s\n    startup_timeout_s: 600\n' "$PWD/model_store/$model" > "$work/$model-$name.yaml"
  JAVA_TOOL_OPTIONS="$opts" setsid .venv/bin/serving serve --config "$work/$model-$name.yaml" --port "$p" > "$work/$model-$name.log" 2>&1 &
  pids+=($!)
  wait_for_answer "http://127.0.0.1:$p/invocations" "$type" "$sample" "$work/$model-$name.log"
  urls+=(--url "$name=http://127.0.0.1:$p/invocations")
  # warm this one: a minute of load
  .venv/bin/serving bench --url "w=http://127.0.0.1:$p/invocations" --sample "$sample" --content-type "$type" --concurrency 8 --duration 60 --warmup 0 --repeats 1 --out "$work/warm" 2>&1 | grep "c=8"
done
.venv/bin/serving bench "${urls[@]}" --baseline c2 --candidate c1 --sample "$sample" --content-type "$type" --concurrency 1,8 --duration 10 --warmup 2 --repeats 5 --out "$out" 2>&1 | grep -E "c=|At concurrency"
for pid in "${pids[@]}"; do kill -TERM -- -"$pid"; done; sleep 8
for pid in "${pids[@]}"; do kill -KILL -- -"$pid" 2>/dev/null; done
true
