"""A private Docker engine for the image tests, and the stand-in base images it builds on.

No registry is reachable from CI, so the Dockerfiles are built ``FROM`` a Debian
bookworm made here by ``debootstrap`` and loaded as a docker-archive written by hand:
``docker import --platform linux/arm64`` records the image as amd64, but an archive's
config says its architecture and ``docker load`` keeps it.

``dockerd`` runs under a temporary data root with its own socket, is stopped by PID,
and its state is deleted; nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOCKER = "/usr/bin/docker"  # docker.io's 20.10 client: BuildKit built in, no buildx plugin needed
DEBIAN_MIRROR = "http://deb.debian.org/debian"
STARTUP_TIMEOUT_S = 60
BRIDGE, BRIDGE_ADDRESS = "serving-test0", "172.31.213.1/24"


class Refused(Exception):
    """The machine cannot do this (kernel or sandbox), as opposed to a defect of ours."""


@dataclass
class Engine:
    """A running dockerd, reached through ``run``."""

    root: Path
    pid: int

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": f"unix://{self.root / 'docker.sock'}"}

    def run(
        self,
        args: Sequence[str],
        timeout_s: float = 600,
        check: bool = True,
        env_extra: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``docker ARGS``; on failure the error carries docker's output."""
        result = subprocess.run(
            [DOCKER, *args],
            env={**self.env, **(env_extra or {})},
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"docker {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result


@contextmanager
def docker_engine(root: Path) -> Iterator[Engine]:
    """Start dockerd under ``root``; stop it by PID and delete its state afterwards."""
    if shutil.which("dockerd") is None or not Path(DOCKER).exists():
        raise AssertionError(
            "dockerd is not installed: run `make test-images` (it installs docker.io)"
        )
    root.mkdir(parents=True, exist_ok=True)
    _make_bridge()
    log = open(root / "dockerd.log", "wb")  # noqa: SIM115 (closed in finally)
    daemon = subprocess.Popen(
        [
            "dockerd",
            f"--data-root={root / 'data'}",
            f"--exec-root={root / 'exec'}",
            f"--pidfile={root / 'dockerd.pid'}",
            f"--host=unix://{root / 'docker.sock'}",
            # No firewall changes on the host: containers are reached through published
            # ports on 127.0.0.1 (docker-proxy), and builds use the host's network.
            "--iptables=false",
            "--ip-masq=false",
            # A bridge of its own, so a dockerd already running here keeps docker0 to itself.
            f"--bridge={BRIDGE}",
            "--storage-driver=overlay2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    engine = Engine(root, daemon.pid)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while engine.run(["info"], timeout_s=10, check=False).returncode != 0:
            if daemon.poll() is not None or time.monotonic() > deadline:
                tail = (root / "dockerd.log").read_text(errors="replace")[-2000:]
                raise Refused(f"dockerd did not start here:\n{tail}")
            time.sleep(0.5)
        yield engine
    finally:
        _stop(daemon)
        log.close()
        subprocess.run(["umount", "-R", str(root / "exec")], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)
        _ip("link", "delete", BRIDGE)


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=False)


def _make_bridge() -> None:
    """The test daemon's bridge (made anew: a killed run may have left one behind)."""
    _ip("link", "delete", BRIDGE)
    for args in (
        ("link", "add", BRIDGE, "type", "bridge"),
        ("addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE),
        ("link", "set", BRIDGE, "up"),
    ):
        result = _ip(*args)
        if result.returncode != 0:
            raise Refused(f"cannot make the test bridge (ip {' '.join(args)}): {result.stderr}")


def _stop(daemon: subprocess.Popen[bytes]) -> None:
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)  # dockerd stops its containers and containerd
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait(timeout=10)


def bookworm_rootfs(arch: str, cache: Path) -> Path:
    """A minimal Debian bookworm for ``arch`` as a tar, made once by debootstrap and
    kept in ``cache`` (arm64 runs debootstrap's second stage under qemu)."""
    tarball = cache / f"bookworm-{arch}.tar"
    if tarball.exists():
        return tarball
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"rootfs-{arch}"
    shutil.rmtree(target, ignore_errors=True)
    result = subprocess.run(
        [
            "debootstrap",
            f"--arch={arch}",
            "--variant=minbase",
            "bookworm",
            str(target),
            DEBIAN_MIRROR,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"debootstrap {arch} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
        )
    partial = tarball.with_suffix(".partial")
    subprocess.run(
        ["tar", "-C", str(target), "--numeric-owner", "-cf", str(partial), "."], check=True
    )
    partial.replace(tarball)
    shutil.rmtree(target, ignore_errors=True)
    return tarball


def docker_archive(rootfs: Path, arch: str, tag: str, destination: Path) -> Path:
    """A ``docker load`` archive of one layer (``rootfs``) whose config says ``arch``."""
    digest = hashlib.sha256()
    with open(rootfs, "rb") as layer:
        for block in iter(lambda: layer.read(1 << 20), b""):
            digest.update(block)
    diff_id = f"sha256:{digest.hexdigest()}"
    config = json.dumps(
        {
            "architecture": arch,
            "os": "linux",
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "Cmd": ["/bin/bash"],
            },
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created_by": f"debootstrap --arch={arch} --variant=minbase bookworm"}],
        },
        sort_keys=True,
    ).encode()
    config_name = f"{hashlib.sha256(config).hexdigest()}.json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": [tag], "Layers": ["layer/layer.tar"]}]
    ).encode()
    with tarfile.open(destination, "w") as archive:
        for name, data in ((config_name, config), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        archive.add(rootfs, arcname="layer/layer.tar")
    return destination


def load_base_image(engine: Engine, arch: str, cache: Path) -> str:
    """Load the stand-in bookworm base for ``arch`` into ``engine``; returns its tag."""
    tag = f"localhost/bookworm-base:{arch}"
    archive = docker_archive(
        bookworm_rootfs(arch, cache), arch, tag, engine.root / f"base-{arch}.tar"
    )
    engine.run(["load", "-i", str(archive)])
    archive.unlink()
    recorded = engine.run(["image", "inspect", "-f", "{{.Architecture}}", tag]).stdout.strip()
    assert recorded == arch, f"{tag} was loaded as {recorded}, not {arch}"
    return tag


def arm64_emulation() -> None:
    """Make sure arm64 binaries run through qemu-user-static; Refused if the kernel says no."""
    binfmt = Path("/proc/sys/fs/binfmt_misc")
    if not (binfmt / "register").exists():
        mount = subprocess.run(
            ["mount", "-t", "binfmt_misc", "binfmt_misc", str(binfmt)],
            capture_output=True,
            text=True,
        )
        if mount.returncode != 0:
            raise Refused(f"cannot mount binfmt_misc: {mount.stderr.strip()}")
    if not (binfmt / "qemu-aarch64").exists():
        subprocess.run(
            ["update-binfmts", "--enable", "qemu-aarch64"], capture_output=True, check=False
        )
    entry = binfmt / "qemu-aarch64"
    if not entry.exists():
        raise Refused(
            "qemu-aarch64 is not registered with binfmt_misc (is qemu-user-static installed?)"
        )
    flags = [line for line in entry.read_text().splitlines() if line.startswith("flags:")]
    if not flags or "F" not in flags[0]:
        raise Refused(
            f"qemu-aarch64 is registered without the F flag ({flags}); containers cannot use it"
        )
