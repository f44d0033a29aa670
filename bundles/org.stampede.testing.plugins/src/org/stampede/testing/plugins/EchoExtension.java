package org.stampede.testing.plugins;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.stampede.spi.Extension;
import org.stampede.spi.ExtensionConnection;
import org.stampede.spi.ExtensionPeer;
import org.stampede.spi.SwarmContext;
import org.stampede.wire.ExtensionHandshake;

/**
 * A BEP 10 extension for tests: on each connection whose peer names it, sends one greeting naming our listen port,
 * and records every message it receives and every close.
 */
@Component(service = Extension.class, configurationPid = "org.stampede.testing.plugins.echo",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class EchoExtension implements Extension {
    public static final String NAME = "x_stampede_echo";
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final List<String> CLOSED = new CopyOnWriteArrayList<>();

    /** What every echo extension of the JVM received so far: "infoHashHex: text". */
    public static List<String> received() {
        return RECEIVED;
    }

    /** Connections the extension was told closed, as "infoHashHex". */
    public static List<String> closed() {
        return CLOSED;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void describe(SwarmContext torrent, ExtensionHandshake.Builder ours) {
        // nothing beyond the m entry
    }

    @Override
    public ExtensionConnection connected(ExtensionPeer peer) {
        String hash = peer.torrent().infoHashHex();
        peer.send(ByteBuffer.wrap(("hello from " + peer.torrent().listenPort()).getBytes(StandardCharsets.UTF_8)));
        return new ExtensionConnection() {
            @Override
            public void received(ByteBuffer payload) {
                byte[] b = new byte[payload.remaining()];
                payload.get(b);
                RECEIVED.add(hash + ": " + new String(b, StandardCharsets.UTF_8));
            }

            @Override
            public void closed() {
                CLOSED.add(hash);
            }
        };
    }
}
