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

/** What the priority picker offers a peer, on constructed torrents. */
class PriorityPickerTest {
    private static final int BLOCKS = 4;

    private static PriorityPicker picker(long seed) {
        return new PriorityPicker(new Random(seed));
    }

    /** Ten pieces of four blocks, nothing verified, each piece held by 5 peers, all priority 1. */
    private static FakeTorrent torrent() {
        return new FakeTorrent(10, BLOCKS).availabilityOfAll(5);
    }

    private static EngineRequests pick(PiecePicker picker, FakeTorrent torrent, FakePeer peer, int capacity) {
        EngineRequests requests = new EngineRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static EngineRequests pick(FakeTorrent torrent, FakePeer peer, int pieces) {
        return pick(picker(1), torrent, peer, pieces * BLOCKS);
    }

    // ---------------------------------------------------------------- levels

    @Test
    void higherPriorityPiecesComeBeforeRarerOnes() {
        FakeTorrent t = torrent().availability(0, 1).priority(9, 7).priority(5, 4).availability(5, 40).priority(2, 2);
        EngineRequests r = pick(t, FakePeer.seed(10), 4);
        assertEquals(List.of(9, 5, 2, 0), r.acceptedPieces());
    }

    @Test
    void startedPieceOfALowerPriorityWaitsForNewHigherPriorityPieces() {
        FakeTorrent t = torrent().received(3, 0).received(3, 1).received(3, 2).priority(6, 2).priority(8, 2);
        EngineRequests r = pick(t, FakePeer.seed(10), 2);
        assertEquals(Set.of(6, 8), Set.copyOf(r.acceptedPieces()));
    }

    @Test
    void startedPieceBelowTheTopLevelComesBeforeNewPiecesOfItsOwnLevel() {
        FakeTorrent t = torrent().priority(6, 2).received(3, 0).availability(0, 1);
        EngineRequests r = pick(picker(1), t, FakePeer.seed(10), 4 + 3 + 4);
        assertEquals(List.of(6, 3, 0), r.acceptedPieces());
    }

    @Test
    void raisedPriorityTakesEffectWithinTheRescanInterval() {
        PriorityPicker picker = picker(1);
        FakeTorrent t = torrent().received(3, 0);
        assertEquals(3, pick(picker, t, FakePeer.seed(10), 1).firstPiece());
        t.priority(8, 7).at(PriorityPicker.LEVEL_RESCAN_MILLIS - 1);
        assertEquals(3, pick(picker, t, FakePeer.seed(10), 1).firstPiece(), "before the rescan");
        t.at(PriorityPicker.LEVEL_RESCAN_MILLIS);
        assertEquals(8, pick(picker, t, FakePeer.seed(10), 1).firstPiece(), "after it");
    }

    @Test
    void priorityAboveSevenCountsAsSeven() {
        FakeTorrent t = torrent().priority(2, 9).priority(4, 7).availability(4, 1);
        EngineRequests r = pick(t, FakePeer.seed(10), 2);
        assertEquals(List.of(4, 2), r.acceptedPieces());
    }

    @Test
    void priorityZeroPiecesAreNeverOffered() {
        FakeTorrent t = torrent().availability(4, 1).received(5, 0).requested(7, 0).endgame(true);
        for (int piece = 0; piece < 9; piece++) {
            t.priority(piece, 0);
        }
        EngineRequests r = pick(t, FakePeer.seed(10), 100);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- within a level

    @Test
    void withinALevelRarestPiecesComeFirst() {
        FakeTorrent t = torrent().availability(6, 1).availability(1, 2).availability(8, 3).priority(3, 3)
                .availability(3, 9);
        EngineRequests r = pick(t, FakePeer.seed(10), 4);
        assertEquals(List.of(3, 6, 1, 8), r.acceptedPieces());
    }

    @Test
    void withinALevelStartedPiecesComeFirstMostDoneFirst() {
        FakeTorrent t = torrent().availability(0, 1).received(4, 0).received(7, 0).requested(7, 1);
        EngineRequests r = pick(picker(1), t, FakePeer.seed(10), 6);
        assertEquals(List.of("7:2", "7:3", "4:1", "4:2", "4:3", "0:0"), r.acceptedBlocks());
    }

    @Test
    void rarestFirstAppliesFromTheFirstPiece() {
        for (long seed = 0; seed < 30; seed++) {
            EngineRequests r = pick(picker(seed), torrent().availability(7, 1), FakePeer.seed(10), 1);
            assertEquals(7, r.firstPiece(), "seed " + seed);
        }
    }

    @Test
    void tiedRarestPiecesAreBothPickedOverManyPicks() {
        FakeTorrent t = torrent().availability(2, 1).availability(8, 1);
        PriorityPicker picker = picker(3);
        int[] picked = new int[10];
        for (int i = 0; i < 1000; i++) {
            t.resetDownloads();
            picked[pick(picker, t, FakePeer.seed(10), 1).firstPiece()]++;
        }
        assertEquals(1000, picked[2] + picked[8], Arrays.toString(picked));
        assertTrue(picked[2] > 400 && picked[8] > 400, Arrays.toString(picked));
    }

    @Test
    void deadlinesDoNotReorderPieces() {
        FakeTorrent t = torrent().availability(4, 1).deadline(9, 0);
        EngineRequests r = pick(t, FakePeer.seed(10), 1);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    @Test
    void startedPieceWithEveryBlockRequestedIsSkippedOutsideEndgame() {
        FakeTorrent t = torrent().priority(5, 7).availability(9, 1);
        for (int block = 0; block < BLOCKS; block++) {
            t.requested(5, block);
        }
        EngineRequests r = pick(t, FakePeer.seed(10), 1);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        FakeTorrent t = torrent().priority(4, 7).received(5, 0);
        EngineRequests r = pick(t, new FakePeer(Bits.of(10, 2, 8)), 10);
        assertEquals(Set.of(2, 8), r.offeredPieces());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        FakeTorrent t = torrent().priority(4, 7).received(5, 0);
        EngineRequests r = pick(t, FakePeer.seed(10).choking(true).fast(8), 10);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        FakePeer peer = FakePeer.seed(10).choking(true);
        peer.allowedFast.set(8);
        EngineRequests r = pick(torrent(), peer, 10);
        assertTrue(r.offered.isEmpty(), r.offeredPieces().toString());
    }

    // ---------------------------------------------------------------- endgame

    /**
     * Pieces 0-5 verified; 6 and 7 (priority 1) and 8 (priority 5), two blocks each, all requested: 6:0 once,
     * 6:1 three times, 7:0 twice, 7:1 once, 8:0 three times, 8:1 twice. Pieces 9 unwanted.
     */
    private static FakeTorrent everyBlockRequested() {
        return new FakeTorrent(10, 2).availabilityOfAll(3).verified(0, 1, 2, 3, 4, 5).priority(9, 0).priority(8, 5)
                .requested(6, 0).requested(6, 1).requested(6, 1).requested(6, 1).requested(7, 0).requested(7, 0)
                .requested(7, 1).requested(8, 0).requested(8, 0).requested(8, 0).requested(8, 1).requested(8, 1);
    }

    @Test
    void endgameOffersHigherPriorityBlocksFirstThenFewestRequested() {
        EngineRequests r = pick(picker(1), everyBlockRequested().endgame(true), FakePeer.seed(10), 6);
        assertEquals(List.of("8:1", "8:0", "6:0", "7:1", "7:0", "6:1"), r.acceptedBlocks());
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        EngineRequests r = pick(everyBlockRequested(), FakePeer.seed(10), 3);
        assertTrue(r.offered.isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        FakeTorrent t = new FakeTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(5, 0).endgame(true);
        EngineRequests r = pick(picker(1), t, FakePeer.seed(6), 4);
        assertEquals(List.of("5:1", "4:0", "4:1", "5:0"), r.acceptedBlocks());
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void nothingIsOfferedOnceTheQueueIsFull() {
        EngineRequests r = pick(picker(1), torrent(), FakePeer.seed(10), 3);
        assertEquals(3, r.offered.size());
        assertEquals(3, r.accepted());
    }

    @Test
    void aRefusedPieceDoesNotEndThePick() {
        FakeTorrent t = torrent().priority(4, 7).priority(5, 6);
        FakePeer peer = FakePeer.seed(10);
        EngineRequests r = new EngineRequests(t, peer, BLOCKS);
        r.refusedPieces.add(4);
        picker(1).pick(t, peer, r);
        assertEquals(List.of(5), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- factory

    @Test
    void factoryMakesAPickerPerTorrent() {
        PriorityPickerFactory factory = new PriorityPickerFactory();
        FakeTorrent t = torrent().priority(3, 5);
        assertNotSame(factory.create(t), factory.create(t));
        EngineRequests r = pick(factory.create(t), t, FakePeer.seed(10), 1);
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
        FakeTorrent other = torrent();
        other.infoHash = "fedcba9876543210fedcba9876543210fedcba98";
        assertNotEquals(pickSequence(new PriorityPickerFactory().create(torrent())),
                pickSequence(new PriorityPickerFactory().create(other)));
    }

    /** Twenty single-block picks on a 50-piece torrent where every piece ties. */
    private static List<Integer> pickSequence(PiecePicker picker) {
        FakeTorrent t = new FakeTorrent(50, 1).availabilityOfAll(3);
        FakePeer peer = FakePeer.seed(50);
        List<Integer> sequence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequence.add(pick(picker, t, peer, 1).firstPiece());
        }
        return sequence;
    }
}
