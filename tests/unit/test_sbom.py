"""The images' SBOM (scripts/sbom.py) and the frontend's Java inventory (inventory.py), by
value on stand-ins; ``make test-images`` checks the real files against each image."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from serving.engines.torchserve import inventory
from tests.support.modules import load_module

REPO = Path(__file__).resolve().parents[2]
sbom = load_module("sbom", REPO / "scripts" / "sbom.py")

STATUS = """\
Package: nginx-light
Status: install ok installed
Architecture: amd64
Version: 1.22.1-9+deb12u2
Description: nginx web/proxy server
 (basic version)

Package: removed-one
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libnetty-java
Status: install ok installed
Architecture: all
Version: 1:4.1.48-7+deb12u2
"""


def test_only_installed_debian_packages_are_listed_with_a_purl() -> None:
    packages = sbom.dpkg_installed(STATUS)
    assert packages == [
        {"name": "libnetty-java", "version": "1:4.1.48-7+deb12u2", "arch": "all"},
        {"name": "nginx-light", "version": "1.22.1-9+deb12u2", "arch": "amd64"},
    ]
    assert sbom.deb_component(packages[0], "debian-12")["purl"] == (
        "pkg:deb/debian/libnetty-java@1%3A4.1.48-7%2Bdeb12u2?arch=all&distro=debian-12"
    )


def test_the_document_is_cyclonedx() -> None:
    document = sbom.sbom([{"type": "library", "name": "x"}], "serving", "2026-12-07T00:00:00Z")
    assert document["bomFormat"] == "CycloneDX" and document["specVersion"] == "1.5"
    assert str(document["serialNumber"]).startswith("urn:uuid:")
    assert document["components"] == [{"type": "library", "name": "x"}]


def jar(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def fat_entries() -> dict[str, bytes]:
    """A stand-in's entries: one class of every library the inventory lists, and the
    version evidence where the inventory expects the jar to carry it."""
    entries = {library.package + "X.class": b"" for library in inventory.EMBEDDED}
    for library in inventory.EMBEDDED:
        if library.evidence:
            entry, needle = library.evidence
            entries[entry] = entries.get(entry, b"") + b" " + needle
    return entries


def test_embedded_libraries_are_listed_with_where_their_version_comes_from(
    tmp_path: Path,
) -> None:
    components = inventory.embedded_components(jar(tmp_path / "fat.jar", fat_entries()))
    assert len(components) == len(inventory.EMBEDDED)
    by_name = {c["name"]: c for c in components}
    assert by_name["grpc-api"]["purl"] == "pkg:maven/io.grpc/grpc-api@1.50.0"

    def source(name: str) -> str:
        properties = by_name[name]["properties"]
        assert isinstance(properties, list)
        return next(p["value"] for p in properties if p["name"] == "serving:version_source")

    assert "GsonBuildConfig.class in the jar says 2.10.1" in source("gson")
    assert source("guava") == inventory.GRPC_CATALOGUE


def test_a_version_the_jar_contradicts_is_refused(tmp_path: Path) -> None:
    entries = fat_entries()
    entries["io/grpc/internal/GrpcUtil.class"] = b"1.49.0"
    with pytest.raises(inventory.InventoryError, match="GrpcUtil.class does not say 1.50.0"):
        inventory.embedded_components(jar(tmp_path / "fat.jar", entries))


def test_a_library_no_longer_embedded_is_refused(tmp_path: Path) -> None:
    entries = fat_entries()
    del entries["com/lmax/disruptor/X.class"]
    with pytest.raises(inventory.InventoryError, match="no longer holds disruptor"):
        inventory.embedded_components(jar(tmp_path / "fat.jar", entries))


def test_replacement_jars_are_named_by_their_own_maven_metadata(tmp_path: Path) -> None:
    netty = jar(
        tmp_path / "netty-common.jar",
        {
            "META-INF/maven/io.netty/netty-common/pom.properties": (
                b"#Generated\nartifactId=netty-common\ngroupId=io.netty\nversion=4.1.48.Final\n"
            )
        },
    )
    (component,) = inventory.library_components(
        [netty], {str(netty.resolve()): "libnetty-java 1:4.1.48-7+deb12u2"}
    )
    assert component["purl"] == "pkg:maven/io.netty/netty-common@4.1.48.Final"
    assert {"name": "serving:installed_by", "value": "libnetty-java 1:4.1.48-7+deb12u2"} in (
        component["properties"]  # type: ignore[operator]
    )
    bare = jar(tmp_path / "bare.jar", {"a.class": b""})
    with pytest.raises(inventory.InventoryError, match="no Maven metadata"):
        inventory.library_components([bare], {})
