package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stampede.api.BlockState;
import org.stampede.api.TorrentView;

/** The test torrent keeps its have, wanted and partial sets consistent with its blocks, as the engine does. */
class TestTorrentTest {
    @Test
    void newTorrentWantsEveryPieceAndHasNone() {
        TestTorrent t = new TestTorrent(5, 2);
        assertTrue(t.wanted().isFull());
        assertTrue(t.have().isEmpty());
        assertTrue(t.partial().isEmpty());
        assertFalse(t.complete());
        assertEquals(2 * TorrentView.BLOCK_SIZE, t.pieceLength(4));
    }

    @Test
    void verifiedPieceIsHadAndNeitherWantedNorPartial() {
        TestTorrent t = new TestTorrent(5, 2).requested(1, 0).verified(1);
        assertTrue(t.have().contains(1));
        assertFalse(t.wanted().contains(1));
        assertFalse(t.partial().contains(1));
        assertEquals(BlockState.RECEIVED, t.blockState(1, 0));
        assertEquals(0, t.requestCount(1, 0));
    }

    @Test
    void priorityZeroMakesAPieceUnwantedAndRaisingItWantsItAgain() {
        TestTorrent t = new TestTorrent(5, 2).priority(2, 0);
        assertFalse(t.wanted().contains(2));
        t.priority(2, 3);
        assertTrue(t.wanted().contains(2));
    }

    @Test
    void torrentWithEveryPieceVerifiedOrSkippedIsComplete() {
        TestTorrent t = new TestTorrent(3, 1).verified(0, 1).priority(2, 0);
        assertTrue(t.complete());
    }

    @Test
    void eachRequestOfABlockCountsOnce() {
        TestTorrent t = new TestTorrent(5, 2).requested(3, 1).requested(3, 1);
        assertEquals(2, t.requestCount(3, 1));
        assertEquals(BlockState.REQUESTED, t.blockState(3, 1));
        assertTrue(t.partial().contains(3));
    }

    @Test
    void receivedBlockIsNoLongerRequestedAndIgnoresLaterRequests() {
        TestTorrent t = new TestTorrent(5, 2).requested(3, 1).received(3, 1).requested(3, 1);
        assertEquals(BlockState.RECEIVED, t.blockState(3, 1));
        assertEquals(0, t.requestCount(3, 1));
    }

    @Test
    void requestAllMissingRequestsOnlyMissingBlocksOfWantedPieces() {
        TestTorrent t = new TestTorrent(3, 2).verified(0).priority(1, 0).received(2, 0).requestAllMissing();
        assertEquals(BlockState.MISSING, t.blockState(1, 0));
        assertEquals(BlockState.RECEIVED, t.blockState(2, 0));
        assertEquals(1, t.requestCount(2, 1));
    }

    @Test
    void resetDownloadsForgetsUnverifiedBlocksAndKeepsVerifiedPieces() {
        TestTorrent t = new TestTorrent(3, 2).verified(0).received(1, 0).requested(2, 1).resetDownloads();
        assertTrue(t.have().contains(0));
        assertEquals(BlockState.MISSING, t.blockState(1, 0));
        assertEquals(0, t.requestCount(2, 1));
        assertTrue(t.partial().isEmpty());
    }

    @Test
    void infoHashSetsTheDefaultRandomSeed() {
        TestTorrent t = new TestTorrent(1, 1).infoHash("fedcba9876543210fedcba9876543210fedcba98");
        assertEquals("fedcba9876543210fedcba9876543210fedcba98".hashCode(), t.randomSeed());
    }

    @Test
    void mutatorsRefuseAPieceOrBlockOutsideTheTorrent() {
        TestTorrent t = new TestTorrent(3, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> t.verified(3));
        assertThrows(IndexOutOfBoundsException.class, () -> t.requested(0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.availability(-1, 1));
    }

    @Test
    void piecesLongerThanAnIntAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TestTorrent(1, TestTorrent.MAX_BLOCKS_PER_PIECE + 1));
        assertThrows(IllegalArgumentException.class, () -> new TestTorrent(1, 0));
    }
}
