package org.stampede.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stampede.api.BlockState;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.TorrentView;
import org.stampede.testing.contract.ContractFixture.Capability;
import org.stampede.testing.contract.ContractFixture.Peer;

/**
 * The semantics of the strategy API's views and of a picker's news, one test for the three implementations: the
 * engine ({@code TorrentState}), the strategy lab ({@code SimPeer}) and the test fakes of
 * {@code org.stampede.api.testing} ({@code TestTorrent}). Each runs it through a subclass in the tests bundle that
 * may see it, which only says how to {@link #start} a {@link ContractFixture}; the rules are here, once, so an
 * implementation that diverges fails.
 * <p>
 * What it states: a new torrent has nothing, wants everything and no peer has anything; the files split the pieces
 * as their lengths say; availability counts the connected peers that have a piece; a verified piece is had and no
 * longer wanted, partial nor due; a failed one is missing and wanted again; a piece's priority is its own where set,
 * else the highest of its files' (0 only when all are skipped, and then its own does not count); a deadline is set,
 * moved and cleared, and a piece we have keeps none. And the news (see {@link PiecePicker}): every change is told,
 * naming exactly the pieces that changed; a bitfield is one call; a change is told before the next pick (checked at
 * every pick of every test by {@link RecordingPicker}); one delivery tells pieces verified and failed, then
 * priorities, then availability, then deadlines. Parts an implementation does not model (the lab has one file, no
 * priorities, no deadlines, no hash failures) are skipped for it, by {@link Capability}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class StrategyViewContract {
    public static final int PIECES = 8;
    public static final int PIECE_LENGTH = 32 * 1024;
    /**
     * The files: {@code a} (pieces 0-1, ending inside 1), {@code b} (empty, at 40 KiB), {@code c} (pieces 1-4,
     * sharing 1 with {@code a} and 4 with {@code d}), {@code d} (pieces 4-7, to the end).
     */
    public static final long[] FILES = { 40 * 1024, 0, 100 * 1024, 116 * 1024 };
    private static final int[] ALL = IntStream.range(0, PIECES).toArray();

    private final RecordingPicker.Factory pickers = new RecordingPicker.Factory();
    protected ContractFixture f;
    protected RecordingPicker picker;

    /** Starts the implementation's torrent (see {@link ContractFixture}) with pickers made by {@code pickers}. */
    protected abstract ContractFixture start(PiecePickerFactory pickers) throws Exception;

    @BeforeEach
    void startFixture() throws Exception {
        f = start(pickers);
        picker = pickers.of(f.view());
    }

    @AfterEach
    void closeAndCheckTheRulesSeenOnTheWay() throws Exception {
        try {
            assertEquals(List.of(), pickers.broken(), "rules the pickers saw broken");
        } finally {
            f.close();
        }
    }

    private void assume(Capability c) {
        assumeTrue(f.capabilities().contains(c), "this implementation does not model " + c);
    }

    // ---------------------------------------------------------------- the torrent at the start

    @Test
    void aNewTorrentHasNothingWantsEverythingAndNoPeerHasAnything() {
        TorrentView v = f.view();
        assertEquals(PIECES, v.pieceCount());
        for (int p = 0; p < PIECES; p++) {
            assertEquals(PIECE_LENGTH, v.pieceLength(p), "length of piece " + p);
            assertEquals(PIECE_LENGTH / TorrentView.BLOCK_SIZE, v.blockCount(p));
            assertEquals(0, v.availability(p), "availability of " + p);
            assertEquals(1, v.priority(p), "priority of " + p);
            assertEquals(-1, v.deadline(p), "deadline of " + p);
            for (int b = 0; b < v.blockCount(p); b++) {
                assertEquals(BlockState.MISSING, v.blockState(p, b));
                assertEquals(0, v.requestCount(p, b));
            }
        }
        assertTrue(v.have().isEmpty());
        assertEquals(PIECES, v.wanted().count());
        assertTrue(v.wanted().isFull());
        assertTrue(v.partial().isEmpty());
        assertFalse(v.complete());
        assertFalse(v.endgame());
        f.settle();
        assertEquals(List.of(), picker.news(), "nothing happened: no news");
    }

    @Test
    void theFilesSplitThePiecesAsTheirLengthsSay() {
        TorrentView v = f.view();
        long[] lengths = f.fileLengths();
        if (f.capabilities().contains(Capability.FILES)) {
            assertTrue(Arrays.equals(FILES, lengths), Arrays.toString(lengths));
        } else {
            assertEquals(1, lengths.length, "an implementation without files has one");
        }
        assertEquals((long) PIECES * PIECE_LENGTH, Arrays.stream(lengths).sum());
        assertEquals(lengths.length, v.fileCount());
        long offset = 0;
        for (int file = 0; file < lengths.length; file++) {
            int first = (int) Math.min(PIECES, offset / PIECE_LENGTH);
            int end = lengths[file] == 0 ? first : (int) ((offset + lengths[file] - 1) / PIECE_LENGTH + 1);
            assertEquals(lengths[file], v.fileLength(file), "length of file " + file);
            assertEquals(first, v.fileFirstPiece(file), "first piece of file " + file);
            assertEquals(end, v.fileEndPiece(file), "end piece of file " + file);
            assertEquals(1, v.filePriority(file), "priority of file " + file);
            offset += lengths[file];
        }
        for (int p = 0; p < PIECES; p++) {
            assertEquals(fileOf(lengths, p), v.fileOf(p), "the file piece " + p + " begins in");
        }
        if (f.capabilities().contains(Capability.FILES)) {
            assertEquals(List.of(0, 0, 2, 2, 2, 3, 3, 3), IntStream.range(0, PIECES).map(v::fileOf).boxed().toList(),
                    "piece 1 begins in a, piece 4 in c; the empty file b holds no piece");
        }
    }

    /** The lowest file with a byte in the piece. */
    private static int fileOf(long[] lengths, int piece) {
        long start = (long) piece * PIECE_LENGTH;
        long offset = 0;
        for (int file = 0; file < lengths.length; file++) {
            if (lengths[file] > 0 && offset < start + PIECE_LENGTH && offset + lengths[file] > start) {
                return file;
            }
            offset += lengths[file];
        }
        return -1;
    }

    // ---------------------------------------------------------------- availability

    @Test
    void availabilityCountsTheConnectedPeersThatHaveAPieceAndEachChangeIsTold() {
        Peer a = f.connect(0, 1, 2);
        Peer b = f.connect(1, 5);
        f.settle();
        assertAvailability(1, 2, 1, 0, 0, 1, 0, 0);
        assertEquals(Set.of(0, 1, 2, 5), heard("availability"));

        picker.clearLog();
        f.have(a, 5);
        f.settle();
        assertAvailability(1, 2, 1, 0, 0, 2, 0, 0);
        assertEquals(Set.of(5), heard("availability"));

        picker.clearLog();
        f.have(a, 5);
        f.settle();
        assertAvailability(1, 2, 1, 0, 0, 2, 0, 0);
        assertEquals(Set.of(), heard("availability"), "a piece the peer had already changes nothing");

        picker.clearLog();
        f.disconnect(b);
        f.settle();
        assertAvailability(1, 1, 1, 0, 0, 1, 0, 0);
        assertEquals(Set.of(1, 5), heard("availability"));

        picker.clearLog();
        f.disconnect(a);
        f.settle();
        assertAvailability(0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(Set.of(0, 1, 2, 5), heard("availability"));
    }

    @Test
    void aBitfieldAndAPeerLeavingWithItAreOneCallEach() {
        Peer seed = f.connect(ALL);
        f.settle();
        assertEquals(List.of("availability " + IntStream.of(ALL).boxed().toList()), picker.news(),
                "a bitfield of every piece is one call naming them all");
        picker.clearLog();
        f.disconnect(seed);
        f.settle();
        assertEquals(List.of("availability " + IntStream.of(ALL).boxed().toList()), picker.news());
    }

    // ---------------------------------------------------------------- verified and failed pieces

    @Test
    void aVerifiedPieceIsHadAndNoLongerWantedAndThePickerHearsOfItBeforeItsNextPick() throws Exception {
        Peer a = f.connect(ALL);
        f.settle();
        picker.clearLog();
        download(a, 3, true);
        f.settle();
        TorrentView v = f.view();
        assertTrue(v.have().contains(3));
        assertFalse(v.wanted().contains(3));
        assertFalse(v.partial().contains(3));
        for (int b = 0; b < v.blockCount(3); b++) {
            assertEquals(BlockState.RECEIVED, v.blockState(3, b));
            assertEquals(0, v.requestCount(3, b));
        }
        assertEquals(PIECES - 1, v.wanted().count());
        assertEquals(1, v.availability(3), "our own copy is not counted");
        assertEquals(List.of("verified 3"), picker.news());

        int picksBefore = picker.picks();
        Peer b = f.connect(0, 4);
        f.pick(b);
        assertTrue(picker.picks() > picksBefore, "the picker was asked: " + picker.log());
        List<String> log = picker.log();
        assertTrue(log.indexOf("verified 3") < log.lastIndexOf("pick"), log.toString());
    }

    @Test
    void aFailedPieceIsMissingAgainAndStillWanted() throws Exception {
        assume(Capability.HASH_FAILURES);
        Peer a = f.connect(ALL);
        f.settle();
        picker.clearLog();
        download(a, 4, false);
        f.settle();
        TorrentView v = f.view();
        assertFalse(v.have().contains(4));
        assertTrue(v.wanted().contains(4));
        assertFalse(v.partial().contains(4));
        for (int b = 0; b < v.blockCount(4); b++) {
            assertEquals(BlockState.MISSING, v.blockState(4, b));
        }
        assertEquals(List.of("failed 4"), picker.news());
    }

    // ---------------------------------------------------------------- the order of news

    @Test
    void oneDeliveryTellsCheckedPiecesThenPrioritiesThenAvailabilityThenDeadlines() throws Exception {
        Peer a = f.connect(2); // once 2 is verified, nothing to ask of a: no pick tells the news early
        Peer b = f.connect(0, 1);
        f.settle();
        picker.clearLog();
        download(a, 2, true);
        boolean deadlines = f.capabilities().contains(Capability.DEADLINES);
        boolean priorities = f.capabilities().contains(Capability.PRIORITIES);
        if (deadlines) {
            f.deadline(6, 60_000);
        }
        if (priorities) {
            f.piecePriority(5, 3);
        }
        f.have(b, 7);
        f.settle();
        List<String> expected = new ArrayList<>(List.of("verified 2"));
        if (priorities) {
            expected.add("priority [5]");
        }
        expected.add("availability [7]");
        if (deadlines) {
            expected.add("deadline [6]");
        }
        assertEquals(expected, picker.news());
    }

    // ---------------------------------------------------------------- priorities

    @Test
    void aPiecesPriorityIsItsOwnElseItsFilesHighestAndEachChangeIsTold() {
        assume(Capability.FILES);
        assume(Capability.PRIORITIES);
        f.filePriority(2, 5);
        f.settle();
        assertPriorities(1, 5, 5, 5, 5, 1, 1, 1);
        assertEquals(Set.of(1, 2, 3, 4), heard("priority"), "file c's pieces, shared ones included");
        assertEquals(5, f.view().filePriority(2));

        picker.clearLog();
        f.filePriority(0, 0);
        f.settle();
        assertPriorities(0, 5, 5, 5, 5, 1, 1, 1);
        assertEquals(Set.of(0), heard("priority"), "piece 1 keeps c's 5");
        assertFalse(f.view().wanted().contains(0));
        assertEquals(0, f.view().filePriority(0));

        picker.clearLog();
        f.piecePriority(3, 0);
        f.settle();
        assertPriorities(0, 5, 5, 0, 5, 1, 1, 1);
        assertEquals(Set.of(3), heard("priority"));
        assertFalse(f.view().wanted().contains(3));

        picker.clearLog();
        f.piecePriority(0, 6);
        f.settle();
        assertPriorities(0, 5, 5, 0, 5, 1, 1, 1);
        assertEquals(Set.of(), heard("priority"), "a piece whose files are all skipped stays skipped");

        picker.clearLog();
        f.piecePriority(3, -1);
        f.settle();
        assertPriorities(0, 5, 5, 5, 5, 1, 1, 1);
        assertEquals(Set.of(3), heard("priority"), "back to its file's");

        picker.clearLog();
        f.filePriority(3, 7);
        f.settle();
        assertPriorities(0, 5, 5, 5, 7, 7, 7, 7);
        assertEquals(Set.of(4, 5, 6, 7), heard("priority"));

        picker.clearLog();
        f.filePriority(0, 1);
        f.settle();
        assertPriorities(6, 5, 5, 5, 7, 7, 7, 7);
        assertEquals(Set.of(0), heard("priority"), "piece 0 takes its own 6 once its file is wanted");
        assertEquals(1, f.view().filePriority(1), "the empty file keeps its priority");
        assertTrue(f.view().wanted().isFull());
    }

    // ---------------------------------------------------------------- deadlines

    @Test
    void aDeadlineIsSetMovedAndClearedAndAPieceWeHaveKeepsNone() throws Exception {
        assume(Capability.DEADLINES);
        Peer a = f.connect(ALL);
        f.settle();
        picker.clearLog();
        f.deadline(6, 60_000);
        f.settle();
        long d = f.view().deadline(6);
        assertTrue(d > 50_000 && d <= 60_000, "deadline " + d);
        assertEquals(Set.of(6), heard("deadline"));

        picker.clearLog();
        f.deadline(6, 30_000);
        f.settle();
        d = f.view().deadline(6);
        assertTrue(d > 20_000 && d <= 30_000, "moved: " + d);
        assertEquals(Set.of(6), heard("deadline"));

        picker.clearLog();
        f.deadline(6, -1);
        f.settle();
        assertEquals(-1, f.view().deadline(6));
        assertEquals(Set.of(6), heard("deadline"));

        picker.clearLog();
        f.deadline(6, -1);
        f.settle();
        assertEquals(Set.of(), heard("deadline"), "clearing no deadline changes nothing");

        f.deadline(2, 10_000);
        f.settle();
        picker.clearLog();
        download(a, 2, true);
        f.settle();
        assertEquals(-1, f.view().deadline(2), "a verified piece has no deadline");
        assertEquals(List.of("verified 2"), picker.news(), "and pieceVerified says so, no deadline news");

        picker.clearLog();
        f.deadline(2, 5_000);
        f.settle();
        assertEquals(-1, f.view().deadline(2), "a piece we have takes none");
        assertEquals(List.of(), picker.news());
    }

    // ---------------------------------------------------------------- helpers

    /** The picker offers {@code piece}, then the fixture downloads it from {@code from}. */
    private void download(Peer from, int piece, boolean good) throws Exception {
        picker.offer(piece);
        try {
            f.download(from, piece, good);
        } finally {
            picker.offer();
        }
    }

    /** Every piece named by news of {@code kind} since the log was last cleared. */
    private Set<Integer> heard(String kind) {
        Set<Integer> out = new TreeSet<>();
        for (String line : picker.news()) {
            if (line.startsWith(kind + " [")) {
                String list = line.substring(kind.length() + 2, line.length() - 1);
                for (String n : list.split(", ")) {
                    if (!n.isEmpty()) {
                        out.add(Integer.parseInt(n));
                    }
                }
            }
        }
        return out;
    }

    private void assertAvailability(int... expected) {
        assertEquals(IntStream.of(expected).boxed().toList(),
                IntStream.range(0, PIECES).map(f.view()::availability).boxed().toList(), "availability");
    }

    private void assertPriorities(int... expected) {
        TorrentView v = f.view();
        assertEquals(IntStream.of(expected).boxed().toList(), IntStream.range(0, PIECES).map(v::priority).boxed()
                .toList(), "priorities");
        for (int p = 0; p < PIECES; p++) {
            assertEquals(expected[p] > 0 && !v.have().contains(p), v.wanted().contains(p), "wanted " + p);
        }
    }
}
