#!/usr/bin/env bash
# Side by side, same client, same machine, same inference.py: this runtime in its best
# declared configuration against AWS's sagemaker-pytorch-inference 2.0.25 (TorchServe
# 0.12.0, torch 2.13 CPU) with its defaults.
#
#   lab/scripts/compare_with_aws.sh digits|minilm|mlp [OUT_DIR]
#
# OURS_CONFIG names another config for this runtime (default lab/config/bench-MODEL.yaml),
# e.g. lab/config/bench-digits-untuned.yaml for its defaults against the toolkit's;
# AWS_THREADS=N gives the toolkit's workers N intra-op threads (hand-tuned); REPEATS and
# DURATION (default 3 and 5 s) set the interleaved runs per concurrency.
# Makes .venv-aws once (PyPI), starts both servers on free loopback ports, runs
# `serving bench --url aws=... --url ours=...` (interleaved, repeated), stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lab/scripts/wait_for_answer.sh
source lab/scripts/wait_for_answer.sh
repo=$PWD
model=${1:?usage: $0 digits|minilm|mlp [OUT_DIR]}
out=${2:-bench-results/aws-$model}
case $model in
  digits) program=plain.py; sample=model_store/digits/samples/seven.npy; type=application/x-npy;;
  minilm) program=inference.py; sample=model_store/minilm/samples/sentence.txt; type=text/plain;;
  mlp) program=inference.py; sample=model_store/mlp/samples/one.npy; type=application/x-npy;;
  *) echo "unknown model $model" >&2; exit 2;;
esac

if [ ! -x .venv-aws/bin/serve ]; then
  python3 -m venv .venv-aws
  .venv-aws/bin/pip install --quiet --require-hashes --no-deps -r requirements/pip.lock
  # setuptools<81: the toolkit imports pkg_resources; pyyaml: TorchServe's worker needs it.
  .venv-aws/bin/pip install --quiet torch==2.13.0 torchserve==0.12.0 \
    sagemaker-pytorch-inference==2.0.25 pyyaml==6.0.3 'setuptools<81' transformers==5.23.0
fi

work=$(mktemp -d)
port() { .venv/bin/python -c 'from serving.net import free_port; print(free_port())'; }
aws_port=$(port); ours_port=$(port)
mkdir -p "$work/ml" "$work/aws-run/tmp"
ln -s "$PWD/model_store/$model" "$work/ml/model"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; sleep 3
            for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
            rm -rf "$work"; }
trap cleanup EXIT

# AWS's toolkit: its `serve`, its defaults (workers = CPUs), our model dir at /opt/ml/model.
# It finds `torchserve` on PATH and keeps its pid file in TMPDIR.
# AWS_THREADS=N hand-tunes it: OMP_NUM_THREADS=N for its workers (its defaults leave
# torch's, all cores per worker).
(cd "$work/aws-run" \
  && if [ -n "${AWS_THREADS:-}" ]; then export OMP_NUM_THREADS=$AWS_THREADS MKL_NUM_THREADS=$AWS_THREADS; fi \
  && PATH="$repo/.venv-aws/bin:$PATH" \
  SAGEMAKER_BASE_DIR="$work/ml" SAGEMAKER_BIND_TO_PORT=$aws_port SAGEMAKER_PROGRAM=$program \
  TMPDIR="$work/aws-run/tmp" exec setsid "$repo/.venv-aws/bin/serve" > "$work/aws.log" 2>&1) &
pids+=($!)
# Ours: the same directory and entry module, with the declared config of lab/config/bench-$model.yaml
# (or OURS_CONFIG).
setsid .venv/bin/serving serve --config "${OURS_CONFIG:-lab/config/bench-$model.yaml}" --port "$ours_port" \
  --model-dir "$PWD/model_store/$model" > "$work/ours.log" 2>&1 &
pids+=($!)

for url in "http://127.0.0.1:$aws_port" "http://127.0.0.1:$ours_port"; do
  wait_for_answer "$url/invocations" "$type" "$sample" "$work"/*.log || exit 1
done

.venv/bin/serving bench --url "aws=http://127.0.0.1:$aws_port/invocations" \
  --url "ours=http://127.0.0.1:$ours_port/invocations" --baseline aws --candidate ours \
  --sample "$sample" --content-type "$type" --concurrency 1,8,32 --duration "${DURATION:-5}" \
  --warmup 1 --repeats "${REPEATS:-3}" --out "$out"
