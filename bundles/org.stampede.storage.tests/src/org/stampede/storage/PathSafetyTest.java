package org.stampede.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;

/** Nothing is written, or read for a peer, outside the download folder. */
class PathSafetyTest {

    @TempDir
    Path work;
    Path download;
    Path outside;
    DiskIo io;

    @BeforeEach
    void setUp() throws IOException {
        download = work.resolve("dl");
        outside = Files.createDirectories(work.resolve("outside"));
        io = new DiskIo();
    }

    @AfterEach
    void tearDown() {
        io.close();
    }

    /** A v1 torrent with 16 KiB pieces of the given files (raw path components), each filled with its index. */
    private static byte[] hostileTorrent(String name, List<List<String>> paths, int length) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] stream = new byte[paths.size() * length];
        List<BValue> files = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            java.util.Arrays.fill(stream, i * length, (i + 1) * length, (byte) (i + 1));
            List<BValue> comps = new ArrayList<>();
            for (String c : paths.get(i)) {
                comps.add(BString.of(c.getBytes(StandardCharsets.UTF_8)));
            }
            files.add(BDict.builder().put("length", length).put("path", BList.of(comps)).build());
        }
        ByteBuffer hashes = ByteBuffer.allocate((stream.length + 16383) / 16384 * 20);
        for (int off = 0; off < stream.length; off += 16384) {
            sha1.update(stream, off, Math.min(16384, stream.length - off));
            hashes.put(sha1.digest());
        }
        BDict info = BDict.builder().put("name", name).put("piece length", 16384).put("files", BList.of(files))
                .put("pieces", hashes.array()).build();
        return BencodeEncoder.encode(BDict.builder().put("info", info).build());
    }

    @Test
    void parserRejectsAPathThatClimbsOut() throws Exception {
        byte[] torrent = hostileTorrent("evil", List.of(List.of("ok.txt"), List.of("..", "..", "escape.txt")), 100);
        MetainfoException e = assertThrows(MetainfoException.class, () -> Torrent.parse(torrent));
        assertTrue(e.getMessage().contains(".."), e.getMessage());
    }

    @Test
    void parserRejectsAnAbsolutePath() throws Exception {
        byte[] torrent = hostileTorrent("evil", List.of(List.of("/etc/passwd")), 100);
        assertThrows(MetainfoException.class, () -> Torrent.parse(torrent));
    }

    @Test
    void parserRejectsATorrentNamedDotDot() throws Exception {
        byte[] torrent = hostileTorrent("..", List.of(List.of("a.txt")), 100);
        assertThrows(MetainfoException.class, () -> Torrent.parse(torrent));
    }

    @Test
    void sanitisedHostileNamesAreWrittenInsideTheDownloadFolder() throws Exception {
        List<List<String>> paths = List.of(List.of("..\\..\\win.txt"), List.of("C:", "drive.txt"),
                List.of("CON"), List.of(".", "", "dots.txt"), List.of("a\u202Etxt.exe"));
        Torrent t = Torrent.parse(hostileTorrent("hostile", paths, 5000));
        try (FileStorage s = FileStorage.open(t, download, io)) {
            byte[] all = new byte[5000 * paths.size()];
            for (int i = 0; i < paths.size(); i++) {
                java.util.Arrays.fill(all, i * 5000, (i + 1) * 5000, (byte) (i + 1));
            }
            for (int p = 0; p < t.pieceCount(); p++) {
                int start = p * 16384;
                Fixtures.writePiece(s, p, java.util.Arrays.copyOfRange(all, start, start + s.pieceSize(p)));
                assertTrue(Fixtures.await(s.verifyPiece(p)));
            }
        }
        List<String> created = new ArrayList<>();
        try (var walk = Files.walk(work)) {
            walk.filter(Files::isRegularFile).forEach(p -> created.add(p.toString()));
        }
        assertEquals(paths.size(), created.size(), "one file per torrent file: " + created);
        for (String c : created) {
            assertTrue(Path.of(c).startsWith(download.resolve("hostile")), c + " lies in the torrent's folder");
        }
    }

    @Test
    void storageRefusesComponentsThatAreNotPlainNames() {
        Path base = download.toAbsolutePath();
        for (List<String> bad : List.of(List.of("..", "x"), List.of("a", ".."), List.of("/etc", "passwd"),
                List.of("a/../../b"), List.<String>of())) {
            assertThrows(StorageException.class, () -> FileStorage.resolveUnder(base, bad), bad.toString());
        }
    }

    @Test
    void writeThroughAFolderLinkLeadingOutsideIsRefused() throws Exception {
        Path src = work.resolve("src");
        Fixtures.randomFile(src.resolve("deep/sub/x.bin"), 20_000, 1);
        Fixtures.randomFile(src.resolve("deep/y.bin"), 20_000, 2);
        Torrent t = Fixtures.torrent(src.resolve("deep"), Torrent.Version.V2, 16 * 1024);
        Files.createDirectories(download.resolve("deep"));
        Files.createSymbolicLink(download.resolve("deep/sub"), outside);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            int x = Fixtures.fileIndex(t, "sub/x.bin");
            int piece = Fixtures.piecesOf(t, x).get(0);
            Throwable e = Fixtures.failure(s.writeBlock(piece, 0, ByteBuffer.allocate(100)));
            assertInstanceOf(StorageException.class, e);
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
            assertTrue(Fixtures.failure(s.readBlock(piece, 0, 100)) instanceof IOException);
        }
        try (var list = Files.list(outside)) {
            assertEquals(0, list.count(), "nothing was created outside");
        }
    }

    @Test
    void writeThroughTheTorrentFolderBeingALinkOutsideIsRefused() throws Exception {
        Path src = work.resolve("src");
        Fixtures.mixedSet(src);
        Torrent t = Fixtures.torrent(src.resolve("set"), Torrent.Version.V1, 16 * 1024);
        Files.createDirectories(download);
        Files.createSymbolicLink(download.resolve("set"), outside);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertInstanceOf(StorageException.class, Fixtures.failure(s.writeBlock(0, 0, ByteBuffer.allocate(10))));
        }
        try (var list = Files.list(outside)) {
            assertEquals(0, list.count());
        }
    }

    @Test
    void fileThatIsALinkIsNeitherWrittenNorReadThrough() throws Exception {
        Path src = work.resolve("src");
        Fixtures.mixedSet(src);
        Torrent t = Fixtures.torrent(src.resolve("set"), Torrent.Version.V1, 16 * 1024);
        Path secret = outside.resolve("secret");
        byte[] secretBytes = "top secret".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Files.write(secret, secretBytes);
        Files.createDirectories(download.resolve("set"));
        Files.createSymbolicLink(download.resolve("set/a.bin"), secret);
        try (FileStorage s = FileStorage.open(t, download, io)) {
            assertTrue(Fixtures.failure(s.writeBlock(0, 0, ByteBuffer.allocate(10))) instanceof IOException);
            assertTrue(Fixtures.failure(s.readBlock(0, 0, 100)) instanceof IOException);
        }
        assertArrayEquals(secretBytes, Files.readAllBytes(secret));
    }

    @Test
    void downloadFolderMayItselfBeALink() throws Exception {
        Path src = work.resolve("src");
        Fixtures.mixedSet(src);
        Torrent t = Fixtures.torrent(src.resolve("set"), Torrent.Version.V1, 16 * 1024);
        Path real = Files.createDirectories(work.resolve("real"));
        Path link = Files.createSymbolicLink(work.resolve("link"), real);
        try (FileStorage s = FileStorage.open(t, link, io)) {
            Fixtures.writeAll(s, t, src);
        }
        Fixtures.assertSameBytes(src.resolve("set/c.bin"), real.resolve("set/c.bin"));
        assertFalse(Files.exists(outside.resolve("set")));
    }
}
