package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.BlockRequests;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.PieceSet;
import org.stampede.api.StrategyKind;
import org.stampede.api.TorrentView;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * A picker's news in a real download between two engines over loopback: every call comes on the engine's strategy
 * threads, never on the network thread that read the message, nor on the disk thread that checked the piece nor the
 * caller of {@code TorrentHandle}; the seed's bitfield (a have-all) is one call naming every piece; each piece is told
 * verified once; and at every pick the availability the picker has heard equals the view's.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PickerNewsTest {
    @TempDir
    Path dir;

    /** The engine's in-order test picker, hearing and checking its news. */
    private static final class Listening implements PiecePicker {
        final TestStrategies.InOrder inOrder = new TestStrategies.InOrder();
        final List<String> threads = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<String> broken = new ArrayList<>();
        final int[] availability;
        final BitSet verified = new BitSet();

        Listening(TorrentView t) {
            availability = new int[t.pieceCount()];
            for (int p = 0; p < availability.length; p++) {
                availability[p] = t.availability(p);
            }
        }

        private synchronized void on(String what) {
            threads.add(Thread.currentThread().getName());
            log.add(what);
        }

        @Override
        public synchronized void pick(TorrentView t, PeerView peer, BlockRequests out) {
            threads.add(Thread.currentThread().getName());
            for (int p = 0; p < availability.length; p++) {
                if (availability[p] != t.availability(p)) {
                    broken.add("at a pick, piece " + p + " has availability " + t.availability(p) + ", heard "
                            + availability[p]);
                }
            }
            inOrder.pick(t, peer, out);
        }

        @Override
        public synchronized void pieceVerified(TorrentView t, int piece) {
            on("verified " + piece);
            if (verified.get(piece)) {
                broken.add("piece " + piece + " told verified twice");
            }
            verified.set(piece);
        }

        @Override
        public synchronized void availabilityChanged(TorrentView t, PieceSet pieces) {
            on("availability " + pieces.count());
            for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
                availability[p] = t.availability(p);
            }
        }

        @Override
        public synchronized void priorityChanged(TorrentView t, PieceSet pieces) {
            on("priority " + pieces.count());
        }

        @Override
        public synchronized void deadlineChanged(TorrentView t, PieceSet pieces) {
            on("deadline " + pieces.count());
        }
    }

    @Test
    void newsComesOnTheStrategyThreadsBatchedAndBeforeEachPick() throws Exception {
        byte[] content = new byte[64 * 64 * 1024];
        new Random(41).nextBytes(content);
        Path file = dir.resolve("seed/news.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(file).version(Torrent.Version.V1)
                .pieceLength(64 * 1024).creationDate(null).create());

        List<Listening> made = new ArrayList<>();
        PiecePickerFactory factory = t -> {
            Listening l = new Listening(t);
            synchronized (made) {
                made.add(l);
            }
            return l;
        };
        StrategyRegistry strategies = TestStrategies.registry();
        strategies.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "listening", factory, "test", "0", "test"));
        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")), strategies,
                        u -> null)) {
            seeder.add(torrent, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(torrent, dir.resolve("leech"),
                    AddOptions.defaults().withStrategies("listening", "unchoke-all"));
            h.checked().get(30, TimeUnit.SECONDS);
            Listening picker;
            synchronized (made) {
                assertEquals(1, made.size());
                picker = made.get(0);
            }
            h.setPieceDeadline(63, 60_000); // from this thread: told on a strategy thread
            h.setPiecePriority(62, 5);
            Waits.await(() -> {
                synchronized (picker) {
                    return picker.log.contains("deadline 1") && picker.log.contains("priority 1");
                }
            }, "the deadline and the priority are told");
            h.connect(seeder.listenAddress());
            h.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("leech/news.bin")));
            synchronized (picker) {
                assertEquals(List.of(), picker.broken);
                assertTrue(picker.threads.stream().allMatch(n -> n.startsWith("stampede-strategy")),
                        "news and picks on other threads: " + picker.threads);
                assertTrue(picker.log.contains("availability 64"), "the seed's have-all is one call: " + picker.log);
                assertEquals(64, picker.verified.cardinality(), picker.log.toString());
            }
        }
    }
}
