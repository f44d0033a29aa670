package org.stampede.picker.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.testing.MutablePieceSet;
import org.stampede.api.testing.RecordingRequests;
import org.stampede.api.testing.TestPeer;
import org.stampede.api.testing.TestTorrent;

/** What the classic (random first, then rarest) and the random picker offer a peer, on constructed torrents. */
class ClassicPickerTest {
    private static final int BLOCKS = 4;

    private static ClassicPicker classic(long seed) {
        return new ClassicPicker(new Random(seed), ClassicPicker.RANDOM_FIRST_PIECES);
    }

    private static ClassicPicker random(long seed) {
        return new ClassicPicker(new Random(seed), ClassicPicker.ALWAYS_RANDOM);
    }

    /** Ten pieces of four blocks, 0-3 verified (so past the random-first phase), each piece held by 5 peers. */
    private static TestTorrent pastRandomFirst() {
        return new TestTorrent(10, BLOCKS).availabilityOfAll(5).verified(0, 1, 2, 3);
    }

    private static RecordingRequests pick(PiecePicker picker, TestTorrent torrent, TestPeer peer, int capacity) {
        RecordingRequests requests = new RecordingRequests(torrent, peer, capacity);
        picker.pick(torrent, peer, requests);
        return requests;
    }

    private static RecordingRequests pick(TestTorrent torrent, TestPeer peer, int capacity) {
        return pick(classic(1), torrent, peer, capacity);
    }

    // ---------------------------------------------------------------- random first, then rarest

