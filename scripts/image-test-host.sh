#!/usr/bin/env bash
# What `make test-images` needs on the host (Debian, root): Debian's Docker engine,
# debootstrap for the stand-in base images, qemu-user-static for arm64 builds, and
# docker-compose for the SageMaker SDK's local mode.
# The tests start dockerd themselves, under a temporary data root, and stop it.
set -euo pipefail
packages=(docker.io docker-compose debootstrap qemu-user-static binfmt-support)
if [ "$(id -u)" != 0 ]; then
    echo "make test-images needs root (it installs ${packages[*]} and runs dockerd)" >&2
    exit 1
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
