"""Which /ping plugin jar TorchServe gets: the prebuilt one only when it is not stale."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from serving.engines.torchserve import plugin


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    source = tmp_path / "src" / "ReadinessEndpoint.java"
    source.parent.mkdir()
    source.write_text("class A {}")
    prebuilt = tmp_path / "src" / "serving-plugin.jar"
    prebuilt.write_bytes(b"jar")
    frontend = tmp_path / "model-server.jar"
    frontend.write_bytes(b"frontend")
    monkeypatch.setattr(plugin, "PREBUILT_JAR", prebuilt)
    monkeypatch.setattr(plugin, "_sources", lambda: [source])
    monkeypatch.setattr(plugin, "_inputs", lambda: [source])
    return source, prebuilt, frontend


def test_a_prebuilt_jar_newer_than_its_sources_is_used(layout: tuple[Path, Path, Path]) -> None:
    source, prebuilt, frontend = layout
    os.utime(source, ns=(1_000, 1_000))
    os.utime(prebuilt, ns=(2_000, 2_000))
    assert plugin.plugin_jar(frontend, Path("/nonexistent-cache")) == prebuilt


def test_a_stale_prebuilt_jar_is_passed_over_for_the_cached_build(
    layout: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, prebuilt, frontend = layout
    os.utime(prebuilt, ns=(1_000, 1_000))
    os.utime(source, ns=(2_000, 2_000))  # edited after `make plugin`
    cache = tmp_path / "cache"
    cached = cache / f"serving-plugin-{plugin._fingerprint(frontend, ())}.jar"
    cached.parent.mkdir()
    cached.write_bytes(b"built from the edited sources")
    assert plugin.plugin_jar(frontend, cache) == cached


def test_log4js_java9_classes_are_taken_to_the_root_and_nothing_else(tmp_path: Path) -> None:
    # TorchServe's jar keeps them under META-INF/versions/9 without the manifest
    # attribute that would make the JVM load them.
    frontend = tmp_path / "model-server.jar"
    with zipfile.ZipFile(frontend, "w") as jar:
        jar.writestr("META-INF/versions/9/org/apache/logging/log4j/util/StackLocator.class", b"9")
        jar.writestr("org/apache/logging/log4j/util/StackLocator.class", b"8")
        jar.writestr("META-INF/versions/9/org/yaml/snakeyaml/internal/Logger.class", b"y")
        jar.writestr("META-INF/versions/9/module-info.class", b"m")
        jar.writestr("META-INF/versions/9/org/apache/logging/log4j/", b"")
    assert plugin.java9_classes(frontend) == {
        "org/apache/logging/log4j/util/StackLocator.class": b"9"
    }
