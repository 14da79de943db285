# ResNet-18 eager vs compiled through the server on cuda, in one device call.
set -u
exec > >(tee $OUT/bench.log) 2>&1
T0=$(date +%s)
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu --format=csv,noheader
source .gpu/setup.sh || { echo "INSTALL FAILED"; exit 3; }
cp .gpu/serving-plugin.jar serving/plugin/serving-plugin.jar
python3 -c "import torch,numpy,ts,pydantic;print('torch',torch.__version__,'cuda',torch.version.cuda,'numpy',numpy.__version__,'torchserve',ts.__version__,'pydantic',pydantic.__version__,torch.cuda.get_device_name(0))"
java -version 2>&1 | head -1; nproc
python3 model_store/resnet18/make_sample.py && ls -l model_store/resnet18/samples
echo "== setup done at +$(( $(date +%s)-T0 ))s"
PYTHONPATH=$PWD:/tmp/site BENCH_STARTUP_S=${BENCH_STARTUP_S:-240} timeout ${BENCH_TIMEOUT:-370} \
  python3 .gpu/r18_bench.py --model-dir model_store/resnet18 \
  --sample model_store/resnet18/samples/image.npy --content-type application/x-npy \
  --concurrency 1,8 --no-noop --duration 3 --warmup 1 --repeats 3 --out /tmp/bench/resnet18
echo "== bench rc=$? at +$(( $(date +%s)-T0 ))s"
nvidia-smi --query-gpu=clocks.sm,temperature.gpu,memory.used --format=csv,noheader
cd /tmp/bench && tar -czf $OUT/resnet18.tar.gz --exclude=inductor-cache --exclude=report.pickle resnet18
cp resnet18/results.json resnet18/report.md $OUT/ 2>/dev/null
ls -l $OUT; echo "== end at +$(( $(date +%s)-T0 ))s"
sleep 1
