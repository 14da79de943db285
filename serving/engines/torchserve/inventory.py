"""The Java libraries on TorchServe's frontend classpath, with their real versions, for the
images' SBOM (``scripts/sbom.py``): the maintained jars ahead of the frontend jar (their own
Maven metadata) and what the hardened fat jar still embeds, which scanners cannot see (its
Maven metadata was stripped when TorchServe built it).

An embedded library's version is checked against the jar where the jar says it (a version
constant in a class, a line of its DEPENDENCIES file); elsewhere it comes from TorchServe
0.12.0's and grpc-java 1.50.0's build files, and the SBOM names that source. Every listed
library must still be in the jar (its package present), or the inventory refuses.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from serving.engines.torchserve import frontend_jar

TS_BUILD = "TorchServe 0.12.0's frontend/gradle.properties"
GRPC_CATALOGUE = "grpc-java 1.50.0's gradle/libs.versions.toml"
GRPC_CONSTANT = ("io/grpc/internal/GrpcUtil.class", b"1.50.0")
DEPENDENCIES = "META-INF/DEPENDENCIES"


@dataclass(frozen=True)
class Embedded:
    """A library inside the fat jar."""

    group: str
    artifact: str
    version: str
    package: str  # the entry prefix its classes live under
    # (entry, bytes) the jar must contain, where the jar itself names the version;
    # None where only the build files do (then ``source`` names them).
    evidence: tuple[str, bytes] | None
    source: str = ""


def _dependency(artifact: str, version: str) -> tuple[str, bytes]:
    return DEPENDENCIES, f"{artifact}:jar:{version}".encode()


EMBEDDED = (
    Embedded(
        "org.pytorch",
        "torchserve-frontend",
        "0.12.0",
        "org/pytorch/serve/",
        None,
        "the torchserve 0.12.0 wheel",
    ),
    Embedded("io.grpc", "grpc-api", "1.50.0", "io/grpc/", GRPC_CONSTANT),
    Embedded("io.grpc", "grpc-core", "1.50.0", "io/grpc/internal/", GRPC_CONSTANT),
    Embedded("io.grpc", "grpc-protobuf", "1.50.0", "io/grpc/protobuf/", GRPC_CONSTANT),
    Embedded("io.grpc", "grpc-stub", "1.50.0", "io/grpc/stub/", GRPC_CONSTANT),
    Embedded(
        "com.google.protobuf",
        "protobuf-java",
        "3.21.7",
        "com/google/protobuf/",
        None,
        GRPC_CATALOGUE,
    ),
    Embedded(
        "com.google.api.grpc",
        "proto-google-common-protos",
        "2.9.0",
        "com/google/rpc/",
        None,
        GRPC_CATALOGUE,
    ),
    Embedded(
        "com.google.guava", "guava", "31.1-android", "com/google/common/", None, GRPC_CATALOGUE
    ),
    Embedded("io.perfmark", "perfmark-api", "0.25.0", "io/perfmark/", None, GRPC_CATALOGUE),
    Embedded(
        "com.google.code.gson",
        "gson",
        "2.10.1",
        "com/google/gson/",
        ("com/google/gson/internal/GsonBuildConfig.class", b"2.10.1"),
    ),
    Embedded("org.yaml", "snakeyaml", "2.1", "org/yaml/snakeyaml/", None, TS_BUILD),
    Embedded(
        "org.apache.logging.log4j",
        "log4j-api",
        "2.17.1",
        "org/apache/logging/log4j/",
        _dependency("log4j-api", "2.17.1"),
    ),
    Embedded(
        "org.apache.logging.log4j",
        "log4j-core",
        "2.17.1",
        "org/apache/logging/log4j/core/",
        _dependency("log4j-core", "2.17.1"),
    ),
    Embedded(
        "org.apache.logging.log4j",
        "log4j-slf4j-impl",
        "2.17.1",
        "org/apache/logging/slf4j/",
        None,
        TS_BUILD,
    ),
    Embedded("org.slf4j", "slf4j-api", "1.7.32", "org/slf4j/", None, TS_BUILD),
    Embedded(
        "commons-io",
        "commons-io",
        "2.16.1",
        "org/apache/commons/io/",
        None,
        "TorchServe 0.12.0's frontend/archive/build.gradle",
    ),
    Embedded(
        "org.apache.commons",
        "commons-compress",
        "1.25.0",
        "org/apache/commons/compress/",
        None,
        "TorchServe 0.12.0's frontend/archive/build.gradle",
    ),
    Embedded("commons-cli", "commons-cli", "1.3.1", "org/apache/commons/cli/", None, TS_BUILD),
    Embedded("io.prometheus", "simpleclient", "0.9.0", "io/prometheus/client/", None, TS_BUILD),
    Embedded("com.lmax", "disruptor", "3.4.4", "com/lmax/disruptor/", None, TS_BUILD),
    # netty's JNI epoll library, kept by hardening (Debian ships none); its file names it.
    Embedded(
        "io.netty",
        "netty-transport-native-epoll",
        "4.1.53.Final",
        "META-INF/native/libnetty_transport_native_epoll_",
        ("META-INF/native/libnetty_transport_native_epoll_x86_64.so", b"4.1.53.Final"),
    ),
)


class InventoryError(RuntimeError):
    """The jar no longer holds what the inventory says: the table is stale."""


def purl(group: str, artifact: str, version: str) -> str:
    return f"pkg:maven/{group}/{artifact}@{version}"


def _properties(**values: str) -> list[dict[str, str]]:
    return [{"name": f"serving:{key}", "value": value} for key, value in values.items() if value]


def embedded_components(jar: Path) -> list[dict[str, object]]:
    """CycloneDX components for what ``jar`` embeds, each checked against it."""
    with zipfile.ZipFile(jar) as archive:
        names = archive.namelist()
        components: list[dict[str, object]] = []
        for library in EMBEDDED:
            if not any(name.startswith(library.package) for name in names):
                raise InventoryError(f"{jar} no longer holds {library.artifact}")
            if library.evidence is not None:
                entry, needle = library.evidence
                # The JNI library's name differs per architecture.
                found = [n for n in (entry, entry.replace("x86_64", "aarch_64")) if n in names]
                if not found or needle not in archive.read(found[0]):
                    raise InventoryError(f"{jar}: {entry} does not say {library.version}")
                source = f"{found[0]} in the jar says {needle.decode()}"
            else:
                source = library.source
            components.append(
                {
                    "type": "library",
                    "group": library.group,
                    "name": library.artifact,
                    "version": library.version,
                    "purl": purl(library.group, library.artifact, library.version),
                    "properties": _properties(location=f"{jar} (embedded)", version_source=source),
                }
            )
    return components


def pom_properties(jar: Path) -> dict[str, str]:
    """groupId, artifactId and version from a jar's own Maven metadata ({} if none)."""
    with zipfile.ZipFile(jar) as archive:
        for name in archive.namelist():
            if name.startswith("META-INF/maven/") and name.endswith("/pom.properties"):
                lines = archive.read(name).decode().splitlines()
                pairs = (line.split("=", 1) for line in lines if "=" in line)
                return {key.strip(): value.strip() for key, value in pairs}
    return {}


def library_components(jars: Iterable[Path], packages: dict[str, str]) -> list[dict[str, object]]:
    """CycloneDX components for the jars ahead of the frontend jar, from their own Maven
    metadata; ``packages`` maps a jar's real path to the OS package that installed it."""
    components: list[dict[str, object]] = []
    for jar in jars:
        pom = pom_properties(jar)
        if not pom:
            raise InventoryError(f"{jar} carries no Maven metadata")
        real = str(jar.resolve())
        components.append(
            {
                "type": "library",
                "group": pom["groupId"],
                "name": pom["artifactId"],
                "version": pom["version"],
                "purl": purl(pom["groupId"], pom["artifactId"], pom["version"]),
                "properties": _properties(location=real, installed_by=packages.get(real, "")),
            }
        )
    return components


def frontend_components(
    jar: Path, packages: dict[str, str], java_dir: Path = frontend_jar.JAVA_SHARE
) -> list[dict[str, object]]:
    """Every Java library on the frontend's classpath, in classpath order (the plugin's own
    classes aside): the replacements, then what the jar embeds."""
    libraries, _ = frontend_jar.library_jars(jar, java_dir)
    return library_components(libraries, packages) + embedded_components(jar)
