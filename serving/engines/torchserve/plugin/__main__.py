"""``python -m serving.engines.torchserve.plugin``: build the /ping plugin jar into the
installed package (``make plugin``; image builds run it with a JDK so that the runtime
stage needs only a JRE)."""

from __future__ import annotations

from serving.engines.torchserve import frontend_jar, plugin


def main() -> None:
    frontend = frontend_jar.installed_jar()  # the installed TorchServe wheel's
    libraries, _ = frontend_jar.library_jars(frontend)
    print(plugin.build_jar(frontend, plugin.PREBUILT_JAR, libraries))


if __name__ == "__main__":
    main()
