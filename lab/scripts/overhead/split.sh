#!/usr/bin/env bash
# Where one request's time goes at concurrency 1, by subtraction between four endpoints
# measured interleaved by one client (`serving bench --url`, 5 repeats x 5 s):
#
#   nginx   nginx alone answering POST /invocations itself: the client, loopback and an
#           HTTP parse, the floor under everything else
#   bare    the whole stack with a TorchServe handler that imports nothing of ours and
#           returns a fixed answer (bare-handler.patch, applied to a throwaway worktree):
#           the front plus TorchServe (Netty, job queue, worker socket, its Python loop)
#   noop    the same with our handler and a transform_fn returning a fixed answer: plus
#           our handler's shell (contexts, headers, the response)
#   model   the digits MLP (NPY in, JSON out, batch 1): plus codecs, hooks and forward
#
# then `serving bench --model-dir` for the in-process floors (forward pass; handler).
# All servers listen on free loopback ports and are stopped by PID.
#
#   lab/scripts/overhead/split.sh [OUT_DIR]     (default docs/bench/overhead)
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
out=${1:-docs/bench/overhead}
sample=model_store/digits/samples/seven.npy
type=application/x-npy
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; sleep 3
            for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
            git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { .venv/bin/python -c 'from serving.net import free_port; print(free_port())'; }

# Every arm runs the same code: this commit with the experiment's patch.
git worktree add --quiet --detach "$work/tree" HEAD
git -C "$work/tree" apply "$PWD/lab/scripts/overhead/bare-handler.patch"

mkdir -p "$work/noop/code"
cat > "$work/noop/code/inference.py" <<'EOF'
def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    return b"0", "application/json"
EOF

urls=()
serve() {  # NAME MODEL_DIR [ENV...]
  local name=$1 dir=$2; shift 2
  local p; p=$(port)
  printf 'server: {host: 127.0.0.1, workers: 1, install_requirements: false}\nmodels:\n  - name: model\n    model_dir: %s\n    batch_size: 1\n' \
    "$dir" > "$work/$name.yaml"
  env "$@" PYTHONPATH="$work/tree" setsid .venv/bin/serving serve --config "$work/$name.yaml" \
    --port "$p" > "$work/$name.log" 2>&1 &
  pids+=($!)
  urls+=(--url "$name=http://127.0.0.1:$p/invocations")
  # One at a time: each server picks its internal ports free at its start, and two
  # starting together can pick the same one (a gRPC bind failed so once).
  wait_for_answer "http://127.0.0.1:$p/invocations" "$type" "$sample" "$work"/*.log || exit 1
}

p=$(port)
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log stderr error;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work;
  server {
    listen 127.0.0.1:$p;
    location = /invocations { default_type application/json; return 200 "0"; }
  }
}
EOF
setsid "$(command -v nginx || echo /usr/sbin/nginx)" -p "$work" -c "$work/nginx.conf" -e stderr \
  > "$work/nginx.log" 2>&1 &
pids+=($!)
urls+=(--url "nginx=http://127.0.0.1:$p/invocations")
wait_for_answer "http://127.0.0.1:$p/invocations" "$type" "$sample" "$work"/*.log || exit 1
serve bare "$work/noop" SPLIT_HANDLER=handlers.bare:handle
serve noop "$work/noop"
serve model "$PWD/model_store/digits"

.venv/bin/serving bench "${urls[@]}" --sample "$sample" --content-type "$type" \
  --concurrency 1 --duration 5 --warmup 1 --repeats 5 --baseline bare --candidate noop \
  --out "$out/split"
cleanup; pids=(); trap - EXIT

# The in-process floors (and the same stack's noop and model servers once more).
.venv/bin/serving bench --model-dir model_store/digits --sample "$sample" --content-type "$type" \
  --variants eager --concurrency 1 --duration 5 --warmup 1 --repeats 5 --batch-size 1 \
  --out "$out"
