package io.grpc.netty.shaded.io.grpc.netty;

import io.grpc.BindableService;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import java.io.File;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for grpc-netty's server builder, ahead of TorchServe's jar on the classpath:
 * the servers it builds never listen. TorchServe 0.12.0 starts its two gRPC listeners
 * unconditionally (ModelServer.startGRPCServer builds them through this class, by this
 * name, and nothing else in it does); this runtime has no use for them, and their HTTP/2
 * and protobuf parsing ran before any key was checked. With this class, grpc-netty and
 * the netty 4.1.79 shaded inside it are not needed, and the image drops them.
 */
public final class NettyServerBuilder extends ServerBuilder<NettyServerBuilder> {

    private NettyServerBuilder() {}

    /** What ModelServer calls: the address is ignored, nothing binds. */
    public static NettyServerBuilder forAddress(SocketAddress address) {
        return new NettyServerBuilder();
    }

    public static NettyServerBuilder forPort(int port) {
        return new NettyServerBuilder();
    }

    public NettyServerBuilder maxConnectionAge(long age, TimeUnit unit) {
        return this;
    }

    public NettyServerBuilder maxConnectionAgeGrace(long grace, TimeUnit unit) {
        return this;
    }

    @Override
    public NettyServerBuilder maxInboundMessageSize(int bytes) {
        return this;
    }

    @Override
    public NettyServerBuilder directExecutor() {
        return this;
    }

    @Override
    public NettyServerBuilder executor(Executor executor) {
        return this;
    }

    @Override
    public NettyServerBuilder addService(ServerServiceDefinition service) {
        return this;
    }

    @Override
    public NettyServerBuilder addService(BindableService service) {
        return this;
    }

    @Override
    public NettyServerBuilder fallbackHandlerRegistry(HandlerRegistry registry) {
        return this;
    }

    @Override
    public NettyServerBuilder useTransportSecurity(File chain, File key) {
        return this;
    }

    @Override
    public NettyServerBuilder decompressorRegistry(DecompressorRegistry registry) {
        return this;
    }

    @Override
    public NettyServerBuilder compressorRegistry(CompressorRegistry registry) {
        return this;
    }

    @Override
    public Server build() {
        return new Unbound();
    }

    /** A server that was never bound: start and shutdown do nothing. */
    private static final class Unbound extends Server {
        private boolean shutdown;

        @Override
        public Server start() {
            return this;
        }

        @Override
        public int getPort() {
            return -1;
        }

        @Override
        public List<? extends SocketAddress> getListenSockets() {
            return Collections.emptyList();
        }

        @Override
        public synchronized Server shutdown() {
            shutdown = true;
            return this;
        }

        @Override
        public Server shutdownNow() {
            return shutdown();
        }

        @Override
        public synchronized boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return isShutdown();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }

        @Override
        public void awaitTermination() {}
    }
}
