package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.wire.PieceGeometry;

/**
 * A small swarm on loopback for tests: one file of random bytes, its v1 torrent, a Stampede engine seeding it, and
 * more engines on demand that download it and prove the seeder still serves. Engines use the test strategies
 * (in-order picker, unchoke-all chokers) and port 0; {@link #close} closes them all.
 */
final class Swarm implements AutoCloseable {
    final Path dir;
    final Path data;
    final Torrent torrent;
    final EngineImpl seeder;
    final TorrentHandle seed;
    private final List<EngineImpl> engines = new ArrayList<>();
    private int leechers;

    private Swarm(Path dir, Path data, Torrent torrent, EngineImpl seeder, TorrentHandle seed) {
        this.dir = dir;
        this.data = data;
        this.torrent = torrent;
        this.seeder = seeder;
        this.seed = seed;
        engines.add(seeder);
    }

    /** Engine settings for tests: loopback, any port, the test strategies. */
    static EngineSettings settings(InetAddress bind) {
        return EngineSettings.defaults().withBind(bind, 0).withStrategies("in-order", "unchoke-all", "unchoke-all");
    }

    static EngineImpl engine(EngineSettings settings) throws IOException {
        return TestEngines.create(settings, TestStrategies.registry(), u -> null);
    }

    /** A v1 torrent of {@code size} random bytes in pieces of {@code pieceLength}, seeded by a new engine. */
    static Swarm seeding(Path dir, long size, long pieceLength, EngineSettings seederSettings, AddOptions options)
            throws Exception {
        Path seedDir = dir.resolve("seed");
        Path data = seedDir.resolve("payload.bin");
        Files.createDirectories(seedDir);
        byte[] bytes = new byte[Math.toIntExact(size)];
        new Random(size).nextBytes(bytes);
        Files.write(data, bytes);
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1)
                .pieceLength(pieceLength).creationDate(null).create());
        EngineImpl seeder = engine(seederSettings);
        try {
            TorrentHandle seed = seeder.add(torrent, seedDir, options);
            seed.checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.SEEDING, seed.status().state(), seed.status()::toString);
            return new Swarm(dir, data, torrent, seeder, seed);
        } catch (Exception | Error e) {
            seeder.close();
            throw e;
        }
    }

    /** The usual small swarm: 9.5 pieces of 64 KiB (10 pieces, the last one short: a bitfield with spare bits). */
    static Swarm small(Path dir) throws Exception {
        return seeding(dir, 9 * 65536 + 1000, 65536, settings(InetAddress.getLoopbackAddress()),
                AddOptions.defaults());
    }

    byte[] infoHash() {
        return torrent.infoHashV1().bytes();
    }

    PieceGeometry geometry() {
        return PieceGeometry.of(torrent.totalLength(), (int) torrent.pieceLength());
    }

    InetSocketAddress seederAddress() {
        return seeder.listenAddress();
    }

    /** A new engine that {@link #close} will close. */
    EngineImpl newEngine(EngineSettings settings) throws IOException {
        EngineImpl e = engine(settings);
        engines.add(e);
        return e;
    }

    /** Adds the torrent to {@code engine} into an empty folder and waits for its (empty) check. */
    TorrentHandle addEmpty(EngineImpl engine, AddOptions options) throws Exception {
        TorrentHandle h = engine.add(torrent, dir.resolve("leech" + ++leechers), options);
        h.checked().get(30, TimeUnit.SECONDS);
        return h;
    }

    /** Waits until {@code h} has every piece and checks the file it wrote against the original, byte for byte. */
    void assertComplete(TorrentHandle h, long timeoutSeconds) throws Exception {
        h.completion().get(timeoutSeconds, TimeUnit.SECONDS);
        Path root = ((ManagedTorrent) h).storage.downloadRoot();
        assertArrayEquals(sha256(data), sha256(root.resolve(data.getFileName())),
                "the downloaded file differs from the original");
    }

    /** The proof that the seeder still serves: a new engine downloads the whole torrent from it. */
    void aStampedeLeecherStillDownloadsEverything() throws Exception {
        EngineImpl engine = newEngine(settings(InetAddress.getLoopbackAddress()));
        TorrentHandle h = addEmpty(engine, AddOptions.defaults());
        h.connect(seederAddress());
        assertComplete(h, 60);
    }

    static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    @Override
    public void close() {
        for (EngineImpl e : engines) {
            e.close();
        }
    }
}
