package org.stampede.picker.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.PiecePicker;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordingRequests;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/** What the priority picker offers a peer, on constructed torrents. */
class PriorityPickerTest {
    private static final int BLOCKS = 4;

    private static PriorityPicker picker(long seed) {
        return new PriorityPicker(new Random(seed));
    }

    /** Ten pieces of four blocks, nothing verified, each piece held by 5 peers, all priority 1. */
    private static TestTorrent torrent() {
        return new TestTorrent(10, BLOCKS).availabilityOfAll(5);
    }

    private static RecordingRequests pick(PiecePicker picker, TestTorrent torrent, TestPeer peer, int capacity) {
        RecordingRequests requests = new RecordingRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static RecordingRequests pick(TestTorrent torrent, TestPeer peer, int pieces) {
        return pick(picker(1), torrent, peer, pieces * BLOCKS);
    }

    // ---------------------------------------------------------------- levels

    @Test
    void higherPriorityPiecesComeBeforeRarerOnes() {
        TestTorrent t = torrent().availability(0, 1).priority(9, 7).priority(5, 4).availability(5, 40).priority(2, 2);
        RecordingRequests r = pick(t, TestPeer.seed(10), 4);
        assertEquals(List.of(9, 5, 2, 0), r.acceptedPieces());
    }

    @Test
    void startedPieceOfALowerPriorityWaitsForNewHigherPriorityPieces() {
        TestTorrent t = torrent().received(3, 0).received(3, 1).received(3, 2).priority(6, 2).priority(8, 2);
        RecordingRequests r = pick(t, TestPeer.seed(10), 2);
        assertEquals(Set.of(6, 8), Set.copyOf(r.acceptedPieces()));
    }

    @Test
    void startedPieceBelowTheTopLevelComesBeforeNewPiecesOfItsOwnLevel() {
        TestTorrent t = torrent().priority(6, 2).received(3, 0).availability(0, 1);
        RecordingRequests r = pick(picker(1), t, TestPeer.seed(10), 4 + 3 + 4);
        assertEquals(List.of(6, 3, 0), r.acceptedPieces());
    }

    @Test
    void aRaisedPriorityCountsFromTheNextPickOnceTold() {
        PriorityPicker picker = picker(1);
        TestTorrent t = torrent().received(3, 0);
        assertEquals(3, t.pick(picker, TestPeer.seed(10), 1).firstAcceptedPiece());
        t.priority(8, 7);
        assertEquals(8, t.pick(picker, TestPeer.seed(10), 1).firstAcceptedPiece(), "told: 8 is the top level");
        t.verified(8);
        assertEquals(3, t.pick(picker, TestPeer.seed(10), 1).firstAcceptedPiece(), "8 verified: level 1 again");
    }

    @Test
    void aFilesPriorityTakesItsPiecesToTheTop() {
        PriorityPicker picker = picker(1);
        TestTorrent t = torrent().files(3 * 4 * 16384, 7 * 4 * 16384).received(1, 0);
        assertEquals(1, t.pick(picker, TestPeer.seed(10), 1).firstAcceptedPiece());
        t.filePriority(1, 6);
        assertEquals(Set.of(3, 4, 5, 6, 7, 8, 9),
                Set.copyOf(t.pick(picker, TestPeer.seed(10), 7 * 4).acceptedPieces()), "file 1 before piece 1");
    }

    @Test
    void priorityAboveSevenCountsAsSeven() {
        TestTorrent t = torrent().priority(2, 9).priority(4, 7).availability(4, 1);
        RecordingRequests r = pick(t, TestPeer.seed(10), 2);
        assertEquals(List.of(4, 2), r.acceptedPieces());
    }

    @Test
    void priorityZeroPiecesAreNeverOffered() {
        TestTorrent t = torrent().availability(4, 1).received(5, 0).requested(7, 0).endgame(true);
        for (int piece = 0; piece < 9; piece++) {
            t.priority(piece, 0);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), 100);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- within a level

    @Test
    void withinALevelRarestPiecesComeFirst() {
        TestTorrent t = torrent().availability(6, 1).availability(1, 2).availability(8, 3).priority(3, 3)
                .availability(3, 9);
        RecordingRequests r = pick(t, TestPeer.seed(10), 4);
        assertEquals(List.of(3, 6, 1, 8), r.acceptedPieces());
    }

    @Test
    void withinALevelStartedPiecesComeFirstMostDoneFirst() {
        TestTorrent t = torrent().availability(0, 1).received(4, 0).received(7, 0).requested(7, 1);
        RecordingRequests r = pick(picker(1), t, TestPeer.seed(10), 6);
        assertEquals(List.of("7:2", "7:3", "4:1", "4:2", "4:3", "0:0"), r.acceptedBlocks());
    }

    @Test
    void rarestFirstAppliesFromTheFirstPiece() {
        for (long seed = 0; seed < 30; seed++) {
            RecordingRequests r = pick(picker(seed), torrent().availability(7, 1), TestPeer.seed(10), 1);
            assertEquals(7, r.firstAcceptedPiece(), "seed " + seed);
        }
    }

    @Test
    void tiedRarestPiecesAreBothPickedOverManyPicks() {
        TestTorrent t = torrent().availability(2, 1).availability(8, 1);
        PriorityPicker picker = picker(3);
        int[] picked = new int[10];
        for (int i = 0; i < 1000; i++) {
            t.resetDownloads();
            picked[pick(picker, t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
        }
        assertEquals(1000, picked[2] + picked[8], Arrays.toString(picked));
        assertTrue(picked[2] > 400 && picked[8] > 400, Arrays.toString(picked));
    }

    @Test
    void deadlinesDoNotReorderPieces() {
        TestTorrent t = torrent().availability(4, 1).deadline(9, 0);
        RecordingRequests r = pick(t, TestPeer.seed(10), 1);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    @Test
    void startedPieceWithEveryBlockRequestedIsSkippedOutsideEndgame() {
        TestTorrent t = torrent().priority(5, 7).availability(9, 1);
        for (int block = 0; block < BLOCKS; block++) {
            t.requested(5, block);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), 1);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        TestTorrent t = torrent().priority(4, 7).received(5, 0);
        RecordingRequests r = pick(t, new TestPeer(MutablePieceSet.of(10, 2, 8)), 10);
        assertEquals(Set.of(2, 8), r.offeredPieces());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        TestTorrent t = torrent().priority(4, 7).received(5, 0);
        RecordingRequests r = pick(t, TestPeer.seed(10).peerChoking(true).fast(8), 10);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        TestPeer peer = TestPeer.seed(10).peerChoking(true);
        peer.allowedFast().add(8);
        RecordingRequests r = pick(torrent(), peer, 10);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    // ---------------------------------------------------------------- endgame

    /**
     * Pieces 0-5 verified; 6 and 7 (priority 1) and 8 (priority 5), two blocks each, all requested: 6:0 once,
     * 6:1 three times, 7:0 twice, 7:1 once, 8:0 three times, 8:1 twice. Pieces 9 unwanted.
     */
    private static TestTorrent everyBlockRequested() {
        return new TestTorrent(10, 2).availabilityOfAll(3).verified(0, 1, 2, 3, 4, 5).priority(9, 0).priority(8, 5)
                .requested(6, 0).requested(6, 1).requested(6, 1).requested(6, 1).requested(7, 0).requested(7, 0)
                .requested(7, 1).requested(8, 0).requested(8, 0).requested(8, 0).requested(8, 1).requested(8, 1);
    }

    @Test
    void endgameOffersHigherPriorityBlocksFirstThenFewestRequested() {
        RecordingRequests r = pick(picker(1), everyBlockRequested().endgame(true), TestPeer.seed(10), 6);
        assertEquals(List.of("8:1", "8:0", "6:0", "7:1", "7:0", "6:1"), r.acceptedBlocks());
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        RecordingRequests r = pick(everyBlockRequested(), TestPeer.seed(10), 3);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        TestTorrent t = new TestTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(5, 0).endgame(true);
        RecordingRequests r = pick(picker(1), t, TestPeer.seed(6), 4);
        assertEquals(List.of("5:1", "4:0", "4:1", "5:0"), r.acceptedBlocks());
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void nothingIsOfferedOnceTheQueueIsFull() {
        RecordingRequests r = pick(picker(1), torrent(), TestPeer.seed(10), 3);
        assertEquals(3, r.offered().size());
        assertEquals(3, r.accepted());
    }

    @Test
    void aRefusedPieceDoesNotEndThePick() {
        TestTorrent t = torrent().priority(4, 7).priority(5, 6);
        TestPeer peer = TestPeer.seed(10);
        RecordingRequests r = new RecordingRequests(t, peer, BLOCKS);
        r.refusePiece(4);
        picker(1).pick(t, peer, r);
        assertEquals(List.of(5), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAPickerPerTorrent() {
        PriorityPickerFactory factory = new PriorityPickerFactory();
        TestTorrent t = torrent().priority(3, 5);
        assertNotSame(factory.create(t), factory.create(t));
        RecordingRequests r = pick(factory.create(t), t, TestPeer.seed(10), 1);
        assertEquals(List.of("3:0"), r.acceptedBlocks());
    }

    @Test
    void freshFactoriesDrawTheSameForTheSameTorrent() {
        assertEquals(pickSequence(new PriorityPickerFactory().create(torrent())),
                pickSequence(new PriorityPickerFactory().create(torrent())));
    }

    @Test
    void theSameRandomSeedDrawsTheSameSoLabRunsRepeat() {
        PriorityPickerFactory factory = new PriorityPickerFactory();
        assertEquals(pickSequence(factory.create(torrent())), pickSequence(factory.create(torrent())));
    }

    @Test
    void anotherTorrentDrawsDifferently() {
        TestTorrent other = torrent();
        other.infoHash("fedcba9876543210fedcba9876543210fedcba98");
        assertNotEquals(pickSequence(new PriorityPickerFactory().create(torrent())),
                pickSequence(new PriorityPickerFactory().create(other)));
    }

    /** Twenty single-block picks on a 50-piece torrent where every piece ties. */
    private static List<Integer> pickSequence(PiecePicker picker) {
        TestTorrent t = new TestTorrent(50, 1).availabilityOfAll(3);
        TestPeer peer = TestPeer.seed(50);
        List<Integer> sequence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequence.add(pick(picker, t, peer, 1).firstAcceptedPiece());
        }
        return sequence;
    }
}
