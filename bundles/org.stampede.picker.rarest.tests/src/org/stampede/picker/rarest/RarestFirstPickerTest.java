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
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordingRequests;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/** What the rarest-first picker offers a peer, on constructed torrents and peers. */
class RarestFirstPickerTest {
    private static final int BLOCKS = 4;

    private static RarestFirstPicker picker(long seed) {
        return new RarestFirstPicker(new Random(seed));
    }

    /** Ten pieces of four blocks, 0-3 verified (so past the random-first phase), each piece held by 5 peers. */
    private static TestTorrent pastRandomFirst() {
        return new TestTorrent(10, BLOCKS).availabilityOfAll(5).verified(0, 1, 2, 3);
    }

    private static RecordingRequests pick(RarestFirstPicker picker, TestTorrent torrent, TestPeer peer, int capacity) {
        RecordingRequests requests = new RecordingRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static RecordingRequests pick(TestTorrent torrent, TestPeer peer, int capacity) {
        return pick(picker(1), torrent, peer, capacity);
    }

    // ---------------------------------------------------------------- rarest first

    @Test
    void rarestWantedPieceIsPickedFirst() {
        TestTorrent t = pastRandomFirst().availability(7, 1);
        RecordingRequests r = pick(t, TestPeer.seed(10), BLOCKS);
        assertEquals(List.of("7:0", "7:1", "7:2", "7:3"), r.acceptedBlocks());
    }

    @Test
    void newPiecesComeInOrderOfAvailability() {
        TestTorrent t = new TestTorrent(40, 1).verified(0, 1, 2, 3);
        List<Integer> availability = new ArrayList<>(IntStream.rangeClosed(1, 36).boxed().toList());
        Collections.shuffle(availability, new Random(7));
        for (int piece = 4; piece < 40; piece++) {
            t.availability(piece, availability.get(piece - 4));
        }
        RecordingRequests r = pick(t, TestPeer.seed(40), 36);
        assertEquals(IntStream.rangeClosed(1, 36).boxed().toList(),
                r.acceptedPieces().stream().map(t::availability).toList());
    }

    @Test
    void veryHighAvailabilityKeepsTheOrder() {
        TestTorrent t = pastRandomFirst().availability(4, 1_000_000).availability(5, 2).availability(6, 3);
        for (int piece = 7; piece < 10; piece++) {
            t.priority(piece, 0);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(5, 6, 4), r.acceptedPieces());
    }

    @Test
    void tiedRarestPiecesAreBothPickedOverManyPicks() {
        TestTorrent t = pastRandomFirst().availability(5, 1).availability(8, 1);
        RarestFirstPicker picker = picker(3);
        int[] picked = new int[10];
        for (int i = 0; i < 1000; i++) {
            t.resetDownloads();
            picked[pick(picker, t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
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
        TestTorrent t = new TestTorrent(50, 1).availabilityOfAll(3).verified(0, 1, 2, 3);
        RarestFirstPicker picker = picker(seed);
        TestPeer peer = TestPeer.seed(50);
        List<Integer> sequence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequence.add(pick(picker, t, peer, 1).firstAcceptedPiece());
        }
        return sequence;
    }

    // ---------------------------------------------------------------- random first

    @Test
    void withFewerThanFourPiecesNewPiecesAreRandomNotRarest() {
        int[] picked = new int[10];
        for (long seed = 0; seed < 210; seed++) {
            TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0, 1, 2);
            picked[pick(picker(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
        }
        for (int piece = 3; piece < 10; piece++) {
            assertTrue(picked[piece] > 10, "piece " + piece + " picked: " + Arrays.toString(picked));
        }
        assertTrue(picked[7] < 60, "the rarest piece is not favoured: " + Arrays.toString(picked));
    }

    @Test
    void withFourPiecesRarestFirstTakesOver() {
        for (long seed = 0; seed < 50; seed++) {
            TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0, 1, 2, 3);
            assertEquals(7, pick(picker(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece(), "seed " + seed);
        }
    }

    @Test
    void randomFirstPiecesStillRespectPriority() {
        for (long seed = 0; seed < 50; seed++) {
            TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).priority(6, 2);
            assertEquals(6, pick(picker(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece(), "seed " + seed);
        }
    }

    // ---------------------------------------------------------------- started pieces

    @Test
    void startedPieceIsFinishedBeforeARarerNewOne() {
        TestTorrent t = pastRandomFirst().availability(8, 1).received(5, 0).requested(5, 1);
        RecordingRequests r = pick(t, TestPeer.seed(10), 2);
        assertEquals(List.of("5:2", "5:3"), r.acceptedBlocks());
    }

    @Test
    void startedPieceWithMostBlocksDoneIsFinishedFirst() {
        TestTorrent t = pastRandomFirst().received(4, 0).received(6, 0).requested(6, 1).received(6, 2);
        RecordingRequests r = pick(t, TestPeer.seed(10), 4);
        assertEquals(List.of("6:3", "4:1", "4:2", "4:3"), r.acceptedBlocks());
    }

    @Test
    void startedPieceWithEveryBlockRequestedIsSkippedOutsideEndgame() {
        TestTorrent t = pastRandomFirst().availability(9, 1);
        for (int block = 0; block < BLOCKS; block++) {
            t.requested(5, block);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), BLOCKS);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    // ---------------------------------------------------------------- priority and deadlines

    @Test
    void priorityZeroPiecesAreNeverOffered() {
        TestTorrent t = pastRandomFirst().availability(4, 1).received(5, 0).deadline(6, 0).requested(7, 0)
                .endgame(true);
        for (int piece = 4; piece < 9; piece++) {
            t.priority(piece, 0);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), 100);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    @Test
    void higherPriorityPiecesComeBeforeRarerOnes() {
        TestTorrent t = pastRandomFirst().availability(4, 1).availability(9, 20).priority(9, 7).priority(6, 3);
        RecordingRequests r = pick(t, TestPeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(9, 6, 4), r.acceptedPieces());
    }

    @Test
    void deadlinePiecesComeFirstEarliestFirst() {
        TestTorrent t = pastRandomFirst().availability(4, 1).deadline(9, 500).deadline(6, 100);
        RecordingRequests r = pick(t, TestPeer.seed(10), 3 * BLOCKS);
        assertEquals(List.of(6, 9, 4), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- what the peer has

    @Test
    void peerWithNothingWeWantGetsNoOffers() {
        TestTorrent t = pastRandomFirst();
        RecordingRequests r = pick(t, new TestPeer(MutablePieceSet.of(10, 0, 1, 2, 3)), 100);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        TestTorrent t = pastRandomFirst().availability(4, 1).received(5, 0);
        RecordingRequests r = pick(t, new TestPeer(MutablePieceSet.of(10, 2, 8)), 100);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithFastExtensionGetsOnlyAllowedFastPieces() {
        TestTorrent t = pastRandomFirst().availability(4, 1).received(5, 0);
        RecordingRequests r = pick(t, TestPeer.seed(10).peerChoking(true).fast(8, 2), 100);
        assertEquals(Set.of(8), r.offeredPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    @Test
    void chokingPeerWithoutFastExtensionGetsNoOffers() {
        TestTorrent t = pastRandomFirst();
        TestPeer peer = TestPeer.seed(10).peerChoking(true);
        peer.allowedFast().add(8); // a set the peer sent without negotiating the extension means nothing
        RecordingRequests r = pick(t, peer, 100);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void unchokingPeerIsNotLimitedToAllowedFastPieces() {
        TestTorrent t = pastRandomFirst().availability(4, 1);
        RecordingRequests r = pick(t, TestPeer.seed(10).fast(8), BLOCKS);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    // ---------------------------------------------------------------- endgame

    /** Pieces 4 and 5 of two blocks each, every block requested: 4:0 twice, 4:1 three times, 5:0 once, 5:1 twice. */
    private static TestTorrent everyBlockRequested() {
        return new TestTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(4, 0).requested(4, 0)
                .requested(4, 1).requested(4, 1).requested(4, 1).requested(5, 0).requested(5, 1).requested(5, 1);
    }

    @Test
    void endgameOffersBlocksRequestedFromOthersFewestRequestsFirst() {
        TestTorrent t = everyBlockRequested().endgame(true);
        RecordingRequests r = pick(t, TestPeer.seed(6), 3);
        assertEquals(List.of("5:0", "4:0", "5:1"), r.acceptedBlocks());
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        TestTorrent t = everyBlockRequested();
        RecordingRequests r = pick(t, TestPeer.seed(6), 3);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void endgameOffersMissingBlocksBeforeDuplicates() {
        TestTorrent t = new TestTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(5, 0).endgame(true);
        RecordingRequests r = pick(t, TestPeer.seed(6), 4);
        assertEquals(List.of("5:1", "4:0", "4:1", "5:0"), r.acceptedBlocks());
    }

    // ---------------------------------------------------------------- the request queue

    @Test
    void nothingIsOfferedOnceTheQueueIsFull() {
        RecordingRequests r = pick(pastRandomFirst(), TestPeer.seed(10), 3);
        assertEquals(3, r.offered().size());
        assertEquals(3, r.accepted());
    }

    @Test
    void aRefusedPieceDoesNotEndThePick() {
        TestTorrent t = pastRandomFirst().availability(4, 1).availability(5, 2);
        TestPeer peer = TestPeer.seed(10);
        RecordingRequests r = new RecordingRequests(t, peer, BLOCKS);
        r.refusePiece(4);
        picker(1).pick(t, peer, r);
        assertEquals(List.of(5), r.acceptedPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    // ---------------------------------------------------------------- the order kept from the news

    /** Twelve pieces of four blocks, 0-3 verified, piece p held by p - 2 connected peers (4 the rarest). */
    private static TestTorrent rising() {
        TestTorrent t = new TestTorrent(12, BLOCKS).verified(0, 1, 2, 3);
        for (int p = 4; p < 12; p++) {
            t.availability(p, p - 2);
        }
        return t;
    }

    @Test
    void theKeptOrderFollowsTheAvailabilityTheEngineTells() {
        TestTorrent t = rising();
        RarestFirstPicker picker = (RarestFirstPicker) t.create(x -> picker(1));
        TestPeer seed = TestPeer.seed(12);
        assertEquals(4, t.pick(picker, seed, 1).firstAcceptedPiece());
        t.resetDownloads();
        seed.clearRequests();
        t.connect(new TestPeer(2, MutablePieceSet.of(12, 4, 5, 6, 7, 8, 10, 11)));
        t.connect(new TestPeer(3, MutablePieceSet.of(12, 4, 5, 6, 7, 8, 10, 11))); // all but 9: two more copies
        for (int i = 0; i < 4; i++) {
            t.disconnect(new TestPeer(10 + i, MutablePieceSet.of(12, 9))); // four peers that had 9 left
        }
        assertEquals(List.of(4, 3), List.of(t.availability(4), t.availability(9)));
        assertEquals(9, t.pick(picker, seed, 1).firstAcceptedPiece(), "9 (held by 3) is now the rarest");
    }

    @Test
    void aVerifiedPieceLeavesTheOrderAndAFailedOneStays() {
        TestTorrent t = rising();
        RarestFirstPicker picker = (RarestFirstPicker) t.create(x -> picker(1));
        TestPeer seed = TestPeer.seed(12);
        assertEquals(4, t.pick(picker, seed, 1).firstAcceptedPiece());
        t.verified(4);
        assertEquals(5, t.pick(picker, seed, 1).firstAcceptedPiece());
        t.received(5, 0).failed(5).resetDownloads();
        seed.clearRequests();
        assertEquals(5, t.pick(picker, seed, 1).firstAcceptedPiece(), "failed: wanted again, still the rarest");
    }

    @Test
    void priorityAndDeadlineNewsReorderTheKeptOrder() {
        TestTorrent t = rising();
        RarestFirstPicker picker = (RarestFirstPicker) t.create(x -> picker(1));
        TestPeer seed = TestPeer.seed(12);
        assertEquals(4, t.pick(picker, seed, 1).firstAcceptedPiece());
        t.resetDownloads().priority(11, 3).priority(4, 0);
        seed.clearRequests();
        assertEquals(List.of(11, 5), t.pick(picker, seed, 2 * BLOCKS).acceptedPieces());
        t.resetDownloads().deadline(8, 200);
        seed.clearRequests();
        assertEquals(List.of(8, 11), t.pick(picker, seed, 2 * BLOCKS).acceptedPieces());
        t.resetDownloads().deadline(8, -1);
        seed.clearRequests();
        assertEquals(List.of(11), t.pick(picker, seed, BLOCKS).acceptedPieces());
    }

    @Test
    void anAvailabilityBeyondTheBucketsWidensThem() {
        TestTorrent t = rising();
        RarestFirstPicker picker = (RarestFirstPicker) t.create(x -> picker(1));
        TestPeer seed = TestPeer.seed(12);
        t.pick(picker, seed, 1);
        t.resetDownloads().availability(4, 5_000).availability(5, 100).availability(6, 4_000); // 7-11: 5-9
        seed.clearRequests();
        assertEquals(List.of(7, 8, 9, 10, 11, 5, 6, 4), t.pick(picker, seed, 8 * BLOCKS).acceptedPieces());
    }

    /**
     * The kept order picks as the scan of the view does, through random news: peers coming, announcing and
     * leaving, priorities, deadlines, verified and failed pieces. After each change both pick one piece from a seed;
     * ties are broken at random, so the pieces must agree in (deadline, priority, availability).
     */
    @Test
    void theKeptOrderPicksAsAScanOfTheViewDoesThroughRandomNews() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            int n = 60;
            TestTorrent t = new TestTorrent(n, 2).verified(0, 1, 2, 3);
            TestPeer picking = TestPeer.seed(n);
            t.connect(picking);
            RarestFirstPicker kept = (RarestFirstPicker) t.create(x -> picker(7));
            RarestFirstPicker scan = new RarestFirstPicker(new Random(8), false);
            List<TestPeer> peers = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                int piece = random.nextInt(n);
                switch (random.nextInt(7)) {
                    case 0, 1 -> {
                        MutablePieceSet has = new MutablePieceSet(n);
                        for (int p = 0; p < n; p++) {
                            if (random.nextInt(3) == 0) {
                                has.add(p);
                            }
                        }
                        TestPeer peer = new TestPeer(step + 2, has);
                        peers.add(peer);
                        t.connect(peer);
                    }
                    case 2 -> {
                        if (!peers.isEmpty()) {
                            t.peerHas(peers.get(random.nextInt(peers.size())), piece);
                        }
                    }
                    case 3 -> {
                        if (!peers.isEmpty()) {
                            t.disconnect(peers.remove(random.nextInt(peers.size())));
                        }
                    }
                    case 4 -> t.priority(piece, random.nextInt(8));
                    case 5 -> t.deadline(piece, random.nextInt(4) == 0 ? random.nextInt(1000) : -1);
                    default -> {
                        if (t.wanted().count() > 10 && !t.have().contains(piece)) {
                            if (random.nextBoolean()) {
                                t.verified(piece);
                            } else {
                                t.received(piece, 0).failed(piece);
                            }
                        }
                    }
                }
                int a = t.pick(kept, picking, 2).firstAcceptedPiece();
                t.resetDownloads();
                picking.clearRequests();
                int b = pick(scan, t, picking, 2).firstAcceptedPiece();
                t.resetDownloads();
                picking.clearRequests();
                assertEquals(rank(t, b), rank(t, a), "seed " + seed + " step " + step + ": kept " + a + ", scan " + b);
            }
        }
    }

    /** What the picker orders by: the deadline (or none), the priority, the availability; "none" for -1. */
    private static String rank(TestTorrent t, int piece) {
        return piece < 0 ? "none" : t.deadline(piece) + "/" + t.priority(piece) + "/" + t.availability(piece);
    }

    @Test
    void factoryMakesAPickerPerTorrent() {
        RarestFirstPickerFactory factory = new RarestFirstPickerFactory();
        TestTorrent t = pastRandomFirst().availability(6, 2);
        assertNotEquals(factory.create(t), factory.create(t));
        RecordingRequests r = new RecordingRequests(t, TestPeer.seed(10), 1);
        factory.create(t).pick(t, TestPeer.seed(10), r);
        assertEquals(List.of("6:0"), r.acceptedBlocks());
    }
}
