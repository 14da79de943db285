"""TorchServe's frontend jar, hardened: embedded libraries replaced by security-maintained
builds where one exists, and what nothing here runs taken out.

TorchServe 0.12.0 gets no more fixes, and ``model-server.jar`` is a fat jar of the
libraries of its day, with their Maven metadata stripped (scanners see none of them).
``python -m serving.engines.torchserve.frontend_jar`` (``make setup``, the images) rewrites
it in place:

- **netty 4.1.53** (2020; the HTTP/1.1 server nginx talks to, and the Unix sockets to the
  workers) comes out; Debian's ``libnetty-java`` goes ahead of the jar on the classpath:
  4.1.48 with Debian's security team's backports (CVE-2024-29025, the HTTP/2 rapid-reset
  class CVE-2023-44487 and CVE-2025-55163, and every earlier netty CVE; see
  /usr/share/doc/libnetty-java/changelog.Debian.gz). Debian builds netty without its JNI
  epoll library, so netty 4.1.53's (C, in ``META-INF/native``) stays, loaded by 4.1.48's
  classes: the fixed CVEs are all in the Java codecs.
- **grpc-netty-shaded** (the HTTP/2 server of TorchServe's two gRPC listeners, with a netty
  4.1.79 and BoringSSL shaded inside) comes out: the plugin's ``NettyServerBuilder`` stands
  in for it, so those listeners are never opened.
- **groovy-all 3.0.9** and all it bundles (JUnit, TestNG, Ant, picocli, jline, jansi,
  javaparser, qdox, jcommander, jQuery) come out: TorchServe pulls it in only for log4j
  script filters, which the runtime's log4j2.xml does not use.
- Kept, no maintained replacement that fits (see docs/security.md): log4j
  2.17.1 (Debian's 2.19.0 lacks the SLF4J binding TorchServe logs through), commons-compress
  1.25.0 (Debian's 1.22 is older), grpc-api 1.50.0, protobuf-java 3.21.7 and Guava 31.1
  (TorchServe's classes still load them; with no gRPC listener nothing parses with them),
  Gson, SnakeYAML, commons-io, commons-cli, Prometheus simpleclient, LMAX Disruptor.

The rewritten jar carries :data:`MARKER`, a JSON record of what was replaced by which
jars; :func:`library_jars` reads it at start to build the classpath.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from serving.errors import ConfigError

JAVA_SHARE = Path("/usr/share/java")  # where Debian's Java packages put their jars
MARKER = "META-INF/serving-hardened.json"


@dataclass(frozen=True)
class Replacement:
    """An embedded library swapped for a maintained build of it."""

    library: str
    embedded: str  # the version inside TorchServe's jar
    package: str  # the Debian package that provides the replacement
    jars: tuple[str, ...]  # its jars, in JAVA_SHARE, in classpath order
    entries: tuple[str, ...]  # what it replaces in the fat jar (name prefixes)


NETTY = Replacement(
    library="netty",
    embedded="4.1.53.Final",
    package="libnetty-java",
    jars=tuple(
        f"netty-{module}.jar"
        for module in (
            "common",
            "buffer",
            "resolver",
            "transport",
            "transport-native-unix-common",
            "transport-native-epoll",
            "codec",
            "codec-http",
            "codec-http2",
            "codec-socks",
            "handler",
            "handler-proxy",
        )
    )
    # Debian's netty-common uses JCTools unshaded (upstream shades it into netty-common).
    + ("jctools-core.jar",),
    entries=(
        "io/netty/",
        "META-INF/io.netty.versions.properties",
        "META-INF/native-image/io.netty/",
        "META-INF/native/libnetty_resolver_dns_native_macos",
        "META-INF/native/libnetty_transport_native_kqueue",
        "META-INF/license/",  # netty's and tcnative's third-party licenses
    ),
)
REPLACEMENTS = (NETTY,)
# Kept although under a replaced prefix: netty's JNI epoll library (Debian ships none).
KEPT = ("META-INF/native/libnetty_transport_native_epoll_",)
# What nothing here runs.
UNUSED = (
    # grpc-netty-shaded: the plugin's NettyServerBuilder stands in, nothing listens.
    "io/grpc/netty/",
    "META-INF/native/libio_grpc_netty_shaded_",
    "META-INF/native/io_grpc_netty_shaded_",
    "META-INF/native-image/io.grpc.netty.shaded.io.netty/",
    # groovy-all 3.0.9 and what it bundles.
    "groovy/",
    "groovyjarjarantlr/",
    "groovyjarjarantlr4/",
    "groovyjarjarasm/",
    "groovyjarjarpicocli/",
    "org/codehaus/groovy/",
    "org/apache/groovy/",
    "META-INF/groovy/",
    "META-INF/groovy-release-info.properties",
    "META-INF/dgminfo",
    "META-INF/licenses/",  # antlr's and asm's, inside groovy
    "junit/",
    "org/junit/",
    "META-INF/versions/9/org/junit/",
    "META-INF/junit-jupiter-api.kotlin_module",
    "LICENSE-junit.txt",
    "org/opentest4j/",
    "org/hamcrest/",
    "org/testng/",
    "testng-1.0.dtd",
    "testng.css",
    "testngtasks",
    "com/beust/",
    "org/apache/tools/",
    "jline/",
    "picocli/",
    "org/fusesource/",
    "META-INF/native/linux32/",
    "META-INF/native/linux64/",
    "META-INF/native/osx/",
    "META-INF/native/windows32/",
    "META-INF/native/windows64/",
    "META-INF/resources/webjars/",
    "com/github/javaparser/",
    "com/thoughtworks/qdox/",
)
_SERVICES = "META-INF/services/"


def removed_prefixes() -> tuple[str, ...]:
    """Every name prefix taken out of the jar."""
    return tuple(p for r in REPLACEMENTS for p in r.entries) + UNUSED


def kept(name: str) -> bool:
    """Whether the jar entry ``name`` stays in the hardened jar."""
    if name.startswith(KEPT):
        return True
    return not name.startswith(removed_prefixes())


def filtered_service(text: str, present: set[str]) -> str | None:
    """A ``META-INF/services`` file without the providers whose classes are gone; None
    when none is left (``ServiceLoader`` fails on a provider it cannot load)."""
    lines = []
    providers = 0
    for line in text.splitlines():
        provider = line.split("#", 1)[0].strip()
        if provider:
            if provider.replace(".", "/") + ".class" not in present:
                continue
            providers += 1
        lines.append(line)
    return "\n".join(lines) + "\n" if providers else None


def hardened_entries(names: Iterable[str]) -> list[str]:
    """The entries of the original jar that the hardened one keeps, in order."""
    return [name for name in names if kept(name)]


def read_marker(jar: Path) -> dict[str, object] | None:
    """What :func:`harden` recorded in ``jar``; None for a jar as TorchServe ships it."""
    with zipfile.ZipFile(jar) as archive:
        try:
            marker: dict[str, object] = json.loads(archive.read(MARKER))
        except KeyError:
            return None
    return marker


def missing_jars(java_dir: Path = JAVA_SHARE) -> list[str]:
    """The replacement jars not installed in ``java_dir``."""
    return [jar for r in REPLACEMENTS for jar in r.jars if not (java_dir / jar).is_file()]


def harden(jar: Path, java_dir: Path = JAVA_SHARE) -> bool:
    """Rewrite ``jar`` in place, hardened; False when it already was. Refuses (before
    touching anything) when the replacement jars are not installed."""
    if read_marker(jar) is not None:
        return False
    missing = missing_jars(java_dir)
    if missing:
        packages = " ".join(sorted({r.package for r in REPLACEMENTS}))
        raise ConfigError(
            f"cannot harden {jar}: {', '.join(missing)} not in {java_dir} "
            f"(Debian: apt-get install {packages})"
        )
    partial = jar.with_suffix(f".{os.getpid()}.tmp")
    with zipfile.ZipFile(jar) as source, zipfile.ZipFile(partial, "w") as target:
        keep = hardened_entries(source.namelist())
        present = set(keep)
        for name in keep:
            info = source.getinfo(name)
            data = source.read(name)
            if name.startswith(_SERVICES) and not name.endswith("/"):
                service = filtered_service(data.decode(), present)
                if service is None:
                    continue
                data = service.encode()
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        marker = {
            "replaced": {
                r.library: {"embedded": r.embedded, "package": r.package, "jars": list(r.jars)}
                for r in REPLACEMENTS
            },
            "removed": list(removed_prefixes()),
            "kept": list(KEPT),
        }
        target.writestr(MARKER, json.dumps(marker, indent=2) + "\n")
    partial.replace(jar)  # atomic: a server starting meanwhile sees one jar or the other
    return True


def library_jars(jar: Path, java_dir: Path = JAVA_SHARE) -> tuple[list[Path], str | None]:
    """The jars to put ahead of ``jar`` on the frontend's classpath, and a warning when
    ``jar`` is TorchServe's own, unhardened. A hardened jar whose replacements are gone
    cannot start: refused with what to install."""
    marker = read_marker(jar)
    if marker is None:
        return [], (
            f"TorchServe's frontend runs the libraries its jar embeds (netty "
            f"{NETTY.embedded}, with known CVEs): `make setup` (Debian, root) or the images "
            "replace them"
        )
    replaced = marker["replaced"]
    assert isinstance(replaced, dict)
    jars = [java_dir / name for entry in replaced.values() for name in entry["jars"]]
    missing = [path for path in jars if not path.is_file()]
    if missing:
        packages = " ".join(sorted(entry["package"] for entry in replaced.values()))
        raise ConfigError(
            f"{jar} was hardened to run with {', '.join(str(p) for p in missing)}, which "
            f"is not installed: apt-get install {packages}"
        )
    return jars, None


def installed_jar() -> Path:
    """The installed torchserve's frontend jar."""
    import ts

    return Path(ts.__file__).resolve().parent / "frontend" / "model-server.jar"


def main() -> int:
    jar = installed_jar()
    before = jar.stat().st_size
    try:
        changed = harden(jar)
    except ConfigError as error:
        print(f"serving: {error}", file=sys.stderr)
        return 1
    if changed:
        print(f"hardened {jar}: {before / 1e6:.1f} MB -> {jar.stat().st_size / 1e6:.1f} MB")
    else:
        print(f"{jar} is already hardened")
    return 0


if __name__ == "__main__":
    sys.exit(main())
