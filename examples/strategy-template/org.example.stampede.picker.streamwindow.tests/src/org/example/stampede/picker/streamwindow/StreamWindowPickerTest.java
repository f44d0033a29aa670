package org.example.stampede.picker.streamwindow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordingRequests;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/** What the stream-window picker offers a peer, on constructed torrents and peers. */
class StreamWindowPickerTest {
    private static final int PIECES = 20;
    private static final int BLOCKS = 4;
    private static final int WINDOW = 4;

    /** A picker with a window of four pieces that takes the window {@code percent} % of the time. */
    private static StreamWindowPicker picker(int percent) {
        return new StreamWindowPicker(new SplittableRandom(7), WINDOW, percent);
    }

    /** Twenty pieces of four blocks; availability rises with the index, so rarest first means index order. */
    private static TestTorrent torrent() {
        TestTorrent t = new TestTorrent(PIECES, BLOCKS);
        for (int piece = 0; piece < PIECES; piece++) {
            t.availability(piece, 10 + piece);
        }
        return t;
    }

    /** Lets {@code picker} fill a queue of {@code pieces} pieces' worth of blocks from {@code peer}. */
    private static RecordingRequests pick(StreamWindowPicker picker, TestTorrent torrent, TestPeer peer,
            int pieces) {
        RecordingRequests requests = new RecordingRequests(torrent, peer, pieces * BLOCKS);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    /** Every block of {@code pieces} requested from one other peer (once more each). */
    private static TestTorrent requestedElsewhere(TestTorrent t, int... pieces) {
        for (int piece : pieces) {
            for (int block = 0; block < BLOCKS; block++) {
                t.requested(piece, block);
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- the window

    @Test
    void windowPiecesGoRarestFirstNotInIndexOrder() {
        TestTorrent t = torrent().availability(3, 1).availability(2, 2);
        assertEquals(List.of(3, 2, 0, 1), pick(picker(100), t, TestPeer.seed(PIECES), 4).acceptedPieces());
    }

    @Test
    void windowStartsAtThePlayPositionAndSlidesOverVerifiedPieces() {
        TestTorrent t = torrent().verified(0, 1, 3);
        assertEquals(List.of(2, 4, 5, 6), pick(picker(100), t, TestPeer.seed(PIECES), 4).acceptedPieces());
    }

    @Test
    void unwantedPiecesAreNeitherPickedNorCountedInTheWindow() {
        TestTorrent t = torrent().priority(1, 0).priority(2, 0).availability(5, 1);
        // the window is 0, 3, 4, 5 (5 the rarest); 6 is the rarest piece beyond it
        assertEquals(List.of(5, 0, 3, 4, 6), pick(picker(100), t, TestPeer.seed(PIECES), 5).acceptedPieces());
    }

    @Test
    void startedPieceComesBeforeRarerFreshOnes() {
        TestTorrent t = torrent().received(2, 0).availability(3, 1);
        RecordingRequests r = pick(picker(100), t, TestPeer.seed(PIECES), 3);
        assertEquals(List.of("2:1", "2:2", "2:3", "3:0"), r.acceptedBlocks().subList(0, 4));
    }

    @Test
    void equallyRarePiecesAreDrawnAtRandom() {
        StreamWindowPicker picker = picker(100);
        int[] first = new int[PIECES];
        for (int i = 0; i < 1000; i++) {
            TestTorrent t = new TestTorrent(PIECES, BLOCKS); // every piece available from no one
            first[pick(picker, t, TestPeer.seed(PIECES), 1).acceptedPieces().get(0)]++;
        }
        for (int piece = 0; piece < WINDOW; piece++) {
            assertTrue(first[piece] > 150, "piece " + piece + ": " + Arrays.toString(first));
        }
        assertEquals(1000, first[0] + first[1] + first[2] + first[3], Arrays.toString(first));
    }

    // ---------------------------------------------------------------- window and rest

    @Test
    void rarestPieceBeyondTheWindowFollowsWhenTheWindowIsDone() {
        TestTorrent t = torrent().availability(15, 1).availability(9, 2);
        assertEquals(List.of(0, 1, 2, 3, 15, 9),
                pick(picker(100), t, TestPeer.seed(PIECES), 6).acceptedPieces());
    }

    @Test
    void withWindowPercentZeroThePiecesBeyondTheWindowComeFirst() {
        TestTorrent t = torrent().availability(15, 1).availability(9, 2);
        assertEquals(List.of(15, 9, 4), pick(picker(0), t, TestPeer.seed(PIECES), 3).acceptedPieces());
    }

    @Test
    void startedPieceBeyondTheWindowComesBeforeRarerFreshOnes() {
        TestTorrent t = torrent().received(12, 0).availability(15, 1);
        RecordingRequests r = pick(picker(0), t, TestPeer.seed(PIECES), 2);
        assertEquals(List.of("12:1", "12:2", "12:3", "15:0"), r.acceptedBlocks().subList(0, 4));
    }

    @Test
    void windowIsUsedWhenNothingBeyondItIsPickable() {
        TestPeer peer = new TestPeer(MutablePieceSet.of(PIECES, 0, 1, 2, 3, 4, 5));
        assertEquals(List.of(4, 5, 0, 1), pick(picker(0), torrent(), peer, 4).acceptedPieces());
    }

    @Test
    void windowPercentIsTheShareOfPiecesTakenFromTheWindow() {
        StreamWindowPicker picker = picker(80);
        int fromWindow = 0;
        for (int i = 0; i < 1000; i++) {
            int piece = pick(picker, torrent(), TestPeer.seed(PIECES), 1).acceptedPieces().get(0);
            if (piece < WINDOW) {
                fromWindow++;
            } else {
                assertEquals(WINDOW, piece, "beyond the window, the rarest");
            }
        }
        assertTrue(fromWindow > 740 && fromWindow < 860, fromWindow + " of 1000 from the window");
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        TestPeer peer = new TestPeer(MutablePieceSet.of(PIECES, 2, 7, 12));
        RecordingRequests r = pick(picker(100), torrent(), peer, 10);
        assertEquals(List.of(2, 7, 12), r.acceptedPieces());
        assertEquals(Set.of(2, 7, 12), r.offeredPieces());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        TestPeer peer = TestPeer.seed(PIECES).peerChoking(true).fast(9, 1);
        RecordingRequests r = pick(picker(100), torrent(), peer, 10);
        assertEquals(List.of(1, 9), r.acceptedPieces());
        assertEquals(Set.of(1, 9), r.offeredPieces());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        RecordingRequests r = pick(picker(100), torrent(), TestPeer.seed(PIECES).peerChoking(true), 10);
        assertTrue(r.offered().isEmpty(), r.offered().toString());
    }

    @Test
    void nothingIsOfferedWhenNothingIsWanted() {
        TestTorrent t = torrent();
        for (int piece = 0; piece < PIECES; piece++) {
            t.verified(piece);
        }
        RecordingRequests r = pick(picker(100), t, TestPeer.seed(PIECES), 10);
        assertTrue(r.offered().isEmpty(), r.offered().toString());
    }

    // ---------------------------------------------------------------- requests elsewhere and endgame

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        TestTorrent t = requestedElsewhere(torrent(), 0, 1);
        RecordingRequests r = pick(picker(100), t, TestPeer.seed(PIECES), 2);
        assertEquals(List.of(2, 3), r.acceptedPieces());
        assertFalse(r.offeredPieces().contains(0) || r.offeredPieces().contains(1), r.offered().toString());
    }

    @Test
    void endgameOffersBlocksRequestedOnceBeforeThoseRequestedTwice() {
        TestTorrent t = torrent();
        for (int piece = 0; piece < 17; piece++) {
            t.verified(piece);
        }
        requestedElsewhere(t, 17, 18, 19).requested(17, 0).endgame(true);
        RecordingRequests r = pick(picker(100), t, TestPeer.seed(PIECES), 3);
        assertEquals(List.of("17:1", "17:2", "17:3", "18:0", "18:1", "18:2", "18:3", "19:0", "19:1", "19:2",
                "19:3", "17:0"), r.acceptedBlocks());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        TestTorrent t = torrent();
        for (int piece = 0; piece < 18; piece++) {
            t.verified(piece);
        }
        requestedElsewhere(t, 18).endgame(true);
        RecordingRequests r = pick(picker(100), t, TestPeer.seed(PIECES), 2);
        assertEquals(List.of("19:0", "19:1", "19:2", "19:3", "18:0", "18:1", "18:2", "18:3"), r.acceptedBlocks());
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void offersStopWhenTheEngineAcceptsNoMore() {
        TestTorrent t = torrent();
        TestPeer peer = TestPeer.seed(PIECES);
        RecordingRequests r = new RecordingRequests(t, peer, 3);
        picker(100).pick(t, peer, r);
        assertEquals(3, r.offered().size());
        assertEquals(3, r.accepted());
    }

    @Test
    void refusedPieceDoesNotEndThePick() {
        TestTorrent t = torrent();
        TestPeer peer = TestPeer.seed(PIECES);
        RecordingRequests r = new RecordingRequests(t, peer, 2 * BLOCKS).refusePiece(0);
        picker(100).pick(t, peer, r);
        assertEquals(List.of(1, 2), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- settings

    @Test
    void settingsOutOfRangeAreRejectedNamingTheSetting() {
        SplittableRandom random = new SplittableRandom(1);
        for (int pieces : new int[] { 0, -1, StreamWindowPicker.MAX_WINDOW_PIECES + 1 }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StreamWindowPicker(random, pieces, 80));
            assertTrue(e.getMessage().startsWith("windowPieces"), e.getMessage());
        }
        for (int percent : new int[] { -1, 101 }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StreamWindowPicker(random, 32, percent));
            assertTrue(e.getMessage().startsWith("windowPercent"), e.getMessage());
        }
    }
}
