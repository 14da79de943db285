#!/usr/bin/env bash
# usage: first-minute.sh NAME "JAVA_TOOL_OPTIONS": one MiniLM server with no settings, started
# fresh, then a minute of load at concurrency 8 in six 10-s runs; prints the JVM CPU used.
set -u
work=${WORK:-/tmp/jit}
mkdir -p "$work"
cd "$(dirname "$0")/../../../.." || exit 1
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
name=$1; opts=$2
sample=model_store/minilm/samples/sentence.txt
p=$(.venv/bin/python -c 'from serving.net import free_port; print(free_port())')
cat > "$work/$name.yaml" <<Y
server: {host: 127.0.0.1, install_requirements: false}
models:
  - name: model
    model_dir: $PWD/model_store/minilm
    startup_timeout_s: 600
Y
JAVA_TOOL_OPTIONS="$opts" setsid .venv/bin/serving serve --config "$work/$name.yaml" --port "$p" > "$work/$name.log" 2>&1 &
pid=$!
wait_for_answer "http://127.0.0.1:$p/invocations" text/plain "$sample" "$work/$name.log" || { echo "not ready"; tail -5 "$work/$name.log"; }
j=$(pgrep -f "ModelServer.*" -n)
c0=$(awk '{print $14+$15}' "/proc/$j/stat")
.venv/bin/serving bench --url "$name=http://127.0.0.1:$p/invocations" --sample "$sample" --content-type text/plain --concurrency 8 --duration 10 --warmup 0 --repeats 6 --out "$work/out-$name" 2>&1 | grep "c=8"
c1=$(awk '{print $14+$15}' "/proc/$j/stat")
echo "$name jvm cpu ticks during load: $((c1-c0))"
grep -m1 "Picked up" "$work/$name.log"
kill -TERM -- -"$pid"; sleep 8; kill -KILL -- -"$pid" 2>/dev/null
