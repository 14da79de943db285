package serving.plugin;

import io.netty.channel.Channel;
import io.netty.util.Version;
import java.security.CodeSource;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once at start, which netty the frontend really loaded and from where: Debian's
 * security-maintained build ahead of a hardened TorchServe jar, or the 4.1.53 that
 * TorchServe's jar embeds (frontend_jar.py). The tests read this line.
 */
final class FrontendLibraries {

    private static final Logger LOG = LoggerFactory.getLogger("serving.frontend");
    // TorchServe makes the endpoints once per API (inference, management).
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private FrontendLibraries() {}

    /** e.g. "netty 4.1.48.Final from /usr/share/java/netty-transport.jar". */
    static String netty() {
        String version = Channel.class.getPackage().getImplementationVersion();
        if (version == null) { // a fat jar's manifest names no library's version
            Version transport = Version.identify().get("netty-transport");
            version = transport == null ? "unknown" : transport.artifactVersion();
        }
        CodeSource source = Channel.class.getProtectionDomain().getCodeSource();
        return "netty " + version + " from " + (source == null ? "?" : source.getLocation().getPath());
    }

    static void log() {
        if (LOGGED.getAndSet(true)) {
            return;
        }
        LOG.info("frontend libraries: {}; gRPC listeners: none", netty());
    }
}
