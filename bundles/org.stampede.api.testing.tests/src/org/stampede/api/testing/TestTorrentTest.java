package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.stampede.api.BlockRequests;
import org.stampede.api.BlockState;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PieceSet;
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

    // ---------------------------------------------------------------- files

    @Test
    void filesSplitThePiecesAndAFilesPriorityMakesItsPieces() {
        long piece = 2L * TorrentView.BLOCK_SIZE;
        TestTorrent t = new TestTorrent(6, 2).files(piece + 1, 0, 3 * piece - 1, 2 * piece);
        assertEquals(4, t.fileCount());
        assertEquals(List.of(0, 1, 1, 4), List.of(t.fileFirstPiece(0), t.fileFirstPiece(1), t.fileFirstPiece(2),
                t.fileFirstPiece(3)));
        assertEquals(List.of(2, 1, 4, 6), List.of(t.fileEndPiece(0), t.fileEndPiece(1), t.fileEndPiece(2),
                t.fileEndPiece(3)));
        assertEquals(List.of(0, 0, 2, 2, 3, 3), List.of(t.fileOf(0), t.fileOf(1), t.fileOf(2), t.fileOf(3),
                t.fileOf(4), t.fileOf(5)));
        t.filePriority(2, 6).filePriority(0, 0);
        assertEquals(List.of(0, 6, 6, 6, 1, 1), priorities(t), "piece 1 has bytes of file 2 too");
        t.priority(0, 4);
        assertEquals(0, t.priority(0), "a piece whose files are all skipped stays skipped");
        t.filePriority(0, 1);
        assertEquals(4, t.priority(0), "its own priority counts once a file of it is wanted");
        t.clearPriority(0);
        assertEquals(1, t.priority(0));
    }

    private static List<Integer> priorities(TestTorrent t) {
        return java.util.stream.IntStream.range(0, t.pieceCount()).map(t::priority).boxed().toList();
    }

    @Test
    void filesMustCoverTheTorrentExactly() {
        TestTorrent t = new TestTorrent(2, 1);
        assertThrows(IllegalArgumentException.class, () -> t.files(TorrentView.BLOCK_SIZE));
        assertThrows(IllegalArgumentException.class, () -> t.files(3L * TorrentView.BLOCK_SIZE, -TorrentView.BLOCK_SIZE));
        assertThrows(IllegalArgumentException.class, () -> t.filePriority(0, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> t.filePriority(1, 1));
        assertEquals(1, t.fileCount(), "a new torrent is one file");
    }

    // ---------------------------------------------------------------- news

    /** Records the news it hears as lines. */
    private static final class Listener implements PiecePicker {
        final List<String> heard = new ArrayList<>();

        @Override
        public void pick(TorrentView torrent, PeerView peer, BlockRequests requests) {
            heard.add("pick");
        }

        @Override
        public void pieceVerified(TorrentView torrent, int piece) {
            heard.add("verified " + piece);
        }

        @Override
        public void pieceFailed(TorrentView torrent, int piece) {
            heard.add("failed " + piece);
        }

        @Override
        public void priorityChanged(TorrentView torrent, PieceSet pieces) {
            heard.add("priority " + pieces);
        }

        @Override
        public void availabilityChanged(TorrentView torrent, PieceSet pieces) {
            heard.add("availability " + pieces);
        }

        @Override
        public void deadlineChanged(TorrentView torrent, PieceSet pieces) {
            heard.add("deadline " + pieces);
        }
    }

    @Test
    void newsIsToldInTheEnginesOrderEachKindCoalescedThenForgotten() {
        TestTorrent t = new TestTorrent(6, 1);
        Listener l = new Listener();
        t.deadline(5, 100).availability(4, 2).priority(3, 2).verified(1).received(2, 0).failed(2)
                .availability(0, 1).verified(1);
        assertTrue(t.hasNews());
        t.tell(l);
        assertEquals(List.of("verified 1", "failed 2", "priority {3}/6", "availability {0, 4}/6", "deadline {5}/6"),
                l.heard);
        assertFalse(t.hasNews());
        t.tell(l);
        assertEquals(5, l.heard.size(), "told once");
    }

    @Test
    void peersConnectingAnnouncingAndLeavingChangeAvailabilityAsTheEngineCountsIt() {
        TestTorrent t = new TestTorrent(6, 1);
        Listener l = new Listener();
        TestPeer a = new TestPeer(1, MutablePieceSet.of(6, 0, 1));
        TestPeer b = new TestPeer(2, MutablePieceSet.of(6, 1));
        t.connect(a).connect(b).peerHas(b, 4).peerHas(b, 1).tell(l);
        assertEquals(List.of(1, 2, 0, 0, 1, 0), List.of(t.availability(0), t.availability(1), t.availability(2),
                t.availability(3), t.availability(4), t.availability(5)));
        assertEquals(List.of("availability {0, 1, 4}/6"), l.heard, "one call; a repeated have is nothing");
        t.disconnect(a).tell(l);
        assertEquals(List.of(0, 1), List.of(t.availability(0), t.availability(1)));
        assertEquals("availability {0, 1}/6", l.heard.get(1));
    }

    @Test
    void aNewPickerHearsNothingOfWhatCameBeforeAndAPickTellsFirst() {
        TestTorrent t = new TestTorrent(4, 1).availability(2, 3).verified(0);
        Listener l = new Listener();
        assertSame(l, t.create(x -> l));
        assertFalse(t.hasNews());
        t.availability(3, 1);
        t.pick(l, TestPeer.seed(4), 1);
        assertEquals(List.of("availability {3}/4", "pick"), l.heard);
    }

    @Test
    void aPieceWeHaveKeepsNoDeadlineAndOnlyChangesAreNews() {
        TestTorrent t = new TestTorrent(4, 1).deadline(1, 500).verified(1).deadline(1, 100).deadline(2, -1)
                .availability(3, 0).priority(0, 1);
        assertEquals(-1, t.deadline(1));
        Listener l = new Listener();
        t.tell(l);
        assertEquals(List.of("verified 1", "deadline {1}/4"), l.heard, "the deadline set before it was verified");
    }

    @Test
    void aFailedPieceKeepsItsRequestedBlocks() {
        TestTorrent t = new TestTorrent(2, 3).received(1, 0).requested(1, 1).failed(1);
        assertEquals(BlockState.MISSING, t.blockState(1, 0));
        assertEquals(BlockState.REQUESTED, t.blockState(1, 1));
        assertTrue(t.partial().contains(1));
        assertThrows(IllegalStateException.class, () -> t.verified(0).failed(0));
    }

    @Test
    void piecesLongerThanAnIntAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TestTorrent(1, TestTorrent.MAX_BLOCKS_PER_PIECE + 1));
        assertThrows(IllegalArgumentException.class, () -> new TestTorrent(1, 0));
    }
}
