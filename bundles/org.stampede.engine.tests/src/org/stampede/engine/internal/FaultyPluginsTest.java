package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.PluginInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.spi.Acceptor;
import org.stampede.spi.ConnectionHandler;
import org.stampede.spi.Extension;
import org.stampede.spi.ExtensionConnection;
import org.stampede.spi.ExtensionPeer;
import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSink;
import org.stampede.spi.PeerSource;
import org.stampede.spi.SwarmContext;
import org.stampede.spi.Transport;
import org.stampede.transport.tcp.TcpTransport;

/**
 * Plug-ins that throw or block are isolated, as a faulty strategy is: a transport that cannot listen and throws on
 * every dial, ranked above TCP; a peer source that throws and one that never returns from its start; an extension
 * that throws on connecting. The download completes over TCP all the same, found by a working
 * source, and the engine reports the broken transport as failed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultyPluginsTest {
    @TempDir
    Path dir;

    /** Cannot listen, throws on every dial; ranked above TCP so that it is tried first. */
    static final class BrokenTransport implements Transport {
        final AtomicInteger dials = new AtomicInteger();

        @Override
        public String kind() {
            return "broken";
        }

        @Override
        public Listener listen(InetSocketAddress local, Acceptor acceptor) throws IOException {
            throw new IOException("this transport cannot listen");
        }

        @Override
        public void dial(InetSocketAddress remote, ConnectionHandler handler) {
            dials.incrementAndGet();
            throw new IllegalStateException("this transport cannot dial");
        }
    }

    /** Never returns from start until released. */
    static final class BlockingSource implements PeerSource {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public Lookup start(SwarmContext torrent, PeerSink sink) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return () -> java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    static final class ThrowingSource implements PeerSource {
        @Override
        public String name() {
            return "throwing";
        }

        @Override
        public Lookup start(SwarmContext torrent, PeerSink sink) {
            throw new IllegalStateException("this source is broken");
        }
    }

    /** Gives the one address it was made with. */
    record OneAddress(InetSocketAddress address) implements PeerSource {
        @Override
        public String name() {
            return "one";
        }

        @Override
        public Lookup start(SwarmContext torrent, PeerSink sink) {
            sink.add(address, PeerOrigin.MANUAL);
            return () -> java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /** Throws when a peer connects; the engine leaves it out for that peer. */
    static final class ThrowingExtension implements Extension {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "x_throws";
        }

        @Override
        public ExtensionConnection connected(ExtensionPeer peer) {
            calls.incrementAndGet();
            throw new IllegalStateException("this extension is broken");
        }
    }

    @Test
    void brokenTransportsSourcesAndExtensionsAreIsolatedAndTheDownloadCompletes() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(12).nextBytes(content);
        Path data = dir.resolve("seed/faulty.bin");
        Files.createDirectories(data.getParent());
        Files.write(data, content);
        Torrent t = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
        BrokenTransport broken = new BrokenTransport();
        BlockingSource blocking = new BlockingSource();
        ThrowingExtension throwing = new ThrowingExtension();
        TcpTransport tcp1 = new TcpTransport();
        TcpTransport tcp2 = new TcpTransport();
        Plugins seederPlugins = Plugins.of(tcp1);
        seederPlugins.addExtension(throwing, 0, "test", "0"); // both sides name it: the engine offers it the peer
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), seederPlugins)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            Plugins plugins = Plugins.of(tcp2);
            plugins.addTransport(broken, 100, "test", "0");
            plugins.addSource(blocking, 0, "test", "0");
            plugins.addSource(new ThrowingSource(), 0, "test", "0");
            plugins.addSource(new OneAddress(seeder.listenAddress()), 0, "test", "0");
            plugins.addExtension(throwing, 0, "test", "0");
            try (EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                    TestStrategies.registry(), plugins)) {
                List<PluginInfo> listed = leecher.plugins();
                assertTrue(listed.contains(new PluginInfo("broken", PluginInfo.TRANSPORT, "test", "0", "failed")),
                        "a transport that cannot listen is listed as failed: " + listed);
                TorrentHandle h = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
                h.checked().get(30, TimeUnit.SECONDS);
                assertTrue(blocking.entered.await(30, TimeUnit.SECONDS), "the blocking source was started");
                h.completion().get(60, TimeUnit.SECONDS); // the seeder came from the working source, over TCP
                assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/faulty.bin")));
                assertTrue(broken.dials.get() >= 1, "the higher-ranked transport was tried first");
                assertTrue(throwing.calls.get() >= 1, "the extension was offered the peer, and threw");
            } finally {
                blocking.release.countDown();
                tcp2.close();
            }
        } finally {
            tcp1.close();
        }
    }
}
