package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.Interop;

/**
 * The engine against the reference peer, libtorrent, on 127.0.0.1 in both directions: libtorrent seeds and
 * Stampede downloads; Stampede seeds and libtorrent downloads, verifying every piece itself.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LibtorrentSwarmTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void counterparts() {
        Interop.requireLibtorrent();
    }

    private Path data(String name, long... sizes) throws Exception {
        Path root = dir.resolve("origin").resolve(name);
        for (int i = 0; i < sizes.length; i++) {
            Interop.randomFile(root.resolve(i == 0 ? "first.bin" : "dir/file" + i + ".bin"), sizes[i], 40 + i);
        }
        return root;
    }

    private Path torrentFile(Path data, Torrent.Version version, long pieceLength) throws Exception {
        byte[] bytes = TorrentCreator.forSource(data).version(version).pieceLength(pieceLength).creationDate(null)
                .create();
        Path file = dir.resolve(data.getFileName() + "-" + version + ".torrent");
        Files.write(file, bytes);
        return file;
    }

    private void libtorrentSeedsStampedeDownloads(Torrent.Version version, long pieceLength, long... sizes)
            throws Exception {
        Path data = data("payload-" + version, sizes);
        Path torrentFile = torrentFile(data, version, pieceLength);
        Torrent torrent = Torrent.read(torrentFile);
        Process lt = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(),
                torrentFile.toString(), data.getParent().toString(), "--timeout", "150")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        java.util.Set<String> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
        EventSink events = (topic, props) -> {
            if (topic.equals(org.stampede.engine.EngineEvents.PEER_CONNECTED)) {
                clients.add(String.valueOf(props.get(org.stampede.engine.EngineEvents.CLIENT)));
            }
        };
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("state")),
                TestStrategies.registry(), u -> null, events)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(lt.getInputStream(), StandardCharsets.UTF_8));
            String port = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(port != null && port.matches("\\d+"), "libtorrent's listen port, got " + port);
            Path target = dir.resolve("stampede-download");
            TorrentHandle h = engine.add(torrent, target, AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            h.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
            h.completion().get(120, TimeUnit.SECONDS);
            // the peer we downloaded from named itself libtorrent (peer id or extension handshake)
            assertTrue(clients.stream().anyMatch(c -> c.toLowerCase().contains("libtorrent")), clients::toString);
            for (Path f : List.of(Path.of("first.bin"), Path.of("dir", "file1.bin"))) {
                if (Files.exists(data.resolve(f))) {
                    assertArrayEquals(LoopbackSwarmTest.sha256(data.resolve(f)),
                            LoopbackSwarmTest.sha256(target.resolve(data.getFileName()).resolve(f)), f.toString());
                }
            }
        } finally {
            lt.getOutputStream().close();
            if (!lt.waitFor(10, TimeUnit.SECONDS)) {
                lt.destroyForcibly();
            }
        }
    }

    private void stampedeSeedsLibtorrentDownloads(Torrent.Version version, long pieceLength, long... sizes)
            throws Exception {
        stampedeSeedsLibtorrentDownloads(0, version, pieceLength, sizes);
    }

    /** As above, with {@code idleSockets} silent connections to Stampede's port held open throughout. */
    private void stampedeSeedsLibtorrentDownloads(int idleSockets, Torrent.Version version, long pieceLength,
            long... sizes) throws Exception {
        Path data = data("served-" + version, sizes);
        Path torrentFile = torrentFile(data, version, pieceLength);
        Torrent torrent = Torrent.read(torrentFile);
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("state")),
                TestStrategies.registry(), u -> null)) {
            TorrentHandle h = engine.add(torrent, data.getParent(), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertEquals(torrent.pieceCount(), h.status().have());
            Path target = dir.resolve("lt-download");
            Files.createDirectories(target);
            for (int i = 0; i < idleSockets; i++) {
                idle.add(RawPeer.connect(engine.listenAddress()));
            }
            long t0 = System.nanoTime();
            Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_leech_peer.py").toString(),
                    torrentFile.toString(), target.toString(), "--peer", "127.0.0.1:" + engine.listenAddress().getPort(),
                    "--timeout", "100"));
            assertEquals(0, r.exit(), () -> "libtorrent did not complete: " + r.out() + r.err());
            assertTrue(r.out().contains("\"complete\": true") && r.out().contains("\"hashfails\": 0"), r.out());
            assertTrue(h.status().uploaded() >= torrent.totalLength(), h.status()::toString);
            if (idleSockets > 0) {
                System.out.printf("libtorrent downloaded behind %d idle sockets in %.1f s%n", idleSockets,
                        (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            for (RawPeer s : idle) {
                s.close();
            }
            idle.clear();
        }
    }

    private final java.util.List<RawPeer> idle = new java.util.ArrayList<>();

    /**
     * A burst of 1,000 silent connections to the seeder's port, held open for the whole transfer (their handshake
     * timeout made longer than the test), cannot keep a real leecher out: connections waiting for their handshake
     * have their own budget, the oldest making room for newer ones.
     */
    @Test
    void stampedeSeedsLibtorrentBehindAThousandIdleSockets() throws Exception {
        long timeout = WireConnection.handshakeTimeoutMillis;
        WireConnection.handshakeTimeoutMillis = 600_000;
        try {
            stampedeSeedsLibtorrentDownloads(1000, Torrent.Version.V1, 65536, 4 * 1024 * 1024);
        } finally {
            WireConnection.handshakeTimeoutMillis = timeout;
        }
    }

    @Test
    void libtorrentSeedsV1SingleFileTo256KiBPieces() throws Exception {
        libtorrentSeedsStampedeDownloads(Torrent.Version.V1, 256 * 1024, 5 * 1024 * 1024 + 4321);
    }

    @Test
    void libtorrentSeedsHybridMultiFileIn4MiBPieces() throws Exception {
        libtorrentSeedsStampedeDownloads(Torrent.Version.HYBRID, 4 * 1024 * 1024, 9 * 1024 * 1024 + 5, 300_000,
                12_345);
    }

    @Test
    void libtorrentSeedsV2MultiFile() throws Exception {
        libtorrentSeedsStampedeDownloads(Torrent.Version.V2, 256 * 1024, 2 * 1024 * 1024 + 99, 700_000);
    }

    @Test
    void stampedeSeedsV1MultiFileToLibtorrent() throws Exception {
        stampedeSeedsLibtorrentDownloads(Torrent.Version.V1, 256 * 1024, 4 * 1024 * 1024 + 1, 50_000);
    }

    @Test
    void stampedeSeedsHybridSingleFileIn4MiBPiecesToLibtorrent() throws Exception {
        stampedeSeedsLibtorrentDownloads(Torrent.Version.HYBRID, 4 * 1024 * 1024, 10 * 1024 * 1024 + 17);
    }
}
