# serving bench --device cuda (eager only, short): floors on the GPU, CUDA-synchronised.
set -u
exec > >(tee $OUT/log.txt) 2>&1
T0=$(date +%s)
source .gpu/setup.sh || { echo "INSTALL FAILED"; exit 3; }
cp .gpu/serving-plugin.jar serving/plugin/serving-plugin.jar
python3 model_store/resnet18/make_sample.py >/dev/null
echo "== setup +$(( $(date +%s)-T0 ))s"
PYTHONPATH=$PWD:/tmp/site timeout 150 python3 -m serving bench --model-dir model_store/resnet18 \
  --sample model_store/resnet18/samples/image.npy --content-type application/x-npy \
  --variants eager,compiled --no-noop --concurrency 1 --duration 1 --warmup 0.5 --repeats 1 \
  --device cuda --out /tmp/b
echo "== bench rc=$? +$(( $(date +%s)-T0 ))s"
cp /tmp/b/results.json /tmp/b/report.md $OUT/ 2>/dev/null
python3 -c "import json; r=json.load(open('/tmp/b/results.json')); [print(f) for f in r['floors']]"
