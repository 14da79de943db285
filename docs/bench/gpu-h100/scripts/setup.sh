# Sourced at the start of every device call: install once per machine, export the env.
# (Copied from the git-excluded .gpu/ folder it ran from: .whl/ held the wheels, .jre/ a jlink Java 17.)
if [ ! -f /tmp/site/.ok ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || return 3
  tar -C /tmp -xJf .jre/jre17.tar.xz || return 3
  touch /tmp/site/.ok
fi
export PYTHONPATH=/tmp/site JAVA_HOME=/tmp/jre17 PATH=/tmp/jre17/bin:$PATH PYTHONUNBUFFERED=1
