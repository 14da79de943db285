"""The Java side of the runtime: TorchServe frontend endpoints for /ping and /execution-parameters,
and the log4j classes for Java 9 that TorchServe's jar carries but does not load.

The sources ship with the package; the jar is compiled with ``javac`` against the
``model-server.jar`` of the installed torchserve wheel, once, and cached by the hash
of the sources and that jar. ``make`` builds it ahead of time; images (built without
a JDK in the runtime stage) copy the prebuilt jar next to these sources.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from serving import process
from serving.errors import ConfigError

SOURCE_DIR = Path(__file__).resolve().parent
PREBUILT_JAR = SOURCE_DIR / "serving-plugin.jar"
_SERVICE_FILE = "META-INF/services/org.pytorch.serve.servingsdk.ModelServerEndpoint"


def _sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.java"))


def _inputs() -> list[Path]:
    """What a jar is built from: the sources, and this builder (what it adds)."""
    return [*_sources(), Path(__file__).resolve()]


def _fingerprint(frontend_jar: Path, libraries: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for source in _inputs():
        digest.update(source.read_bytes())
    for jar in (frontend_jar, *libraries):
        stat = jar.stat()
        digest.update(f"{jar}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


# TorchServe's fat jar carries log4j's classes for Java 9 and later under
# META-INF/versions/9, but its manifest lost "Multi-Release: true", so the JVM loads the
# Java 8 ones: their StackLocator prints "WARNING: sun.reflect.Reflection.getCallerClass
# is not supported. This will impact performance." at every start, and finds callers
# the slow way. The plugin jar carries those classes at its root and comes first on the
# classpath (render.build_java_command), so that the JVM loads them instead.
_JAVA9_PREFIX = "META-INF/versions/9/"
_JAVA9_PACKAGES = ("org/apache/logging/",)


def java9_classes(frontend_jar: Path) -> dict[str, bytes]:
    """log4j's Java 9 classes in ``frontend_jar``, by the name they get at the root."""
    classes = {}
    with zipfile.ZipFile(frontend_jar) as jar:
        for name in jar.namelist():
            inner = name.removeprefix(_JAVA9_PREFIX)
            if inner != name and inner.startswith(_JAVA9_PACKAGES) and inner.endswith(".class"):
                classes[inner] = jar.read(name)
    return classes


def build_jar(frontend_jar: Path, destination: Path, libraries: Sequence[Path] = ()) -> Path:
    """Compile the endpoint sources against ``frontend_jar`` (and the ``libraries`` that
    replace what a hardened one no longer embeds) into ``destination``."""
    javac = shutil.which("javac")
    if javac is None:
        raise ConfigError(
            "the /ping plugin is not built and javac is not installed: install a JDK 17 "
            "(e.g. openjdk-17-jdk-headless), or build it elsewhere with `make plugin` "
            f"into {PREBUILT_JAR}"
        )
    classpath = ":".join(str(jar) for jar in (*libraries, frontend_jar))
    with tempfile.TemporaryDirectory(prefix="serving-plugin-") as work:
        classes = Path(work) / "classes"
        result = process.run(
            [javac, "--release", "11", "-nowarn", "-cp", classpath, "-d", str(classes)]
            + [str(s) for s in _sources()]
        )
        if result.returncode != 0:
            raise ConfigError(f"compiling the /ping plugin failed:\n{result.stderr.strip()}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_suffix(f".{os.getpid()}.tmp")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
            for path in sorted(classes.rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
            jar.write(SOURCE_DIR / _SERVICE_FILE, _SERVICE_FILE)
            for name, data in java9_classes(frontend_jar).items():
                jar.writestr(name, data)
        partial.replace(destination)  # atomic: two servers starting at once never see half a jar
    return destination


def plugin_jar(frontend_jar: Path, cache_dir: Path, libraries: Sequence[Path] = ()) -> Path:
    """The plugin jar to put on TorchServe's classpath: the prebuilt one, else one built
    into ``cache_dir`` (the serving cache) on first use."""
    if PREBUILT_JAR.exists() and all(
        PREBUILT_JAR.stat().st_mtime_ns >= source.stat().st_mtime_ns for source in _inputs()
    ):
        return PREBUILT_JAR  # built from these sources (`make plugin`, the images)
    cached = cache_dir / f"serving-plugin-{_fingerprint(frontend_jar, libraries)}.jar"
    if cached.exists():
        return cached
    return build_jar(frontend_jar, cached, libraries)
