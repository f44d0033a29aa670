package org.stampede.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.TorrentCreator;

/** The GUI's client session: the list of torrents survives a restart, pause and remove do what they say. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientSessionTest {
    @TempDir
    Path dir;

    private ClientSession open() throws Exception {
        EngineSettings s = EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 0)
                .withStrategies("in-order", "unchoke-all", "unchoke-all");
        return new ClientSession(TestEngines.factory(e -> {
        }), s, dir.resolve("data"), dir.resolve("downloads"));
    }

    /** A torrent of one file already in the download folder, so it seeds at once. */
    private Path seedable(String name) throws Exception {
        Path file = dir.resolve("downloads").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] data = new byte[200_000];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(file, data);
        Path torrent = dir.resolve(name + ".torrent");
        Files.write(torrent, TorrentCreator.forSource(file).pieceLength(32 * 1024).creationDate(null).create());
        return torrent;
    }

    @Test
    void aRestartReopensTheTorrentsKeepingPausedOnesPaused() throws Exception {
        Path a = seedable("a.bin");
        Path b = seedable("b.bin");
        String hashA;
        String hashB;
        try (ClientSession s = open()) {
            hashA = s.add(a, null).infoHash();
            hashB = s.add(b, null).infoHash();
            s.pause(hashB).get(30, TimeUnit.SECONDS);
        }
        Files.delete(a); // the session keeps its own copy of each .torrent
        try (ClientSession s = open()) {
            assertEquals(2, s.torrents().size());
            assertEquals(hashA, s.torrents().get(0).infoHash());
            assertFalse(s.get(hashA).paused());
            assertTrue(s.get(hashB).paused());
            s.get(hashA).handle().checked().get(30, TimeUnit.SECONDS);
            assertEquals(TorrentStatus.State.SEEDING, s.get(hashA).handle().status().state());
        }
    }

    @Test
    void pauseKeepsTheTorrentInTheEngineWithWhatItHasAndResumeGoesOnWithoutARecheck() throws Exception {
        Path a = seedable("a.bin");
        try (ClientSession s = open()) {
            String hash = s.add(a, null).infoHash();
            TorrentHandle h = s.get(hash).handle();
            h.checked().get(30, TimeUnit.SECONDS);
            s.pause(hash).get(30, TimeUnit.SECONDS);
            assertTrue(s.get(hash).paused());
            assertEquals(1, s.engine().torrents().size(), "the engine keeps a paused torrent");
            assertEquals(TorrentStatus.State.PAUSED, h.status().state());
            assertEquals(1.0, h.status().progress(), "a paused seed still shows all it has");
            s.resume(hash);
            assertFalse(s.get(hash).paused());
            assertEquals(h, s.get(hash).handle(), "the same torrent goes on");
            assertEquals(TorrentStatus.State.SEEDING, h.status().state(), "no recheck: seeding at once");
        }
    }

    @Test
    void removeWithDataDeletesTheTorrentsFileAndForgetsIt() throws Exception {
        Path a = seedable("a.bin");
        try (ClientSession s = open()) {
            String hash = s.add(a, null).infoHash();
            s.get(hash).handle().checked().get(30, TimeUnit.SECONDS);
            s.remove(hash, true).get(30, TimeUnit.SECONDS);
            assertNull(s.get(hash));
            assertTrue(s.engine().torrents().isEmpty());
            assertFalse(Files.exists(dir.resolve("downloads/a.bin")));
        }
        try (ClientSession s = open()) {
            assertTrue(s.torrents().isEmpty(), "removed torrents stay removed");
        }
    }

    @Test
    void removeWithoutDataKeepsTheFiles() throws Exception {
        Path a = seedable("a.bin");
        try (ClientSession s = open()) {
            String hash = s.add(a, null).infoHash();
            s.remove(hash, false).get(30, TimeUnit.SECONDS);
            assertTrue(Files.exists(dir.resolve("downloads/a.bin")));
        }
    }

    @Test
    void aWellFormedMagnetIsRefusedWithTheReason() throws Exception {
        try (ClientSession s = open()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> s.addMagnet("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"));
            assertTrue(e.getMessage().contains("BEP 9"), e.getMessage());
        }
    }

    @Test
    void aMalformedMagnetIsRefusedAsMalformed() throws Exception {
        try (ClientSession s = open()) {
            assertThrows(MetainfoException.class, () -> s.addMagnet("magnet:?xt=urn:btih:nothex"));
        }
    }

    @Test
    void theFirstTorrentAddedIsSelected() throws Exception {
        Path a = seedable("a.bin");
        try (ClientSession s = open()) {
            assertNull(s.selected());
            String hash = s.add(a, null).infoHash();
            assertEquals(hash, s.selected().infoHash());
        }
    }
}
