# The whole set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup lock audit docs serve serve-minilm serve-sentiment serve-zen test test-unit test-integration test-images images examples plugin lint clean bench nginx

setup: $(STAMP)

# A current pip, then torch 2.13.0 (CPU, from this machine's wheel cache when it has one),
# then every other package from the lock, hashes checked (scripts/lock.py says why torch
# is apart), then the project itself and its lab (lab/: serving bench and serving tune,
# a distribution of its own that the images do not carry); then TorchServe's jar hardened (Debian's maintained
# netty in place of the one it embeds: serving/engines/torchserve/frontend_jar.py).
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
$(STAMP): pyproject.toml lab/pyproject.toml requirements/pip.lock requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes --no-deps -r requirements/pip.lock
	$(PIP_INSTALL) torch==2.13.0
	$(PIP_INSTALL) --require-hashes --no-deps -r requirements/dev.lock
	$(PIP_INSTALL) --no-deps --no-build-isolation -e . -e lab
	$(PY) -m pip check
	scripts/ensure-java-libs.sh && $(PY) -m serving.engines.torchserve.frontend_jar \
	  || echo "WARNING: TorchServe's frontend jar is not hardened (see above)" >&2
	touch $@

# Re-resolve requirements/*.lock after a pin in pyproject.toml changed (uv, from PyPI).
lock: $(STAMP)
	$(PY) scripts/lock.py

# Known vulnerabilities in the locked packages (pip-audit; PyPI's advisory database).
audit: $(STAMP)
	$(VENV)/bin/pip-audit --progress-spinner off --require-hashes --disable-pip -r requirements/runtime.lock
	$(VENV)/bin/pip-audit --progress-spinner off --require-hashes --disable-pip -r requirements/dev.lock

model_store/digits/model.pth: $(STAMP) model_store/digits/train.py model_store/digits/code/inference.py
	$(PY) model_store/digits/train.py

model_store/minilm/model.safetensors: $(STAMP) model_store/minilm/make_model.py
	$(PY) model_store/minilm/make_model.py

model_store/zen/model.pth: $(STAMP) model_store/zen/train.py model_store/zen/code/inference.py
	$(PY) model_store/zen/train.py

model_store/sentiment/model.safetensors: $(STAMP) model_store/sentiment/train.py model_store/sentiment/code/inference.py
	$(PY) model_store/sentiment/train.py

model_store/mlp/model.pth: $(STAMP) model_store/mlp/make_model.py model_store/mlp/code/inference.py
	$(PY) model_store/mlp/make_model.py

model_store/resnet18/samples/image.npy: $(STAMP) model_store/resnet18/make_sample.py
	$(PY) model_store/resnet18/make_sample.py

examples: model_store/digits/model.pth model_store/minilm/model.safetensors \
          model_store/resnet18/samples/image.npy model_store/sentiment/model.safetensors \
          model_store/zen/model.pth model_store/mlp/model.pth

# Prebuilt /ping plugin jar (images copy it; locally the runtime builds it on first start).
plugin: $(STAMP)
	$(PY) -m serving.engines.torchserve.plugin

# The front on the public port (apt-get install nginx-light where it can).
nginx:
	scripts/ensure-nginx.sh

serve: model_store/digits/model.pth nginx
	$(VENV)/bin/serving serve --config config/local.yaml

serve-minilm: model_store/minilm/model.safetensors nginx
	$(VENV)/bin/serving serve --config config/minilm.yaml

serve-sentiment: model_store/sentiment/model.safetensors nginx
	$(VENV)/bin/serving serve --config config/sentiment.yaml

serve-zen: model_store/zen/model.pth nginx
	$(VENV)/bin/serving serve --config config/zen.yaml

test: examples nginx lint
	$(MKDOCS)
	$(PY) -m pytest

# The documentation site (docs/, mkdocs.yml), strict: into build/site.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build
docs: $(STAMP)
	$(MKDOCS)

