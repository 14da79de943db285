# shellcheck shell=bash
# Sourced by lab/scripts/gpu/run.sh on the device machine: makes .gpu/ (lab/scripts/gpu/kit.sh)
# usable there. Installs its wheels when python3 lacks TorchServe or pydantic, unpacks its
# Java runtime, and points the runtime at its nginx and /ping plugin. Returns non-zero
# on failure; every step is idempotent, so a second call on a warm machine is quick.
kit=${KIT:-.gpu}
[ -d "$kit" ] || { echo "no $kit: run lab/scripts/gpu/kit.sh here, carry $kit" >&2; return 3; }
if ! python3 -c "import ts, pydantic" 2>/dev/null; then
    if [ ! -f /tmp/site/.installed ]; then
        python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/site "$kit"/whl/*.whl || return 3
        touch /tmp/site/.installed
    fi
    export PYTHONPATH=/tmp/site
fi
rm -rf /tmp/jre && tar -C /tmp -xJf "$kit/jre.tar.xz" || return 3
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} JAVA_HOME=/tmp/jre PYTHONUNBUFFERED=1
export SERVING_NGINX=$PWD/$kit/nginx/nginx
cp "$kit"/plugin/*.jar serving/engines/torchserve/plugin/ || return 3
"$SERVING_NGINX" -v || return 3
"$JAVA_HOME/bin/java" -version 2>&1 | head -1
