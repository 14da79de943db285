"""``python -m serving.engines.torchserve.plugin``: build the /ping plugin jar into the
installed package (``make plugin``; image builds run it with a JDK so that the runtime
stage needs only a JRE)."""

from __future__ import annotations

from pathlib import Path

from serving.engines.torchserve import plugin


def main() -> None:
    import ts  # the installed TorchServe wheel, whose frontend jar the plugin compiles against

    frontend = Path(ts.__file__).resolve().parent / "frontend" / "model-server.jar"
    print(plugin.build_jar(frontend, plugin.PREBUILT_JAR))


if __name__ == "__main__":
    main()