# The SageMaker Python SDK, in a venv of its own, for the local-mode tests of the images.
SDK_VENV  := .venv-sdk
SDK_STAMP := $(SDK_VENV)/.installed-stamp
$(SDK_STAMP): tests/images/sdk-requirements.txt
	$(PYTHON) -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/pip.lock
	$(SDK_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/images/sdk-requirements.txt
	touch $@

# Builds both images with a private dockerd on stand-in Debian bases (no registry here) and
# runs them: x86-64 natively, arm64 under qemu, and the x86 one through the SageMaker SDK's
# local mode. About 12 minutes on 2 cores; root.
test-images: model_store/digits/model.pth $(SDK_STAMP)
	scripts/image-test-host.sh
	$(PY) -m pytest tests/unit/test_dockerfiles.py tests/images

# Both images with your Docker engine (BuildKit). Optional: BASE_IMAGE, GRAVITON_BASE_IMAGE,
# TORCH_SPEC and TORCHVISION_SPEC (its pair; empty for none) override the Dockerfiles'
# defaults (debian:bookworm-slim, PyPI torch and torchvision);
# PIP_CA names a CA bundle pip should trust while building, passed as a build secret;
# BUILD_FLAGS go to both builds (e.g. --network host where containers have no NAT).
DOCKER ?= docker
comma  := ,
SECRET  = $(if $(PIP_CA),--secret id=pip_ca$(comma)src=$(PIP_CA)) $(BUILD_FLAGS)
images:
	DOCKER_BUILDKIT=1 $(DOCKER) build $(SECRET) -f Dockerfile.gpu -t serving:gpu \
	  $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) \
	  $(if $(TORCH_SPEC),--build-arg TORCH_SPEC=$(TORCH_SPEC)) \
	  $(if $(filter undefined,$(origin TORCHVISION_SPEC)),,--build-arg TORCHVISION_SPEC=$(TORCHVISION_SPEC)) .
	DOCKER_BUILDKIT=1 $(DOCKER) build $(SECRET) -f Dockerfile.graviton -t serving:graviton \
	  --platform linux/arm64 $(if $(GRAVITON_BASE_IMAGE),--build-arg BASE_IMAGE=$(GRAVITON_BASE_IMAGE)) .

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit

test-integration: examples nginx
	$(PY) -m pytest tests/integration

# Eager against compiled for the three example models (about 15 minutes on 2 cores):
# results.json, report.md and plots per model under bench-results/. One worker, and for the
# small models batches of 8 within 2 ms (serving bench alone measures the server's defaults).
BENCH := $(VENV)/bin/serving bench --duration 4 --warmup 1 --repeats 3 --workers 1
BATCHED := --batch-size 8 --max-batch-delay-ms 2
bench: examples nginx
	$(BENCH) --model-dir model_store/digits --sample model_store/digits/samples/seven.npy \
	  --content-type application/x-npy $(BATCHED) --concurrency 1,8,32 --out bench-results/digits
	$(BENCH) --model-dir model_store/resnet18 --sample model_store/resnet18/samples/image.npy \
	  --content-type application/x-npy $(BATCHED) --concurrency 1,8 --no-noop --out bench-results/resnet18
	$(BENCH) --model-dir model_store/minilm --sample model_store/minilm/samples/sentence.txt \
	  --content-type text/plain --warmup-shape 2,128 --warmup-dtype int64 --batch-size 1 \
	  --concurrency 1,8 --no-noop --out bench-results/minilm
	$(BENCH) --model-dir model_store/minilm --sample model_store/minilm/samples/sentence.txt \
	  --content-type text/plain --warmup-shape 2,128 --warmup-dtype int64 --batch-size 1 \
	  --concurrency 1,8 --no-noop --variants eager,compiled:bfloat16 --out bench-results/minilm-bf16

# ruff and mypy --strict over the Python, shellcheck over every shell script.
PYTHON_SOURCES := serving handlers lab tests model_store scripts
SHELL_SCRIPTS   = $(shell git ls-files '*.sh') .ci/run
lint: $(STAMP)
	$(VENV)/bin/ruff check $(PYTHON_SOURCES)
	$(VENV)/bin/ruff format --check $(PYTHON_SOURCES)
	$(VENV)/bin/mypy
	$(VENV)/bin/shellcheck $(SHELL_SCRIPTS)

clean:
	rm -rf $(VENV) lab/*.egg-info $(SDK_VENV) .pytest_cache .hypothesis model_store/digits/model.pth serving/engines/torchserve/plugin/serving-plugin.jar
