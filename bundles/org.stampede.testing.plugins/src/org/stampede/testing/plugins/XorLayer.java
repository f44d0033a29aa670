package org.stampede.testing.plugins;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.stampede.spi.Acceptor;
import org.stampede.spi.Connection;
import org.stampede.spi.ConnectionHandler;
import org.stampede.spi.Transport;
import org.stampede.spi.TransportLayer;

/**
 * A transport layer for tests: every byte in each direction is XORed with a key stream that depends on its position
 * in the stream, so a peer without the layer sees garbage and one with it sees the protocol. It stands in for MSE to
 * prove that a layer wraps any transport, listening and dialing alike.
 */
@Component(service = TransportLayer.class, configurationPid = "org.stampede.testing.plugins.xor",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class XorLayer implements TransportLayer {
    public static final String NAME = "xor";

    @Override
    public String name() {
        return NAME;
    }

    static byte key(long position) {
        return (byte) (0x5a ^ position * 31 ^ position >>> 8);
    }

    @Override
    public Transport wrap(Transport inner) {
        return new Transport() {
            @Override
            public String kind() {
                return inner.kind();
            }

            @Override
            public boolean canDial(InetSocketAddress remote) {
                return inner.canDial(remote);
            }

            @Override
            public Listener listen(InetSocketAddress local, Acceptor acceptor) throws IOException {
                return inner.listen(local, remote -> {
                    ConnectionHandler h = acceptor.accept(remote);
                    return h == null ? null : new Layered(h);
                });
            }

            @Override
            public void dial(InetSocketAddress remote, ConnectionHandler handler) {
                inner.dial(remote, new Layered(handler));
            }
        };
    }

    /** The handler the inner transport calls, and the connection the engine writes to. */
    private static final class Layered implements ConnectionHandler, Connection {
        private final ConnectionHandler upper;
        private Connection lower;
        private long readPosition;
        private long writePosition;

        Layered(ConnectionHandler upper) {
            this.upper = upper;
        }

        @Override
        public void opened(Connection connection) {
            lower = connection;
            upper.opened(this);
        }

        @Override
        public void received(ByteBuffer data) {
            ByteBuffer plain = ByteBuffer.allocate(data.remaining());
            while (data.hasRemaining()) {
                plain.put((byte) (data.get() ^ key(readPosition++)));
            }
            upper.received(plain.flip());
        }

        @Override
        public void sent() {
            upper.sent();
        }

        @Override
        public void closed(String reason) {
            upper.closed(reason);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return lower.remoteAddress();
        }

        @Override
        public boolean outgoing() {
            return lower.outgoing();
        }

        @Override
        public String kind() {
            return lower.kind();
        }

        @Override
        public boolean encrypted() {
            return true;
        }

        @Override
        public synchronized void write(ByteBuffer data, Runnable written) {
            ByteBuffer coded = ByteBuffer.allocate(data.remaining());
            for (int i = data.position(); i < data.limit(); i++) {
                coded.put((byte) (data.get(i) ^ key(writePosition++)));
            }
            data.position(data.limit());
            lower.write(coded.flip(), written);
        }

        @Override
        public long queuedBytes() {
            return lower.queuedBytes();
        }

        @Override
        public void suspendReading() {
            lower.suspendReading();
        }

        @Override
        public void resumeReading() {
            lower.resumeReading();
        }

        @Override
        public void close(String reason) {
            lower.close(reason);
        }

        @Override
        public boolean isOpen() {
            return lower.isOpen();
        }
    }
}
