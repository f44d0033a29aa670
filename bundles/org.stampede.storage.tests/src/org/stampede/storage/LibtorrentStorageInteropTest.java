package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stampede.metainfo.Torrent;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.interop.Libtorrent;

import com.google.gson.JsonObject;

/**
 * Interop with the reference implementation: Stampede's storage accepts the data of torrents libtorrent made
 * (its v2 merkle hashes and its padding layout included), and libtorrent accepts the files Stampede's storage
 * wrote block by block.
 */
class LibtorrentStorageInteropTest {

    @TempDir
    static Path work;
    static Path source;
    static DiskIo io;

    @BeforeAll
    static void data() throws Exception {
        Interop.requireLibtorrent();
        source = work.resolve("src");
        Fixtures.mixedSet(source);
        Fixtures.randomFile(source.resolve("set/sub/g.bin"), 300_000, 8);
        io = new DiskIo();
    }

    @AfterAll
    static void stop() {
        if (io != null) {
            io.close();
        }
    }

    private static Torrent libtorrentTorrent(String flag) throws Exception {
        Path file = Libtorrent.create(source.resolve("set"), work.resolve("lt" + flag + ".torrent"), flag,
                16 * 1024);
        return Torrent.read(file);
    }

    @ParameterizedTest
    @ValueSource(strings = { "--v1", "--v2", "--hybrid" })
    void dataOfATorrentMadeByLibtorrentChecksGood(String flag) throws Exception {
        Torrent t = libtorrentTorrent(flag);
        try (FileStorage s = FileStorage.open(t, source, io)) {
            BitSet good = Fixtures.await(s.check(ProgressListener.NONE));
            assertEquals(t.pieceCount(), good.cardinality(), "every piece of " + t + " is good");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "--v1", "--v2", "--hybrid" })
    void filesWrittenBlockByBlockCheckCompleteInLibtorrent(String flag) throws Exception {
        Torrent t = libtorrentTorrent(flag);
        Path dl = Files.createDirectories(work.resolve("dl" + flag));
        try (FileStorage s = FileStorage.open(t, dl, io)) {
            Fixtures.writeAll(s, t, source);
        }
        JsonObject verdict = Libtorrent.check(work.resolve("lt" + flag + ".torrent"), dl);
        assertTrue(verdict.get("complete").getAsBoolean(), verdict.toString());
        assertEquals(t.pieceCount(), verdict.get("verified").getAsInt());
    }
}
