package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BString;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;

/**
 * Resume data is a hint: a forged resume file that claims every piece over a file of zeros (its checksum recomputed,
 * as anyone can) does not make the torrent complete; the engine says why it did not use it, downloads the real data,
 * and its leechers get the real data.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForgedResumeTest {
    @TempDir
    Path dir;

    /** Records the engine's log at WARNING and above. */
    private static final class Warnings extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Claims every piece in a resume file and recomputes its checksum as its format documents. */
    private static void forgeAllPieces(Path resume, int pieceCount) throws Exception {
        BDict d = (BDict) BencodeDecoder.strict().decode(Files.readAllBytes(resume));
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            if (!k.asString().equals("pieces") && !k.asString().equals("checksum")) {
                b.put(k, v);
            }
        });
        byte[] bits = new byte[(pieceCount + 7) / 8];
        for (int p = 0; p < pieceCount; p++) {
            bits[p >>> 3] |= (byte) (0x80 >>> (p & 7));
        }
        b.put("pieces", BString.of(bits));
        b.put("checksum", MessageDigest.getInstance("SHA-256").digest(BencodeEncoder.encode(b.build())));
        Files.write(resume, BencodeEncoder.encode(b.build()));
    }

    @Test
    void aForgedResumeFileOverZerosIsNotBelievedAndTheRealDataIsDownloadedAndServed() throws Exception {
        byte[] content = new byte[2 * 1024 * 1024];
        new Random(15).nextBytes(content);
        Path real = dir.resolve("seed/forged.bin");
        Files.createDirectories(real.getParent());
        Files.write(real, content);
        Torrent t = Torrent.parse(TorrentCreator.forSource(real).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
        assertEquals(32, t.pieceCount());

        // the forger's side: zeros where the data belongs, and resume data that claims all of it
        Path forgedDir = dir.resolve("forged");
        Files.createDirectories(forgedDir);
        Files.write(forgedDir.resolve("forged.bin"), new byte[content.length]);
        Path state = dir.resolve("s-forged");
        Path resume = state.resolve(HexFormat.of().formatHex(t.infoHashV1().bytes()) + ".resume");
        Files.createDirectories(state);
        try (DiskIo io = new DiskIo(); FileStorage s = FileStorage.open(t, forgedDir, io)) {
            s.saveResumeData(resume); // the files' sizes and times as they are, nothing verified
        }
        forgeAllPieces(resume, t.pieceCount());

        Logger log = Logger.getLogger("org.stampede.engine");
        Warnings warnings = new Warnings();
        log.addHandler(warnings);
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s-seed")),
                TestStrategies.registry(), u -> null);
                EngineImpl forged = TestEngines.create(LoopbackSwarmTest.settings(state), TestStrategies.registry(),
                        u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s-leech")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle f = forged.add(t, forgedDir, AddOptions.defaults());
            f.checked().get(30, TimeUnit.SECONDS);
            TorrentStatus s = f.status();
            assertEquals(0, s.have(), "no piece of zeros counts as verified");
            assertEquals(TorrentStatus.State.DOWNLOADING, s.state());
            assertFalse(f.completion().isDone(), "not complete");
            assertTrue(s.error() != null && s.error().startsWith("resume data not used: ")
                    && s.error().endsWith("; all 32 pieces are rechecked"), s::error);
            String hash = HexFormat.of().formatHex(t.infoHashV1().bytes());
            assertTrue(warnings.messages.contains(hash + ": " + s.error()),
                    () -> "the reason is logged as a warning: " + warnings.messages);

            TorrentHandle l = leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            l.checked().get(30, TimeUnit.SECONDS);
            f.connect(seeder.listenAddress());
            l.connect(forged.listenAddress());
            f.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(forgedDir.resolve("forged.bin")));
            l.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/forged.bin")));
        } finally {
            log.removeHandler(warnings);
        }
    }
}
