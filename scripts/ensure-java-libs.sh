#!/usr/bin/env bash
# The maintained Java libraries that replace those TorchServe's jar embeds
# (serving/engines/torchserve/frontend_jar.py): Debian's libnetty-java, with its security
# team's backports. `make setup` runs this, then hardens the venv's jar; it installs the
# package where it can (root, apt), else says how and fails.
set -euo pipefail
packages=(libnetty-java)
if dpkg-query -W -f='${Status}' "${packages[@]}" 2>/dev/null | grep -q "ok installed"; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
    exit 0
fi
echo "serving: TorchServe's frontend would run the netty its jar embeds (4.1.53, with known" \
     "CVEs): install Debian's ${packages[*]} (sudo apt-get install ${packages[*]}) and run" \
     "make setup again" >&2
exit 1
