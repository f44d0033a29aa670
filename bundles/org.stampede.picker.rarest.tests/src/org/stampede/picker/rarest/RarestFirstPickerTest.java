package org.stampede.picker.rarest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** What the rarest-first picker offers a peer, on constructed torrents and peers. */
class RarestFirstPickerTest {
    private static final int BLOCKS = 4;

    private static RarestFirstPicker picker(long seed) {
        return new RarestFirstPicker(new Random(seed));
    }

    /** Ten pieces of four blocks, 0-3 verified (so past the random-first phase), each piece held by 5 peers. */
    private static FakeTorrent pastRandomFirst() {
        return new FakeTorrent(10, BLOCKS).availabilityOfAll(5).verified(0, 1, 2, 3);
    }

    private static EngineRequests pick(RarestFirstPicker picker, FakeTorrent torrent, FakePeer peer, int capacity) {
        EngineRequests requests = new EngineRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static EngineRequests pick(FakeTorrent torrent, FakePeer peer, int capacity) {
        return pick(picker(1), torrent, peer, capacity);
    }

    // ---------------------------------------------------------------- rarest first

    @Test
    void rarestWantedPieceIsPickedFirst() {
        FakeTorrent t = pastRandomFirst().availability(7, 1);
        EngineRequests r = pick(t, FakePeer.seed(10), BLOCKS);
        assertEquals(List.of("7:0", "7:1", "7:2", "7:3"), r.acceptedBlocks());
    }

    @Test
    void newPiecesComeInOrderOfAvailability() {
        FakeTorrent t = new FakeTorrent(40, 1).verified(0, 1, 2, 3);
        List<Integer> availability = new ArrayList<>(IntStream.rangeClosed(1, 36).boxed().toList());
        Collections.shuffle(availability, new Random(7));
        for (int piece = 4; piece < 40; piece++) {
            t.availability(piece, availability.get(piece - 4));
        }
        EngineRequests r = pick(t, FakePeer.seed(40), 36);
        assertEquals(IntStream.rangeClosed(1, 36).boxed().toList(),
                r.acceptedPieces().stream().map(t::availability).toList());
    }

    @Test
    void veryHighAvailabilityKeepsTheOrder() {
        FakeTorrent t = pastRandomFirst().availability(4, 1_000_000).availability(5, 2).availability(6, 3);
        for (int piece = 7; piece < 10; piece++) {
            t.priority(piece, 0);
        }
        EngineRequests r = pick(t, FakePeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(5, 6, 4), r.acceptedPieces());
    }

    @Test
    void tiedRarestPiecesAreBothPickedOverManyPicks() {
        FakeTorrent t = pastRandomFirst().availability(5, 1).availability(8, 1);
        RarestFirstPicker picker = picker(3);
        int[] picked = new int[10];
        for (int i = 0; i < 1000; i++) {
            t.resetDownloads();
            picked[pick(picker, t, FakePeer.seed(10), 1).firstPiece()]++;
        }
        assertEquals(1000, picked[5] + picked[8], Arrays.toString(picked));
        assertTrue(picked[5] > 400 && picked[8] > 400, "both tied pieces picked often: " + Arrays.toString(picked));
    }

    @Test
    void picksAreDeterminedByTheSeed() {
        assertEquals(pickSequence(42), pickSequence(42));
        assertNotEquals(pickSequence(42), pickSequence(43));
    }

    /** Twenty single-block picks on a 50-piece torrent where every piece ties. */
    private static List<Integer> pickSequence(long seed) {
        FakeTorrent t = new FakeTorrent(50, 1).availabilityOfAll(3).verified(0, 1, 2, 3);
        RarestFirstPicker picker = picker(seed);
        FakePeer peer = FakePeer.seed(50);
        List<Integer> sequence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequence.add(pick(picker, t, peer, 1).firstPiece());
        }
        return sequence;
    }

    // ---------------------------------------------------------------- random first

