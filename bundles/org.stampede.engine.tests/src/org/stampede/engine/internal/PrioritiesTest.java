package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.BlockState;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.wire.Message;

/**
 * File priorities 0 to 7, piece priorities and piece deadlines reach the view every picker reads as they are set
 * (not collapsed to wanted or not), and a time-critical block is asked of a second peer, the slower copy cancelled.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrioritiesTest {
    @TempDir
    Path dir;

    /** Two files, piece-aligned (hybrid): a.bin 4 pieces, b.bin 2 pieces, of 64 KiB. */
    private Torrent twoFiles() throws Exception {
        Path set = dir.resolve("seed/set");
        Files.createDirectories(set);
        Random r = new Random(5);
        byte[] a = new byte[4 * 64 * 1024];
        byte[] b = new byte[2 * 64 * 1024 - 100];
        r.nextBytes(a);
        r.nextBytes(b);
        Files.write(set.resolve("a.bin"), a);
        Files.write(set.resolve("b.bin"), b);
        return Torrent.parse(TorrentCreator.forSource(set).version(Torrent.Version.HYBRID).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    private static int file(Torrent t, String name) {
        for (int i = 0; i < t.files().size(); i++) {
            if (t.files().get(i).path().get(t.files().get(i).path().size() - 1).equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    private static List<Integer> priorities(ManagedTorrent h) {
        return java.util.stream.IntStream.range(0, h.torrent().pieceCount()).map(h.session.state::priority).boxed()
                .toList();
    }

    @Test
    void filePrioritiesOneToSevenAndPiecePrioritiesReachThePickersViewAsSet() throws Exception {
        Torrent t = twoFiles();
        try (EngineImpl engine = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s")),
                TestStrategies.registry(), u -> null)) {
            ManagedTorrent h = (ManagedTorrent) engine.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(1, 1, 1, 1, 1, 1), priorities(h));
            h.setFilePriority(file(t, "a.bin"), 7);
            h.setFilePriority(file(t, "b.bin"), 3);
            assertEquals(List.of(7, 7, 7, 7, 3, 3), priorities(h), "file priorities are not collapsed to 0/1");
            h.setPiecePriority(1, 2);
            h.setPiecePriority(5, 0);
            assertEquals(List.of(7, 2, 7, 7, 3, 0), priorities(h), "a piece's own priority wins over its file's");
            assertEquals(0, h.piecePriority(5));
            assertFalse(h.session.state.wanted().contains(5), "priority 0: not wanted");
            assertEquals(5, h.status().wanted());
            h.setPiecePriority(5, -1);
            assertEquals(3, h.piecePriority(5), "back to its file's");
            h.setFilePriority(file(t, "b.bin"), 0);
            assertEquals(List.of(7, 2, 7, 7, 0, 0), priorities(h));
            assertEquals(4, h.status().wanted());
            h.setPiecePriority(4, 6);
            assertEquals(0, h.piecePriority(4), "a piece whose files are all skipped stays skipped");
            h.setFilePriority(file(t, "b.bin"), 1);
            assertEquals(List.of(7, 2, 7, 7, 6, 1), priorities(h), "its own priority counts once its file is wanted");
            assertThrows(IllegalArgumentException.class, () -> h.setPiecePriority(6, 1));
            assertThrows(IllegalArgumentException.class, () -> h.setPiecePriority(0, 8));
            assertThrows(IllegalArgumentException.class, () -> h.setPieceDeadline(-1, 10));
        }
    }

    @Test
    void aDeadlineIsSeenCountingDownAndClearedWhenThePieceIsVerified() throws Exception {
        Torrent t = twoFiles();
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")),
                        TestStrategies.registry(), u -> null)) {
            seeder.add(t, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            ManagedTorrent h = (ManagedTorrent) leecher.add(t, dir.resolve("leech"), AddOptions.defaults());
            h.checked().get(30, TimeUnit.SECONDS);
            assertEquals(-1, h.session.state.deadline(3), "none set");
            h.setPieceDeadline(3, 60_000);
            long left = h.session.state.deadline(3);
            assertTrue(left > 50_000 && left <= 60_000, "counts down from 60 s: " + left);
            h.setPieceDeadline(3, -1);
            assertEquals(-1, h.session.state.deadline(3), "cleared");
            h.setPieceDeadline(2, 0);
            assertEquals(0, h.session.state.deadline(2), "due now");
            h.connect(seeder.listenAddress());
            h.completion().get(30, TimeUnit.SECONDS);
            assertEquals(-1, h.session.state.deadline(2), "a verified piece keeps no deadline");
        }
    }

    /** A picker that offers every block not yet received, requested or not: the engine decides what is asked. */
    private static StrategyRegistry everyMissingBlock() {
        return TestStrategies.withBlockPicker("every-missing", s -> s != BlockState.RECEIVED);
    }

    @Test
    void aTimeCriticalBlockIsAskedOfASecondPeerAndTheSlowerCopyIsCancelled() throws Exception {
        try (ScriptedSession s = new ScriptedSession(dir, 16 * 1024, 40, everyMissingBlock(),
                AddOptions.defaults().withStrategies("every-missing", "unchoke-all"))) {
            ScriptedSession.Peer first = s.peer("127.0.0.21", false);
            ScriptedSession.Peer second = s.peer("127.0.0.22", false);
            first.unchoke();
            List<Message.Request> askedFirst = first.requests();
            assertTrue(askedFirst.stream().anyMatch(r -> r.index() == 0), askedFirst::toString);
            assertFalse(s.session.state.endgame(), "far from the endgame");

            s.session.setDeadline(0, 0); // piece 0 is due: time-critical
            second.unchoke();
            List<Message.Request> askedSecond = second.requests();
            assertTrue(askedSecond.stream().anyMatch(r -> r.index() == 0),
                    "the time-critical block is asked again: " + askedSecond);
            assertTrue(askedSecond.stream().noneMatch(r -> r.index() == 1),
                    "a block without a deadline is not asked twice: " + askedSecond);

            first.answer(askedFirst.stream().filter(r -> r.index() == 0).findFirst().orElseThrow());
            assertTrue(second.channel.sent.stream().anyMatch(m -> m instanceof Message.Cancel c && c.index() == 0),
                    "the slower copy is cancelled");
        }
    }
}
