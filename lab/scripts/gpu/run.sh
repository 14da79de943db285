#!/usr/bin/env bash
# Issue 13's GPU item in one device call: each model through the server, eager float32
# against compiled bfloat16 (max-autotune; reduce-overhead, CUDA graphs), a request of 32
# rows and of 1, with the GPU's own busy time per forward pass beside the end-to-end time
# (`serving bench` prints it as "Where one request's time goes").
#
#   lab/scripts/gpu/run.sh [MODEL ...]     MODEL: resnet18, minilm (default: both)
#
# From the repository root, on the device machine with .gpu/ carried (README.md beside
# this says how to call it), or here as a dry run: KIT=none DEVICE=cpu with small numbers.
# Settings (environment): OUT (results; the device tool sets it), DEVICE (cuda), KIT (.gpu,
# or none), BATCHES (rows per request, largest first: "32 1"), VARIANTS, CONCURRENCY (1),
# DURATION (3 s), REPEATS (3), DEADLINE (540 s: no bench starts with under 60 s left, and
# each is stopped at the deadline, so the call ends inside the device's 600-s limit).
set -u -o pipefail
OUT=${OUT:-/tmp/gpu-run}
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
T0=$(date +%s)
elapsed() { echo $(($(date +%s) - T0)); }
say() { echo "== $* (+$(elapsed) s)"; }

DEVICE=${DEVICE:-cuda}
BATCHES=${BATCHES:-32 1}
VARIANTS=${VARIANTS:-eager,compiled:bfloat16:max-autotune,compiled:bfloat16:reduce-overhead}
DEADLINE=${DEADLINE:-540}
WORK=${WORK:-/tmp/gpu-bench}
if [ "${KIT:-.gpu}" != none ]; then
    # shellcheck source=lab/scripts/gpu/setup.sh
    source lab/scripts/gpu/setup.sh || { echo "kit setup failed"; exit 3; }
fi
command -v nvidia-smi >/dev/null && nvidia-smi --format=csv,noheader \
    --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,memory.used
python3 -c "import torch, ts, pydantic, numpy; print('torch', torch.__version__, 'cuda',
torch.version.cuda, 'torchserve', ts.__version__, ts.__file__, 'pydantic', pydantic.__version__,
'numpy', numpy.__version__, 'cpus', len(__import__('os').sched_getaffinity(0)))"
mkdir -p "$WORK"
largest=${BATCHES%% *}
say "set up"

prepare() {  # MODEL ROWS -> "model_dir sample content_type extra-args..."
    local model=$1 rows=$2
    case $model in
    resnet18)
        python3 model_store/resnet18/make_sample.py --batch "$rows" --size 224 \
            --out "$WORK/resnet18-b$rows.npy"
        echo "model_store/resnet18 $WORK/resnet18-b$rows.npy application/x-npy"
        ;;
    minilm)
        local dir=model_store/minilm
        if [ ! -f "$dir/model.safetensors" ]; then  # the device: the kit's files, random weights
            dir=$WORK/minilm
            if [ ! -f "$dir/model.safetensors" ]; then
                mkdir -p "$dir" && cp -r "${KIT:-.gpu}"/minilm/. model_store/minilm/code "$dir"/
                python3 lab/scripts/gpu/random_minilm.py "$dir" >/dev/null 2>&1 || return 1
            fi
        fi
        yes "A man is eating a piece of bread." | head -n "$rows" >"$WORK/minilm-b$rows.txt"
        echo "$dir $WORK/minilm-b$rows.txt text/plain --warmup-shape 2,128 --warmup-dtype int64"
        ;;
    *) echo "unknown model $model" >&2; return 1 ;;
    esac
}

# Batch-major: every model's large-batch run (and cold compile) first, then the 1-row runs
# on warm caches, so that a call cut short by DEADLINE still has each model's main figures.
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(resnet18 minilm)
for rows in $BATCHES; do
    for model in "${models[@]}"; do
        left=$((DEADLINE - $(elapsed)))
        if [ "$left" -lt 60 ]; then say "skipped $model, $rows rows: ${left} s left"; continue; fi
        read -r -a setup < <(prepare "$model" "$rows") || { say "no $model"; continue; }
        out=$WORK/$model-b$rows
        say "$model, $rows rows a request: ${setup[*]:1}"
        # --batch-size 1: no server-side batching, so a request's rows are one forward pass;
        # the sizes compiled are 1 and the largest request, and both runs share the cache.
        timeout "$left" python3 -m serving bench --model-dir "${setup[0]}" \
            --sample "${setup[1]}" --content-type "${setup[2]}" "${setup[@]:3}" \
            --device "$DEVICE" --variants "$VARIANTS" --batch-size 1 \
            --compile-batch-sizes "1,$largest" --cache-dir "$WORK/cache-$model" \
            --concurrency "${CONCURRENCY:-1}" --duration "${DURATION:-3}" --warmup 1 \
            --repeats "${REPEATS:-3}" --no-noop --out "$out" >"$out.log" 2>&1
        say "bench exit $? for $model, $rows rows"
        grep -A8 "^## Where one request" "$out/report.md" 2>/dev/null || tail -5 "$out.log"
        tar -C "$WORK" -czf "$OUT/$model-b$rows.tar.gz" --exclude=inductor-cache \
            --exclude=load-reports "$model-b$rows" "$model-b$rows.log"
    done
done
command -v nvidia-smi >/dev/null && nvidia-smi --format=csv,noheader \
    --query-gpu=clocks.sm,temperature.gpu,memory.used
say "done"