    @Test
    void withFewerThanFourPiecesNewPiecesAreRandomNotRarest() {
        int[] picked = new int[10];
        for (long seed = 0; seed < 210; seed++) {
            TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0, 1, 2);
            picked[pick(classic(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
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
            assertEquals(7, pick(classic(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece(), "seed " + seed);
        }
    }

    @Test
    void thresholdIsAConstructorArgument() {
        for (long seed = 0; seed < 20; seed++) {
            TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).availability(7, 1).verified(0);
            assertEquals(7, pick(new ClassicPicker(new Random(seed), 1), t, TestPeer.seed(10), 1).firstAcceptedPiece());
        }
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
    void tiedRarestPiecesAreBothPickedOverManyPicks() {
        TestTorrent t = pastRandomFirst().availability(5, 1).availability(8, 1);
        ClassicPicker picker = classic(3);
        int[] picked = new int[10];
        for (int i = 0; i < 1000; i++) {
            t.resetDownloads();
            picked[pick(picker, t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
        }
        assertEquals(1000, picked[5] + picked[8], Arrays.toString(picked));
        assertTrue(picked[5] > 400 && picked[8] > 400, "both tied pieces picked often: " + Arrays.toString(picked));
    }

    @Test
    void priorityLevelsDoNotReorderPieces() {
        TestTorrent t = pastRandomFirst().availability(4, 1).priority(9, 7).priority(6, 3);
        RecordingRequests r = pick(t, TestPeer.seed(10), BLOCKS);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    @Test
    void deadlinesDoNotReorderPieces() {
        TestTorrent t = pastRandomFirst().availability(4, 1).deadline(9, 0);
        RecordingRequests r = pick(t, TestPeer.seed(10), BLOCKS);
        assertEquals(List.of(4), r.acceptedPieces());
    }

    @Test
    void priorityZeroPiecesAreNeverOffered() {
        TestTorrent t = pastRandomFirst().availability(4, 1).received(5, 0).requested(7, 0).endgame(true);
        for (int piece = 4; piece < 9; piece++) {
            t.priority(piece, 0);
        }
        RecordingRequests r = pick(t, TestPeer.seed(10), 100);
        assertEquals(Set.of(9), r.offeredPieces());
    }

    @Test
    void picksAreDeterminedByTheSeed() {
        assertEquals(pickSequence(classic(42)), pickSequence(classic(42)));
        assertNotEquals(pickSequence(classic(42)), pickSequence(classic(43)));
    }

    /** Twenty single-block picks on a 50-piece torrent where every piece ties. */
    private static List<Integer> pickSequence(PiecePicker picker) {
        TestTorrent t = new TestTorrent(50, 1).availabilityOfAll(3).verified(0, 1, 2, 3);
        TestPeer peer = TestPeer.seed(50);
        List<Integer> sequence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequence.add(pick(picker, t, peer, 1).firstAcceptedPiece());
        }
        return sequence;
    }

    // ---------------------------------------------------------------- random forever

    @Test
    void randomPickerIgnoresAvailabilityPastFourPieces() {
        int[] picked = new int[10];
        for (long seed = 0; seed < 300; seed++) {
            TestTorrent t = pastRandomFirst().availability(7, 1);
            picked[pick(random(seed), t, TestPeer.seed(10), 1).firstAcceptedPiece()]++;
        }
        for (int piece = 4; piece < 10; piece++) {
            assertTrue(picked[piece] > 20, "piece " + piece + " picked: " + Arrays.toString(picked));
        }
        assertTrue(picked[7] < 90, "the rarest piece is not favoured: " + Arrays.toString(picked));
    }

    @Test
    void randomPickerOffersEachPickablePieceOnceInOnePick() {
        TestTorrent t = new TestTorrent(30, 1).verified(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        RecordingRequests r = pick(random(5), t, TestPeer.seed(30), 100);
        List<Integer> pieces = r.acceptedPieces();
        assertEquals(20, r.offered().size());
        assertEquals(new TreeSet<>(IntStream.range(10, 30).boxed().toList()), new TreeSet<>(pieces));
        assertNotEquals(IntStream.range(10, 30).boxed().toList(), pieces, "the order is shuffled");
    }

    @Test
    void negativeThresholdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ClassicPicker(new Random(1), -1));
    }

    // ---------------------------------------------------------------- strict priority

    @Test
    void startedPieceIsFinishedBeforeARarerNewOne() {
        TestTorrent t = pastRandomFirst().availability(8, 1).received(5, 0).requested(5, 1);
        RecordingRequests r = pick(t, TestPeer.seed(10), 2);
        assertEquals(List.of("5:2", "5:3"), r.acceptedBlocks());
    }

    @Test
    void startedPieceIsFinishedBeforeRandomNewOnes() {
        TestTorrent t = new TestTorrent(10, BLOCKS).availabilityOfAll(5).received(8, 0);
        RecordingRequests r = pick(random(9), t, TestPeer.seed(10), 3);
        assertEquals(List.of("8:1", "8:2", "8:3"), r.acceptedBlocks());
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

    // ---------------------------------------------------------------- what the peer has

    @Test
    void peerWithNothingWeWantGetsNoOffers() {
        RecordingRequests r = pick(pastRandomFirst(), new TestPeer(MutablePieceSet.of(10, 0, 1, 2, 3)), 100);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    @Test
    void onlyPiecesThePeerHasAreOffered() {
        TestTorrent t = pastRandomFirst().availability(4, 1).received(5, 0);
        RecordingRequests r = pick(random(2), t, new TestPeer(MutablePieceSet.of(10, 2, 8)), 100);
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
        TestPeer peer = TestPeer.seed(10).peerChoking(true);
        peer.allowedFast().add(8); // a set the peer sent without negotiating the extension means nothing
        RecordingRequests r = pick(pastRandomFirst(), peer, 100);
        assertTrue(r.offered().isEmpty(), r.offeredPieces().toString());
    }

    // ---------------------------------------------------------------- endgame

    /** Pieces 4 and 5 of two blocks each, every block requested: 4:0 twice, 4:1 three times, 5:0 once, 5:1 twice. */
    private static TestTorrent everyBlockRequested() {
        return new TestTorrent(6, 2).availabilityOfAll(3).verified(0, 1, 2, 3).requested(4, 0).requested(4, 0)
                .requested(4, 1).requested(4, 1).requested(4, 1).requested(5, 0).requested(5, 1).requested(5, 1);
    }

    @Test
    void endgameOffersBlocksRequestedFromOthersFewestRequestsFirst() {
        RecordingRequests r = pick(everyBlockRequested().endgame(true), TestPeer.seed(6), 3);
        assertEquals(List.of("5:0", "4:0", "5:1"), r.acceptedBlocks());
    }

    @Test
    void outsideEndgameBlocksRequestedFromOthersAreNotOffered() {
        RecordingRequests r = pick(everyBlockRequested(), TestPeer.seed(6), 3);
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
        classic(1).pick(t, peer, r);
        assertEquals(List.of(5), r.acceptedPieces());
        assertEquals(BLOCKS, r.accepted());
    }

    // ---------------------------------------------------------------- factories

    @Test
    void randomFirstFactoryMakesAPickerPerTorrentThatTurnsRarestFirst() {
        RandomFirstPickerFactory factory = new RandomFirstPickerFactory();
        TestTorrent t = pastRandomFirst().availability(6, 2);
        assertNotSame(factory.create(t), factory.create(t));
        RecordingRequests r = pick(factory.create(t), t, TestPeer.seed(10), 1);
        assertEquals(List.of("6:0"), r.acceptedBlocks());
    }

    @Test
    void randomFactoryMakesAPickerThatStaysRandom() {
        RandomPickerFactory factory = new RandomPickerFactory();
        Set<Integer> first = new TreeSet<>();
        for (int i = 0; i < 40; i++) {
            TestTorrent t = pastRandomFirst().availability(6, 1);
            t.infoHash(String.format("%040x", i));
            first.add(pick(factory.create(t), t, TestPeer.seed(10), 1).firstAcceptedPiece());
        }
        assertTrue(first.size() >= 4, "first picks over 40 torrents: " + first);
    }

    @Test
    void freshFactoriesDrawTheSameForTheSameTorrent() {
        assertEquals(pickSequence(new RandomFirstPickerFactory().create(tied())),
                pickSequence(new RandomFirstPickerFactory().create(tied())));
        assertEquals(pickSequence(new RandomPickerFactory().create(tied())),
                pickSequence(new RandomPickerFactory().create(tied())));
    }

    @Test
    void theSameRandomSeedDrawsTheSameSoLabRunsRepeat() {
        for (PiecePickerFactory factory : List.of(new RandomFirstPickerFactory(), new RandomPickerFactory())) {
            assertEquals(pickSequence(factory.create(tied())), pickSequence(factory.create(tied())));
        }
    }

    @Test
    void anotherTorrentDrawsDifferently() {
        TestTorrent other = tied();
        other.infoHash("fedcba9876543210fedcba9876543210fedcba98");
        assertNotEquals(pickSequence(new RandomPickerFactory().create(tied())),
                pickSequence(new RandomPickerFactory().create(other)));
    }

    /** A 50-piece torrent where every piece ties, past the random-first phase. */
    private static TestTorrent tied() {
        return new TestTorrent(50, 1).availabilityOfAll(3).verified(0, 1, 2, 3);
    }
}
