#!/usr/bin/env bash
# Builds .gpu/ (git-excluded, here, with network): what a device call needs that the
# device image lacks. The image has python3 3.12 with torch, numpy, PyYAML, aiohttp,
# matplotlib and transformers, but no network, no Java, no nginx and none of our pins:
#   .gpu/whl/         torchserve and pydantic's stack, pinned as in this checkout's .venv
#   .gpu/jre.tar.xz   a Java 17 runtime cut with jlink from this machine's JDK
#   .gpu/nginx/       this machine's nginx, the two libraries it needs that a slim image
#                     may lack, and a wrapper that points the binary at them
#   .gpu/plugin/      the /ping plugin jar (`make plugin`)
#   .gpu/minilm/      MiniLM's config and tokenizer, without its 91 MB of weights
# A call carries at most 64 MiB with the working tree: the sizes are checked at the end.
# Run from the repository root after `make examples` (lab/scripts/gpu/README.md).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
KIT=.gpu
mkdir -p .git/info
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >>.git/info/exclude
rm -rf "$KIT" && mkdir -p "$KIT/whl" "$KIT/nginx/lib" "$KIT/plugin" "$KIT/minilm"

# Wheels for the device's CPython 3.12, at this checkout's pins.
mapfile -t pins < <(.venv/bin/python -m pip freeze |
    grep -iE '^(torchserve|pydantic|pydantic[-_]core|annotated[-_]types|typing[-_]inspection|typing[-_]extensions)==')
[ "${#pins[@]}" -eq 6 ] || { echo "expected 6 pins in .venv, found: ${pins[*]}" >&2; exit 1; }
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 -d "$KIT/whl" "${pins[@]}"

# TorchServe's frontend jar, less what no Linux x86-64 machine loads (gRPC's native TLS
# libraries for Windows, macOS and ARM; the web UI's jQuery): 4 MB of the 64 MiB.
slim=$(mktemp -d)
(cd "$slim" && unzip -q "$OLDPWD/$KIT"/whl/torchserve-*.whl &&
    zip -q -d ts/frontend/model-server.jar 'META-INF/native/*windows*' \
        'META-INF/native/*osx*' 'META-INF/native/*aarch_64*' 'META-INF/resources/webjars/*' &&
    wheel=$(basename "$OLDPWD/$KIT"/whl/torchserve-*.whl) && rm "$OLDPWD/$KIT/whl/$wheel" &&
    zip -q -r -X "$OLDPWD/$KIT/whl/$wheel" .)
rm -rf "$slim"

# Java 17 with the modules the frontend loads (java.desktop for java.beans, which its
# ConfigManager uses; jdk.unsupported, which Netty reads off-heap memory through).
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml
modules+=,java.scripting,jdk.unsupported,jdk.management
jre=$(mktemp -d)
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$jre/jre"
tar -C "$jre" -cJf "$KIT/jre.tar.xz" jre
rm -rf "$jre"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
cp "$nginx" "$KIT/nginx/nginx.bin"
for lib in libpcre2-8.so.0 libcrypt.so.1; do
    cp -L "$(ldd "$nginx" | awk -v l="$lib" '$1 == l {print $3}')" "$KIT/nginx/lib/"
done
cat >"$KIT/nginx/nginx" <<'WRAP'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/nginx.bin" "$@"
WRAP
chmod +x "$KIT/nginx/nginx"

make --quiet plugin
cp serving/engines/torchserve/plugin/*.jar "$KIT/plugin/"

[ -f model_store/minilm/config.json ] || make --quiet model_store/minilm/model.safetensors
tar -C model_store/minilm --exclude=model.safetensors --exclude=code --exclude=samples \
    --exclude=make_model.py -cf - . | tar -C "$KIT/minilm" -xf -

kit=$(du -sb "$KIT" | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1)
echo "kit $((kit / 1024)) KiB + tracked files $((tree / 1024)) KiB" \
    "= $(((kit + tree) / 1048576)) MiB of the 64 MiB a call carries"
[ $((kit + tree)) -lt $((64 * 1048576)) ] || { echo "too large to carry" >&2; exit 1; }
