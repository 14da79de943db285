#!/usr/bin/env bash
# The front on the public port is nginx. `make serve` and `make test` run this: it
# installs Debian's nginx-light where it can (root, apt), else says how.
set -euo pipefail
for candidate in "${SERVING_NGINX:-}" "$(command -v nginx || true)" /usr/sbin/nginx; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        exit 0
    fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light
    # Debian's package may start a system nginx on port 80; the runtime runs its own.
    if command -v service >/dev/null; then service nginx stop >/dev/null 2>&1 || true; fi
    exit 0
fi
echo "serving needs nginx for its front: install it (Debian/Ubuntu: sudo apt-get install" \
     "nginx-light; macOS: brew install nginx), or set SERVING_NGINX to its path" >&2
exit 1
