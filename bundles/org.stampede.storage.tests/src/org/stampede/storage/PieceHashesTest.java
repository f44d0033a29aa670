package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stampede.metainfo.Torrent;

/** Pieces hashed from their blocks as they are written (the hash cursor), and the fall-backs to reading back. */
class PieceHashesTest {
    private static final int PIECE = 64 * 1024;
    private static final int BLOCK = Fixtures.BLOCK;

    @TempDir
    Path work;
    Path source;
    Path download;
    DiskIo io;

    @BeforeEach
    void setUp() throws Exception {
        source = work.resolve("src");
        // several files of odd sizes: hybrid torrents get padding files between them, v2 pieces end with files
        Fixtures.randomFile(source.resolve("set/a.bin"), 3 * PIECE + 5000, 11);
        Fixtures.randomFile(source.resolve("set/b.bin"), 20_000, 12);
        Fixtures.randomFile(source.resolve("set/c.bin"), 2 * PIECE, 13);
        download = work.resolve("dl");
        io = new DiskIo();
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    private Torrent torrent(Torrent.Version v) throws Exception {
        return Fixtures.torrent(source.resolve("set"), v, PIECE);
    }

    /** Writes a piece block by block, each write finished before the next starts. */
    private static void writeInOrder(Storage s, int p, byte[] data) throws Exception {
        for (int off = 0; off < data.length; off += BLOCK) {
            Fixtures.await(s.writeBlock(p, off, ByteBuffer.wrap(data, off, Math.min(BLOCK, data.length - off))));
        }
    }

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void blocksWrittenInOrderVerifyWithoutReadingBack(Torrent.Version v) throws Exception {
        Torrent t = torrent(v);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            for (int p = 0; p < t.pieceCount(); p++) {
                writeInOrder(s, p, Fixtures.piece(t, source, p));
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
            assertEquals(t.pieceCount(), s.verifiedPieces().cardinality());
            assertEquals(0, s.bytesReadForHashing(), "nothing read back");
            assertEquals(0, s.piecesHashed.sum());
            assertEquals(t.pieceCount(), s.piecesHashedOnArrival());
        }
    }

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void blocksWrittenOutOfOrderVerifyReadingBackOnlyTheBlocksTheCursorWaitedFor(Torrent.Version v)
            throws Exception {
        Torrent t = torrent(v);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            long blocks = 0;
            for (int p = 0; p < t.pieceCount(); p++) {
                byte[] data = Fixtures.piece(t, source, p);
                for (int off = (data.length - 1) / BLOCK * BLOCK; off >= 0; off -= BLOCK) { // last first
                    Fixtures.await(s.writeBlock(p, off, ByteBuffer.wrap(data, off, Math.min(BLOCK, data.length - off))));
                }
                blocks += (data.length + BLOCK - 1) / BLOCK - 1;
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
            assertEquals(0, s.piecesHashed.sum(), "no piece read back whole");
            assertEquals(t.pieceCount(), s.piecesHashedOnArrival());
            // v1: block 0 comes last, then the cursor reads the others back; v2: every leaf is hashed on arrival
            assertEquals(v == Torrent.Version.V2 ? 0 : blocks, s.hashes.blocksRead.sum());
        }
    }

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void aCorruptedBlockFailsTheHashAndTheRepairedPieceThenVerifies(Torrent.Version v) throws Exception {
        Torrent t = torrent(v);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] good = Fixtures.piece(t, source, 1);
            byte[] bad = good.clone();
            bad[BLOCK + 7] ^= 1;
            writeInOrder(s, 1, bad);
            assertFalse(Fixtures.await(s.verifyPiece(1)));
            assertFalse(s.verifiedPieces().get(1));
            writeInOrder(s, 1, good); // downloaded again after the failure: a new cursor
            assertTrue(Fixtures.await(s.verifyPiece(1)));
            assertEquals(2, s.piecesHashedOnArrival());
            assertEquals(0, s.piecesHashed.sum());
        }
    }

    @Test
    void nonZeroBytesSentForPaddingAreHashedAsTheZerosOnDisk() throws Exception {
        Torrent t = torrent(Torrent.Version.HYBRID);
        int p = 3; // a.bin's last 5000 bytes, then padding to the piece's end
        assertTrue(t.files().stream().anyMatch(f -> f.padding()), "the hybrid torrent has padding files");
        byte[] data = Fixtures.piece(t, source, p);
        java.util.Arrays.fill(data, 5000, data.length, (byte) 0x5a);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            writeInOrder(s, p, data);
            assertTrue(Fixtures.await(s.verifyPiece(p)));
            assertEquals(1, s.piecesHashedOnArrival());
        }
    }

    @Test
    void aPieceWrittenBeforeTheStorageWasOpenedIsReadBack() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            writeInOrder(s, 0, Fixtures.piece(t, source, 0));
        }
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertTrue(Fixtures.await(s.verifyPiece(0)));
            assertEquals(1, s.piecesHashed.sum());
            assertEquals(PIECE, s.bytesReadForHashing());
            assertEquals(0, s.piecesHashedOnArrival());
        }
    }

    @ParameterizedTest
    @EnumSource(Torrent.Version.class)
    void aBlockWrittenTwiceIsVerifiedFromWhatIsOnDisk(Torrent.Version v) throws Exception {
        Torrent t = torrent(v);
        byte[] good = Fixtures.piece(t, source, 0);
        byte[] bad = good.clone();
        bad[3] ^= 1;
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.await(s.writeBlock(0, 0, ByteBuffer.wrap(bad, 0, BLOCK)));
            writeInOrder(s, 0, good); // block 0 again, with the right bytes, then the rest
            assertTrue(Fixtures.await(s.verifyPiece(0)));
            assertEquals(1, s.piecesHashed.sum(), "read back: the cursor cannot follow a rewrite");
            assertEquals(0, s.piecesHashedOnArrival());
        }
    }

    @Test
    void aWriteThatIsNotOneBlockMakesThePieceReadBack() throws Exception {
        Torrent t = torrent(Torrent.Version.V1);
        byte[] good = Fixtures.piece(t, source, 0);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            Fixtures.await(s.writeBlock(0, 0, ByteBuffer.wrap(good, 0, 2 * BLOCK)));
            Fixtures.await(s.writeBlock(0, 2 * BLOCK, ByteBuffer.wrap(good, 2 * BLOCK, 2 * BLOCK)));
            assertTrue(Fixtures.await(s.verifyPiece(0)));
            assertEquals(1, s.piecesHashed.sum());
        }
    }

    @Test
    void moreUnfinishedPiecesThanCursorsVerifyReadingBackTheBlocksOfLostCursors() throws Exception {
        int pieces = PieceHashes.SLOTS + 8;
        Fixtures.randomFile(source.resolve("big/data.bin"), (long) pieces * PIECE, 21);
        Torrent t = Fixtures.torrent(source.resolve("big/data.bin"), Torrent.Version.V1, PIECE);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            List<byte[]> data = new java.util.ArrayList<>();
            for (int p = 0; p < pieces; p++) {
                data.add(Fixtures.piece(t, source.resolve("big"), p));
                Fixtures.await(s.writeBlock(p, 0, ByteBuffer.wrap(data.get(p), 0, BLOCK))); // first block of each
            }
            for (int p = 0; p < pieces; p++) {
                for (int off = BLOCK; off < PIECE; off += BLOCK) {
                    Fixtures.await(s.writeBlock(p, off, ByteBuffer.wrap(data.get(p), off, BLOCK)));
                }
                assertTrue(Fixtures.await(s.verifyPiece(p)), "piece " + p);
            }
            // a piece that lost its cursor got a new one, which read back only the block it had not seen
            assertEquals(pieces, s.verifiedPieces().cardinality());
            assertEquals(pieces, s.piecesHashedOnArrival());
            assertEquals(0, s.piecesHashed.sum());
            long lost = s.hashes.blocksRead.sum();
            assertTrue(lost >= 8 && lost <= pieces, "blocks read back: " + lost);
        }
    }
}
