"""TorchServe's frontend jar, hardened (frontend_jar.py): which entries go, by value, and
the rewrite itself on a small stand-in jar."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from serving.engines.torchserve import frontend_jar
from serving.errors import ConfigError


@pytest.mark.parametrize(
    "entry",
    [
        "io/netty/handler/codec/http/multipart/HttpPostRequestDecoder.class",
        "META-INF/io.netty.versions.properties",
        "META-INF/native/libnetty_transport_native_kqueue_x86_64.jnilib",
        "io/grpc/netty/shaded/io/netty/handler/codec/http2/Http2FrameCodec.class",
        "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_linux_x86_64.so",
        "groovy/lang/GroovyShell.class",
        "org/codehaus/groovy/runtime/InvokerHelper.class",
        "org/testng/TestNG.class",
        "org/apache/tools/ant/Main.class",
        "junit/framework/TestCase.class",
        "META-INF/resources/webjars/jquery/3.5.1/jquery.js",
    ],
)
def test_what_is_replaced_or_unused_goes(entry: str) -> None:
    assert not frontend_jar.kept(entry)


@pytest.mark.parametrize(
    "entry",
    [
        "org/pytorch/serve/ModelServer.class",
        "io/grpc/ServerBuilder.class",  # TorchServe's classes still load grpc-api
        "com/google/protobuf/Message.class",
        "org/apache/logging/log4j/core/Logger.class",
        "org/apache/commons/compress/archivers/tar/TarArchiveInputStream.class",
        "org/yaml/snakeyaml/Yaml.class",
        "com/google/gson/Gson.class",
        "org/slf4j/LoggerFactory.class",
        # netty's JNI epoll library: Debian builds netty without it.
        "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
        "META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
    ],
)
def test_what_torchserve_runs_stays(entry: str) -> None:
    assert frontend_jar.kept(entry)


def test_a_service_file_loses_the_providers_that_are_gone() -> None:
    text = "# licence\nio.grpc.internal.PickFirstLoadBalancerProvider\nio.gone.Provider\n"
    present = {"io/grpc/internal/PickFirstLoadBalancerProvider.class"}
    assert frontend_jar.filtered_service(text, present) == (
        "# licence\nio.grpc.internal.PickFirstLoadBalancerProvider\n"
    )
    assert frontend_jar.filtered_service("# only a comment\nio.gone.Provider\n", present) is None


def make_jar(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as jar:
        for name, data in entries.items():
            jar.writestr(name, data)
    return path


def java_share(root: Path) -> Path:
    share = root / "java"
    share.mkdir()
    for replacement in frontend_jar.REPLACEMENTS:
        for name in replacement.jars:
            make_jar(share / name, {"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n"})
    return share


STAND_IN = {
    "org/pytorch/serve/ModelServer.class": b"ts",
    "io/netty/channel/Channel.class": b"netty 4.1.53",
    "META-INF/native/libnetty_transport_native_epoll_x86_64.so": b"jni",
    "io/grpc/netty/shaded/io/grpc/netty/NettyServerProvider.class": b"grpc-netty",
    "io/grpc/internal/PickFirstLoadBalancerProvider.class": b"grpc-api",
    "groovy/lang/GroovyShell.class": b"groovy",
    "META-INF/services/io.grpc.ServerProvider": (
        b"io.grpc.netty.shaded.io.grpc.netty.NettyServerProvider\n"
    ),
    "META-INF/services/io.grpc.LoadBalancerProvider": (
        b"io.grpc.internal.PickFirstLoadBalancerProvider\n"
    ),
}


def test_hardening_rewrites_the_jar_in_place_once(tmp_path: Path) -> None:
    jar = make_jar(tmp_path / "model-server.jar", STAND_IN)
    share = java_share(tmp_path)
    assert frontend_jar.library_jars(jar, share)[1] is not None  # as shipped: a warning

    assert frontend_jar.harden(jar, share) is True
    with zipfile.ZipFile(jar) as hardened:
        names = set(hardened.namelist())
        assert names == {
            "org/pytorch/serve/ModelServer.class",
            "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
            "io/grpc/internal/PickFirstLoadBalancerProvider.class",
            "META-INF/services/io.grpc.LoadBalancerProvider",
            frontend_jar.MARKER,
        }
        assert hardened.read("org/pytorch/serve/ModelServer.class") == b"ts"
        marker = json.loads(hardened.read(frontend_jar.MARKER))
    assert marker["replaced"]["netty"]["package"] == "libnetty-java"
    assert frontend_jar.harden(jar, share) is False  # already hardened: untouched

    jars, warning = frontend_jar.library_jars(jar, share)
    assert warning is None
    assert jars == [share / name for name in frontend_jar.NETTY.jars]
    assert jars[0].name == "netty-common.jar" and jars[-1].name == "jctools-core.jar"


def test_hardening_refuses_without_the_replacements_and_leaves_the_jar(tmp_path: Path) -> None:
    jar = make_jar(tmp_path / "model-server.jar", STAND_IN)
    before = jar.read_bytes()
    with pytest.raises(ConfigError, match="apt-get install libnetty-java"):
        frontend_jar.harden(jar, tmp_path / "empty")
    assert jar.read_bytes() == before


def test_a_hardened_jar_without_its_replacements_does_not_start(tmp_path: Path) -> None:
    jar = make_jar(tmp_path / "model-server.jar", STAND_IN)
    share = java_share(tmp_path)
    frontend_jar.harden(jar, share)
    (share / "netty-codec-http.jar").unlink()
    with pytest.raises(ConfigError, match=r"netty-codec-http\.jar.*apt-get install libnetty-java"):
        frontend_jar.library_jars(jar, share)
