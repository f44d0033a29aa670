package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * Strategy code runs on the engine's strategy threads only, never on a transport, disk or timer thread; a picker
 * that does not return stalls its own torrent alone, whose status says so, while another torrent of the same engine
 * downloads over the same transport; once the call returns, the stalled torrent goes on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StrategyIsolationTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        StrategyHost.hungStrategyMillis = 10_000;
    }

    private Torrent torrent(String name, byte[] content) throws Exception {
        Path data = dir.resolve("seed/" + name);
        Files.createDirectories(data.getParent());
        Files.write(data, content);
        return Torrent.parse(TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(64 * 1024)
                .creationDate(null).create());
    }

    @Test
    void aPickerThatHangsStallsOnlyItsOwnTorrentWhichSaysSoAndGoesOnOnceItReturns() throws Exception {
        StrategyHost.hungStrategyMillis = 300;
        byte[] a = new byte[4 * 1024 * 1024];
        byte[] b = new byte[4 * 1024 * 1024];
        new Random(31).nextBytes(a);
        new Random(32).nextBytes(b);
        Torrent ta = torrent("a.bin", a);
        Torrent tb = torrent("b.bin", b);

        Set<String> pickThreads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hanging = new AtomicBoolean();
        StrategyRegistry strategies = TestStrategies.registry();
        PiecePickerFactory hangsOnce = t -> {
            TestStrategies.InOrder inOrder = new TestStrategies.InOrder();
            return (torrent, peer, out) -> {
                pickThreads.add(Thread.currentThread().getName());
                if (hanging.compareAndSet(false, true)) {
                    try {
                        release.await(100, TimeUnit.SECONDS); // "forever", as far as this test goes
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                inOrder.pick(torrent, peer, out);
            };
        };
        PiecePickerFactory recording = t -> {
            TestStrategies.InOrder inOrder = new TestStrategies.InOrder();
            return (torrent, peer, out) -> {
                pickThreads.add(Thread.currentThread().getName());
                inOrder.pick(torrent, peer, out);
            };
        };
        strategies.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "hangs-once", hangsOnce, "test", "0", "test"));
        strategies.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "recording", recording, "test", "0", "test"));

        try (EngineImpl seeder = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s1")),
                TestStrategies.registry(), u -> null);
                EngineImpl leecher = TestEngines.create(LoopbackSwarmTest.settings(dir.resolve("s2")), strategies,
                        u -> null)) {
            seeder.add(ta, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            seeder.add(tb, dir.resolve("seed"), AddOptions.defaults()).checked().get(30, TimeUnit.SECONDS);
            TorrentHandle ha = leecher.add(ta, dir.resolve("leech"),
                    AddOptions.defaults().withStrategies("hangs-once", "unchoke-all"));
            TorrentHandle hb = leecher.add(tb, dir.resolve("leech"),
                    AddOptions.defaults().withStrategies("recording", "unchoke-all"));
            ha.checked().get(30, TimeUnit.SECONDS);
            hb.checked().get(30, TimeUnit.SECONDS);
            ha.connect(seeder.listenAddress());
            Waits.await(hanging::get, "the picker of a.bin hangs");
            hb.connect(seeder.listenAddress());

            hb.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(b, Files.readAllBytes(dir.resolve("leech/b.bin")));
            Waits.await(() -> {
                String error = ha.status().error(); // answers, though a.bin's lock is held by the hung call
                return error != null && error.contains("has not returned");
            }, "a.bin's status names the hung picker: " + ha.status());
            assertFalse(ha.completion().isDone());

            release.countDown();
            ha.completion().get(60, TimeUnit.SECONDS);
            assertArrayEquals(a, Files.readAllBytes(dir.resolve("leech/a.bin")));
        }
        assertFalse(pickThreads.isEmpty());
        assertTrue(pickThreads.stream().allMatch(n -> n.startsWith("stampede-strategy")),
                "strategies were called on other threads: " + pickThreads);
    }
}
