package org.stampede.ui.internal.parts;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.ui.internal.ClientSession;

/**
 * A client session over an engine that has one torrent and, for it, a fixed list of peers: what the Peers view
 * needs, without sockets. The engine and its handle are proxies of the interfaces, answering only what the session
 * and the view ask (add, infoHash, torrent, peers, stop) and defaults otherwise.
 */
final class FakePeers {
    private FakePeers() {
    }

    /** {@code n} peers with distinct addresses and varied rates, flags and states. */
    static List<PeerStatus> peers(int n) {
        Random r = new Random(11);
        List<PeerStatus> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PeerStatus("127.0.0.1:" + (10_000 + i), i % 3 == 0 ? "libtorrent/2.0.8" : "Stampede/0.1.0",
                    i % 2 == 0, r.nextDouble(), r.nextInt(2_000_000), r.nextInt(500_000), r.nextInt(1 << 30),
                    r.nextInt(1 << 28), i % 4 != 0, i % 5 != 0, i % 6 == 0, i % 7 != 0, i % 50 == 0, i % 40 == 0,
                    r.nextInt(64), i % 9 == 0 ? "utp" : "tcp", i % 8 == 0));
        }
        return out;
    }

    /**
     * A session whose one torrent (selected) has these peers. {@code dir} holds the session's files and the small
     * torrent it adds.
     */
    static ClientSession session(Path dir, List<PeerStatus> peers) throws Exception {
        Path content = dir.resolve("content.bin");
        Files.write(content, new byte[40_000]);
        Path file = dir.resolve("content.torrent");
        Files.write(file, TorrentCreator.forSource(content).pieceLength(16 * 1024).creationDate(null).create());
        Torrent torrent = Torrent.read(file);
        String hash = torrent.infoHashV1().hex();
        TorrentHandle handle = (TorrentHandle) Proxy.newProxyInstance(FakePeers.class.getClassLoader(),
                new Class<?>[] { TorrentHandle.class }, (proxy, method, args) -> switch (method.getName()) {
                case "infoHash" -> hash;
                case "torrent" -> torrent;
                case "peers" -> peers;
                case "stop", "checked", "completion" -> CompletableFuture.completedFuture(null);
                case "toString" -> "fake handle " + hash;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> defaultValue(method.getReturnType());
                });
        Engine engine = (Engine) Proxy.newProxyInstance(FakePeers.class.getClassLoader(),
                new Class<?>[] { Engine.class }, (proxy, method, args) -> switch (method.getName()) {
                case "add" -> handle;
                case "torrents" -> List.of(handle);
                case "strategies", "strategyEvents" -> List.of();
                case "listenAddress" -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
                case "toString" -> "fake engine";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> defaultValue(method.getReturnType());
                });
        EngineFactory factory = settings -> engine;
        ClientSession session = new ClientSession(factory, EngineSettings.defaults(), dir.resolve("data"),
                dir.resolve("downloads"));
        session.add(file, null);
        return session;
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }
}
