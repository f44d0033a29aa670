package org.stampede.picker.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.TorrentView;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordingRequests;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/** What the sequential (streaming) picker offers a peer, on constructed torrents. */
class SequentialPickerTest {
    private static final int BLOCKS = 4;
    private static final long PIECE = BLOCKS * TorrentView.BLOCK_SIZE;

    /** A window of 4 pieces and edges of 1 piece. */
    private static SequentialPicker picker(long seed) {
        return new SequentialPicker(new Random(seed), 4 * PIECE, PIECE);
    }

    /** Twenty pieces of four blocks, availability falling with the index (so rarest first would go backwards). */
    private static TestTorrent torrent() {
        TestTorrent t = new TestTorrent(20, BLOCKS);
        for (int piece = 0; piece < 20; piece++) {
            t.availability(piece, 30 - piece);
        }
        return t;
    }

    private static RecordingRequests pick(SequentialPicker picker, TestTorrent torrent, TestPeer peer, int capacity) {
        RecordingRequests requests = new RecordingRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static RecordingRequests pick(TestTorrent torrent, TestPeer peer, int pieces) {
        return pick(picker(1), torrent, peer, pieces * BLOCKS);
    }

    /** Marks every missing block of the pieces as requested from other peers. */
    private static TestTorrent requestedElsewhere(TestTorrent t, int... pieces) {
        for (int piece : pieces) {
            for (int block = 0; block < BLOCKS; block++) {
                t.requested(piece, block);
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- order

    @Test
    void firstAndLastPiecesComeBeforeTheWindow() {
        RecordingRequests r = pick(torrent(), TestPeer.seed(20), 4);
        assertEquals(List.of(0, 19, 1, 2), r.acceptedPieces());
    }

    @Test
    void windowPiecesComeInIndexOrderWhateverTheirAvailability() {
        TestTorrent t = torrent().verified(0, 19).availability(3, 1);
        RecordingRequests r = pick(t, TestPeer.seed(20), 4);
        assertEquals(List.of(1, 2, 3, 4), r.acceptedPieces());
    }

    @Test
    void windowStartsAtTheFirstMissingPiece() {
        TestTorrent t = torrent().verified(0, 1, 2, 4, 5, 19);
        RecordingRequests r = pick(t, TestPeer.seed(20), 2);
        assertEquals(List.of(3, 6), r.acceptedPieces());
    }

    @Test
    void piecesBeyondTheWindowGoRarestFirst() {
        TestTorrent t = torrent().verified(0, 19).availability(12, 2).availability(7, 3);
        RecordingRequests r = pick(t, TestPeer.seed(20), 7);
        assertEquals(List.of(1, 2, 3, 4, 12, 7, 18), r.acceptedPieces());
    }

    @Test
    void windowPiecesRequestedElsewhereLetThisPeerTakeRarePieces() {
        TestTorrent t = requestedElsewhere(torrent().verified(0, 19), 1, 2, 3, 4).availability(9, 1);
        RecordingRequests r = pick(t, TestPeer.seed(20), 1);
        assertEquals(List.of(9), r.acceptedPieces());
    }

    @Test
    void startedPieceInTheWindowKeepsItsPlace() {
        TestTorrent t = torrent().verified(0, 19).received(3, 0);
        RecordingRequests r = pick(t, TestPeer.seed(20), 4);
        assertEquals(List.of("1:0", "1:1", "1:2", "1:3", "2:0", "2:1", "2:2", "2:3", "3:1", "3:2", "3:3", "4:0"),
                r.acceptedBlocks().subList(0, 12));
    }

    @Test
    void startedPieceOutsideTheWindowComesBeforeRarerNewOnes() {
        TestTorrent t = requestedElsewhere(torrent().verified(0, 19), 1, 2, 3, 4).availability(9, 1)
                .received(15, 0).received(15, 1).received(11, 0);
        RecordingRequests r = pick(picker(1), t, TestPeer.seed(20), 2 + 3 + 4);
        assertEquals(List.of(15, 11, 9), r.acceptedPieces());
    }

    @Test
    void deadlinePiecesComeFirstEarliestFirst() {
        TestTorrent t = torrent().deadline(10, 900).deadline(14, 200);
        RecordingRequests r = pick(t, TestPeer.seed(20), 3);
        assertEquals(List.of(14, 10, 0), r.acceptedPieces());
    }

    @Test
    void aNewDeadlineCountsFromTheNextPickOnceToldAndIsNotScannedFor() {
        SequentialPicker picker = picker(1);
        TestTorrent t = torrent().verified(0, 19);
        TestPeer seed = TestPeer.seed(20);
        t.pick(picker, seed, 1);
        t.resetDownloads().deadline(14, 100);
        seed.clearRequests();
        assertEquals(1, pick(picker, t, seed, 1).firstAcceptedPiece(), "not told yet: the picker does not scan");
        t.resetDownloads();
        seed.clearRequests();
        assertEquals(14, t.pick(picker, seed, 1).firstAcceptedPiece(), "told");
        t.resetDownloads().verified(14);
        seed.clearRequests();
        assertEquals(1, t.pick(picker, seed, 1).firstAcceptedPiece(), "verified: no longer a deadline piece");
    }

    // ---------------------------------------------------------------- files

    /** {@link #torrent()} as three files: pieces 0-4, 5-14 and 15-19. */
    private static TestTorrent threeFiles() {
        return torrent().files(5 * PIECE, 10 * PIECE, 5 * PIECE);
    }

    @Test
    void theEdgesAndTheWindowAreThoseOfTheFileAtThePlayPosition() {
        TestTorrent t = threeFiles();
        assertEquals(List.of(0, 4, 1, 2, 3), pick(t, TestPeer.seed(20), 5).acceptedPieces(), "file 0's edges");
        t = threeFiles().verified(0, 1, 2, 3, 4);
        assertEquals(List.of(5, 14, 6, 7, 8, 19), pick(t, TestPeer.seed(20), 6).acceptedPieces(),
                "file 1: its edges, its window, then the rarest");
    }

    @Test
    void theFileOfTheHighestPriorityIsPlayed() {
        SequentialPicker picker = picker(1);
        TestTorrent t = threeFiles();
        TestPeer seed = TestPeer.seed(20);
        assertEquals(0, t.pick(picker, seed, 1).firstAcceptedPiece());
        t.resetDownloads().filePriority(2, 7);
        seed.clearRequests();
        assertEquals(List.of(15, 19, 16, 17, 18), t.pick(picker, seed, 5 * BLOCKS).acceptedPieces(),
                "the raised file is played: its edges, then its window");
        t.resetDownloads().filePriority(2, 1).filePriority(0, 0);
        seed.clearRequests();
        assertEquals(List.of(5, 14, 6), t.pick(picker, seed, 3 * BLOCKS).acceptedPieces(),
                "a skipped file is not played: the next one is");
    }

    @Test
    void aFileSharingItsFirstPieceIsPlayedFromThatPiece() {
        // file 0: pieces 0-2 and half of 3; file 1: the rest of 3 to 19
        TestTorrent t = torrent().files(3 * PIECE + PIECE / 2, 16 * PIECE + PIECE / 2).verified(0, 1, 2)
                .filePriority(0, 0);
        assertEquals(List.of(3, 19, 4), pick(t, TestPeer.seed(20), 3).acceptedPieces());
    }

    @Test
    void pieceWhoseDeadlineWasClearedFallsBackToItsClass() {
        SequentialPicker picker = picker(1);
        TestTorrent t = torrent().verified(0, 19).deadline(14, 100);
        assertEquals(14, pick(picker, t, TestPeer.seed(20), 1).firstAcceptedPiece());
        t.resetDownloads().deadline(14, -1);
        requestedElsewhere(t, 1, 2, 3, 4);
        assertEquals(18, pick(picker, t, TestPeer.seed(20), 1).firstAcceptedPiece(), "the rarest");
        t.resetDownloads().availability(14, 1);
        requestedElsewhere(t, 1, 2, 3, 4);
        assertEquals(14, pick(picker, t, TestPeer.seed(20), 1).firstAcceptedPiece(), "now the rarest");
    }

    @Test
    void edgeCoversEdgeBytes() {
        SequentialPicker picker = new SequentialPicker(new Random(1), 4 * PIECE, 2 * PIECE);
        RecordingRequests r = pick(picker, torrent(), TestPeer.seed(20), 5 * BLOCKS);
        assertEquals(List.of(0, 1, 18, 19, 2), r.acceptedPieces());
    }

    @Test
    void zeroEdgeBytesMakesNoEdge() {
        SequentialPicker picker = new SequentialPicker(new Random(1), 4 * PIECE, 0);
        RecordingRequests r = pick(picker, torrent(), TestPeer.seed(20), 5 * BLOCKS);
        assertEquals(List.of(0, 1, 2, 3, 19), r.acceptedPieces());
    }

    @Test
    void windowIsAtLeastTwoPieces() {
        SequentialPicker picker = new SequentialPicker(new Random(1), 1, 0);
        RecordingRequests r = pick(picker, torrent().availability(9, 1), TestPeer.seed(20), 3 * BLOCKS);
        assertEquals(List.of(0, 1, 9), r.acceptedPieces());
    }

    @Test
    void unwantedPiecesAreSkippedAndDoNotHoldTheWindow() {
        TestTorrent t = torrent().priority(0, 0).priority(1, 0).priority(19, 0).priority(3, 0);
        RecordingRequests r = pick(t, TestPeer.seed(20), 4);
        assertEquals(List.of(2, 4, 5, 18), r.acceptedPieces()); // the edges are the one file's: 0 and 19
    }

    @Test
    void priorityLevelsDoNotReorderPieces() {
        TestTorrent t = torrent().verified(0, 19).priority(4, 7);
        RecordingRequests r = pick(t, TestPeer.seed(20), 2);
        assertEquals(List.of(1, 2), r.acceptedPieces());
    }

    @Test
    void tiedRarestPiecesOutsideTheWindowAreBothPicked() {
        SequentialPicker picker = picker(3);
        int[] picked = new int[20];
        for (int i = 0; i < 1000; i++) {
            TestTorrent t = requestedElsewhere(torrent().verified(0, 19), 1, 2, 3, 4).availability(8, 1)
                    .availability(13, 1);
            picked[pick(picker, t, TestPeer.seed(20), BLOCKS).firstAcceptedPiece()]++;
        }
        assertEquals(1000, picked[8] + picked[13], Arrays.toString(picked));
        assertTrue(picked[8] > 400 && picked[13] > 400, Arrays.toString(picked));
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        RecordingRequests r = pick(torrent(), new TestPeer(MutablePieceSet.of(20, 7, 2)), 10);
        assertEquals(List.of(2, 7), r.acceptedPieces());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        RecordingRequests r = pick(torrent(), TestPeer.seed(20).peerChoking(true).fast(11, 5), 10);
        assertEquals(List.of(11, 5), r.acceptedPieces()); // both outside the window: rarest first
        assertEquals(Set.of(5, 11), r.offeredPieces());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        TestPeer peer = TestPeer.seed(20).peerChoking(true);
        peer.allowedFast().add(3);
        RecordingRequests r = pick(torrent(), peer, 10);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void nothingIsOfferedWhenNothingIsWanted() {
        TestTorrent t = torrent();
        for (int piece = 0; piece < 20; piece++) {
            t.verified(piece);
        }
        RecordingRequests r = pick(t, TestPeer.seed(20), 10);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    // ---------------------------------------------------------------- endgame

    /** Pieces 0-16 verified; 17, 18 and 19 of four blocks each, every block requested once, 17:0 twice. */
    private static TestTorrent everyBlockRequested() {
        TestTorrent t = torrent();
        for (int piece = 0; piece < 17; piece++) {
            t.verified(piece);
        }
        return requestedElsewhere(t, 17, 18, 19).requested(17, 0);
    }

    @Test
    void endgameOffersTheMostUrgentOfTheFewestRequestedBlocksFirst() {
        RecordingRequests r = pick(everyBlockRequested().endgame(true), TestPeer.seed(20), 3);
        assertEquals(List.of("19:0", "19:1", "19:2", "19:3", "17:1", "17:2", "17:3", "18:0", "18:1", "18:2",
                "18:3", "17:0"), r.acceptedBlocks());
    }

    @Test
    void endgameOffersMoreRequestedBlocksLast() {
        TestTorrent t = everyBlockRequested().requested(19, 0).requested(19, 1).requested(19, 2).requested(19, 3)
                .endgame(true);
        RecordingRequests r = pick(t, TestPeer.seed(20), 3);
        assertEquals(List.of(17, 18, 19), r.acceptedPieces());
        assertEquals("17:1", r.acceptedBlocks().get(0));
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        RecordingRequests r = pick(everyBlockRequested(), TestPeer.seed(20), 3);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        TestTorrent t = everyBlockRequested().endgame(true);
        t.resetDownloads().requested(19, 0).requested(19, 1).requested(19, 2).requested(19, 3).requested(17, 0);
        RecordingRequests r = pick(t, TestPeer.seed(20), 3);
        assertEquals(List.of("17:1", "17:2", "17:3"), r.acceptedBlocks().subList(0, 3));
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void nothingIsOfferedOnceTheQueueIsFull() {
        RecordingRequests r = pick(picker(1), torrent(), TestPeer.seed(20), 3);
        assertEquals(3, r.offered().size());
        assertEquals(3, r.accepted());
    }

    @Test
    void aRefusedPieceDoesNotEndThePick() {
        TestTorrent t = torrent();
        TestPeer peer = TestPeer.seed(20);
        RecordingRequests r = new RecordingRequests(t, peer, 2 * BLOCKS);
        r.refusePiece(0);
        picker(1).pick(t, peer, r);
        assertEquals(List.of(19, 1), r.acceptedPieces());
    }

    @Test
    void badWindowOrEdgeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SequentialPicker(new Random(1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SequentialPicker(new Random(1), 1, -1));
    }

    @Test
    void factoryMakesAPickerPerTorrentWithA16MiBWindow() {
        SequentialPickerFactory factory = new SequentialPickerFactory();
        TestTorrent t = new TestTorrent(600, 4); // 64 KiB pieces: the window is 256 pieces, the edge 16
        for (int piece = 0; piece < 600; piece++) {
            t.availability(piece, 1000 - piece);
        }
        for (int piece = 0; piece < 16; piece++) {
            t.verified(piece, 599 - piece);
        }
        assertNotSame(factory.create(t), factory.create(t));
        RecordingRequests r = new RecordingRequests(t, TestPeer.seed(600), 257 * 4);
        factory.create(t).pick(t, TestPeer.seed(600), r);
        List<Integer> pieces = r.acceptedPieces();
        assertEquals(16, pieces.get(0));
        assertEquals(271, pieces.get(255));
        assertEquals(583, pieces.get(256), "after the window: the rarest");
    }
}