    @Test
    void withFewerThanFourPiecesNewPiecesAreRandomNotRarest() {
        int[] picked = new int[10];
        for (long seed = 0; seed < 210; seed++) {
            FakeTorrent t = new FakeTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0, 1, 2);
            picked[pick(picker(seed), t, FakePeer.seed(10), 1).firstPiece()]++;
        }
        for (int piece = 3; piece < 10; piece++) {
            assertTrue(picked[piece] > 10, "piece " + piece + " picked: " + Arrays.toString(picked));
        }
        assertTrue(picked[7] < 60, "the rarest piece is not favoured: " + Arrays.toString(picked));
    }

    @Test
    void withFourPiecesRarestFirstTakesOver() {
        for (long seed = 0; seed < 50; seed++) {
            FakeTorrent t = new FakeTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0, 1, 2, 3);
            assertEquals(7, pick(picker(seed), t, FakePeer.seed(10), 1).firstPiece(), "seed " + seed);
        }
    }

    @Test
    void randomFirstPiecesStillRespectPriority() {
        for (long seed = 0; seed < 50; seed++) {
            FakeTorrent t = new FakeTorrent(10, BLOCKS).availabilityOfAll(5).priority(6, 2);
            assertEquals(6, pick(picker(seed), t, FakePeer.seed(10), 1).firstPiece(), "seed " + seed);
        }
    }

    // ---------------------------------------------------------------- started pieces

    @Test
    void startedPieceIsFinishedBeforeARarerNewOne() {
        FakeTorrent t = pastRandomFirst().availability(8, 1).received(5, 0).requested(5, 1);
        EngineRequests r = pick(t, FakePeer.seed(10), 2);
        assertEquals(List.of("5:2", "5:3"), r.acceptedBlocks());
    }

    @Test
    void startedPieceWithMostBlocksDoneIsFinishedFirst() {
        FakeTorrent t = pastRandomFirst().received(4, 0).received(6, 0).requested(6, 1).received(6, 2);
        EngineRequests r = pick(t, FakePeer.seed(10), 4);
        assertEquals(List.of("6:3", "4:1", "4:2", "4:3"), r.acceptedBlocks());
    }

    @Test
    void startedPieceWithEveryBlockRequestedIsSkippedOutsideEndgame() {
        FakeTorrent t = pastRandomFirst().availability(9, 1);
        for (int block = 0; block < BLOCKS; block++) {
            t.requested(5, block);
        }
        EngineRequests r = pick(t, FakePeer.seed(10), BLOCKS);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- priority and deadlines

    @Test
    void priorityZeroPiecesAreNeverOffered() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).received(5, 0).deadline(6, 0).requested(7, 0)
                .endgame(true);
        for (int piece = 4; piece < 9; piece++) {
            t.priority(piece, 0);
        }
        EngineRequests r = pick(t, FakePeer.seed(10), 100);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    @Test
    void higherPriorityPiecesComeBeforeRarerOnes() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).availability(9, 20).priority(9, 7).priority(6, 3);
        EngineRequests r = pick(t, FakePeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(9, 6, 4), r.acceptedPieces());
    }

    @Test
    void deadlinePiecesComeFirstEarliestFirst() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).deadline(9, 500).deadline(6, 100);
        EngineRequests r = pick(t, FakePeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(6, 9, 4), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void peerWithNothingWeWantGetsNoOffers() {
        FakeTorrent t = pastRandomFirst();
        EngineRequests r = pick(t, new FakePeer(Bits.of(10, 0, 1, 2, 3)), 100);
        assertTrue(r.offered.isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).received(5, 0);
        EngineRequests r = pick(t, new FakePeer(Bits.of(10, 2, 8)), 100);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).received(5, 0);
        EngineRequests r = pick(t, FakePeer.seed(10).choking(true).fast(8, 2), 100);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        FakeTorrent t = pastRandomFirst();
        FakePeer peer = FakePeer.seed(10).choking(true);
        peer.allowedFast.set(8); // a set the peer sent without negotiating the extension means nothing
        EngineRequests r = pick(t, peer, 100);
        assertTrue(r.offered.isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void unchokingPeerIsNotLimitedToAllowedFastPieces() {
        FakeTorrent t = pastRandomFirst().availability(4, 1);
        EngineRequests r = pick(t, FakePeer.seed(10).fast(8), BLOCKS);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- endgame

    /** Pieces 4 and 5 of two blocks each, every block requested: 4:0 twice, 4:1 three times, 5:0 once, 5:1 twice. */
    private static FakeTorrent everyBlockRequested() {
        return new FakeTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(4, 0).requested(4, 0)
                .requested(4, 1).requested(4, 1).requested(4, 1).requested(5, 0).requested(5, 1).requested(5, 1);
    }

    @Test
    void endgameOffersBlocksRequestedFromOthersFewestRequestsFirst() {
        FakeTorrent t = everyBlockRequested().endgame(true);
        EngineRequests r = pick(t, FakePeer.seed(6), 3);
        assertEquals(List.of("5:0", "4:0", "5:1"), r.acceptedBlocks());
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        FakeTorrent t = everyBlockRequested();
        EngineRequests r = pick(t, FakePeer.seed(6), 3);
        assertTrue(r.offered.isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        FakeTorrent t = new FakeTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(5, 0).endgame(true);
        EngineRequests r = pick(t, FakePeer.seed(6), 4);
        assertEquals(List.of("5:1", "4:0", "4:1", "5:0"), r.acceptedBlocks());
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void nothingIsOfferedOnceTheQueueIsFull() {
        EngineRequests r = pick(pastRandomFirst(), FakePeer.seed(10), 3);
        assertEquals(3, r.offered.size());
        assertEquals(3, r.accepted());
    }

    @Test
    void aRefusedPieceDoesNotEndThePick() {
        FakeTorrent t = pastRandomFirst().availability(4, 1).availability(5, 2);
        FakePeer peer = FakePeer.seed(10);
        EngineRequests r = new EngineRequests(t, peer, BLOCKS);
        r.refusedPieces.add(4);
        picker(1).pick(t, peer, r);
        assertEquals(List.of(5), r.acceptedPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void factoryMakesAPickerPerTorrent() {
        RarestFirstPickerFactory factory = new RarestFirstPickerFactory();
        FakeTorrent t = pastRandomFirst().availability(6, 2);
        assertNotEquals(factory.create(t), factory.create(t));
        EngineRequests r = new EngineRequests(t, FakePeer.seed(10), 1);
        factory.create(t).pick(t, FakePeer.seed(10), r);
        assertEquals(List.of("6:0"), r.acceptedBlocks());
    }
}
