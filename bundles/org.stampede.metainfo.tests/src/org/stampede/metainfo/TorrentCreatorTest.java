package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.metainfo.Torrents.KIB16;
import static org.stampede.metainfo.Torrents.concat;
import static org.stampede.metainfo.Torrents.content;
import static org.stampede.metainfo.Torrents.pieceLayer;
import static org.stampede.metainfo.Torrents.piecesRoot;
import static org.stampede.metainfo.Torrents.v1Pieces;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;

/** Torrents made by {@link TorrentCreator}, read back with {@link Torrent#parse} and checked against the data. */
class TorrentCreatorTest {
    private static final Torrent.Version V1 = Torrent.Version.V1;
    private static final Torrent.Version V2 = Torrent.Version.V2;
    private static final Torrent.Version HYBRID = Torrent.Version.HYBRID;

    @TempDir
    Path tmp;

    private Path write(String relative, byte[] data) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return p;
    }

    private static TorrentCreator creator(Path source, Torrent.Version v) {
        return TorrentCreator.forSource(source).version(v).pieceLength(KIB16).creationDate(null).threads(2);
    }

    private static Torrent make(Path source, Torrent.Version v) throws Exception {
        return Torrent.parse(creator(source, v).create());
    }

    /** A folder "multi" with files whose component order differs from plain string order. */
    private Path folder() throws IOException {
        write("multi/b.txt", content(5_000, 1));
        write("multi/a.txt", content(40_000, 2));
        write("multi/a/z.bin", content(16_384, 3));
        write("multi/a/b/c", content(1, 4));
        return tmp.resolve("multi");
    }

    /** The folder's files in component order. */
    private static final List<String> ORDER = List.of("a/b/c", "a/z.bin", "a.txt", "b.txt");

    private byte[] read(String rel) throws IOException {
        return Files.readAllBytes(tmp.resolve("multi").resolve(rel));
    }

    private static List<String> paths(Torrent t) {
        return t.files().stream().map(TorrentFile::displayPath).toList();
    }

    private static List<String> realPaths(Torrent t) {
        return t.files().stream().filter(f -> !f.padding()).map(TorrentFile::displayPath).toList();
    }

    private static byte[] allV1Hashes(Torrent t) {
        byte[] out = new byte[t.pieceCount() * 20];
        for (int i = 0; i < t.pieceCount(); i++) {
            System.arraycopy(t.pieceHashV1(i), 0, out, i * 20, 20);
        }
        return out;
    }

    private static BDict decode(byte[] torrent) {
        return (BDict) BencodeDecoder.strict().decode(torrent);
    }

    // ---------------------------------------------------------------- v1

    @Test
    void v1SingleFileRoundTrips() throws Exception {
        Path f = write("movie.mkv", content(40_000, 7));
        Torrent t = make(f, V1);
        assertEquals(V1, t.version());
        assertTrue(t.isSingleFile());
        assertEquals("movie.mkv", t.name());
        assertEquals(List.of("movie.mkv"), paths(t));
        assertEquals(40_000, t.totalLength());
        assertEquals(3, t.pieceCount());
        assertEquals(KIB16, t.pieceLength());
    }

    @Test
    void v1SingleFilePieceHashesAreSha1OfTheData() throws Exception {
        byte[] d = content(40_000, 7);
        Torrent t = make(write("x.bin", d), V1);
        assertArrayEquals(v1Pieces(d, KIB16), allV1Hashes(t));
    }

    @Test
    void v1MultiFileRoundTripsInComponentOrder() throws Exception {
        Torrent t = make(folder(), V1);
        assertEquals(V1, t.version());
        assertFalse(t.isSingleFile());
        assertEquals("multi", t.name());
        assertEquals(ORDER, paths(t));
        assertEquals(61_385, t.totalLength());
        assertEquals(4, t.pieceCount()); // ceil(61385 / 16384), no padding in v1
    }

    @Test
    void v1MultiFileHasNoPaddingAndContiguousOffsets() throws Exception {
        Torrent t = make(folder(), V1);
        assertTrue(t.files().stream().noneMatch(TorrentFile::padding));
        assertEquals(List.of(0L, 1L, 16_385L, 56_385L), t.files().stream().map(TorrentFile::offset).toList());
    }

    @Test
    void v1MultiFilePieceHashesAreSha1OfTheConcatenatedFiles() throws Exception {
        Path dir = folder();
        Torrent t = make(dir, V1);
        byte[] stream = concat(read("a/b/c"), read("a/z.bin"), read("a.txt"), read("b.txt"));
        assertArrayEquals(v1Pieces(stream, KIB16), allV1Hashes(t));
    }

    // ---------------------------------------------------------------- v2

    @Test
    void v2SingleFileRoundTrips() throws Exception {
        byte[] d = content(40_000, 8);
        Torrent t = make(write("one.bin", d), V2);
        assertEquals(V2, t.version());
        assertTrue(t.isSingleFile());
        assertEquals(List.of("one.bin"), paths(t));
        assertEquals(3, t.pieceCount());
        assertNull(t.infoHashV1());
    }

    @Test
    void v2PiecesRootOfASinglePieceFileIsTheNaiveMerkleRoot() throws Exception {
        byte[] d = content(40_000, 9); // 3 blocks, padded to 4 leaves, in one 64 KiB piece
        Torrent t = Torrent.parse(creator(write("p.bin", d), V2).pieceLength(4 * KIB16).create());
        assertEquals(1, t.pieceCount());
        assertArrayEquals(piecesRoot(d), t.files().get(0).piecesRoot());
    }

    @Test
    void v2PiecesRootOfASmallFileIsTheHashOfItsOnlyBlock() throws Exception {
        byte[] d = content(1000, 10);
        Torrent t = make(write("s.bin", d), V2);
        assertArrayEquals(Torrents.sha256(d), t.files().get(0).piecesRoot());
    }

    @Test
    void v2PiecesRootOfAMultiPieceFileIsTheNaiveMerkleRoot() throws Exception {
        byte[] d = content(5 * KIB16 + 1234, 11); // 6 blocks, 3 pieces of 32 KiB, tree of 8 leaves
        byte[] torrent = creator(write("m.bin", d), V2).pieceLength(2 * KIB16).create();
        Torrent t = Torrent.parse(torrent);
        assertEquals(3, t.pieceCount());
        assertArrayEquals(piecesRoot(d), t.files().get(0).piecesRoot());
    }

    @Test
    void v2PieceLayerOfAMultiPieceFileIsTheNaiveLayer() throws Exception {
        byte[] d = content(5 * KIB16 + 1234, 11);
        byte[] torrent = creator(write("m.bin", d), V2).pieceLength(2 * KIB16).create();
        BDict layers = decode(torrent).getDict("piece layers");
        assertEquals(1, layers.size());
        assertArrayEquals(pieceLayer(d, 2 * KIB16), ((BString) layers.get(BString.of(piecesRoot(d)))).bytes());
    }

    @Test
    void v2MultiFileRoundTripsWithPieceAlignedOffsets() throws Exception {
        Torrent t = make(folder(), V2);
        assertEquals(V2, t.version());
        assertEquals(ORDER, paths(t));
        assertEquals(List.of(0L, (long) KIB16, 2L * KIB16, 5L * KIB16),
                t.files().stream().map(TorrentFile::offset).toList());
        assertEquals(1 + 1 + 3 + 1, t.pieceCount());
        assertEquals(61_385, t.totalLength());
    }

    @Test
    void v2MultiFilePiecesRootsMatchTheData() throws Exception {
        Torrent t = make(folder(), V2);
        for (TorrentFile f : t.files()) {
            assertArrayEquals(piecesRoot(read(f.displayPath())), f.piecesRoot(), f.displayPath());
        }
    }

    @Test
    void identicalMultiPieceFilesShareOnePieceLayer() throws Exception {
        byte[] d = content(3 * KIB16, 12);
        write("twins/a", d);
        write("twins/b", d);
        byte[] torrent = creator(tmp.resolve("twins"), V2).create();
        Torrent t = Torrent.parse(torrent);
        assertArrayEquals(t.files().get(0).piecesRoot(), t.files().get(1).piecesRoot());
        assertEquals(1, decode(torrent).getDict("piece layers").size());
    }

    // ---------------------------------------------------------------- hybrid

    @Test
    void hybridSingleFileRoundTrips() throws Exception {
        byte[] d = content(40_000, 13);
        Torrent t = make(write("h.bin", d), HYBRID);
        assertEquals(HYBRID, t.version());
        assertTrue(t.isSingleFile());
        assertEquals(List.of("h.bin"), paths(t));
        assertArrayEquals(v1Pieces(d, KIB16), allV1Hashes(t));
        assertArrayEquals(piecesRoot(d), t.files().get(0).piecesRoot());
    }

    @Test
    void hybridMultiFilePutsPadFilesBetweenFilesButNotAfterTheLast() throws Exception {
        Torrent t = make(folder(), HYBRID);
        assertEquals(HYBRID, t.version());
        int padAfterC = KIB16 - 1;
        int padAfterA = 3 * KIB16 - 40_000;
        assertEquals(List.of("a/b/c", ".pad/" + padAfterC, "a/z.bin", "a.txt", ".pad/" + padAfterA, "b.txt"),
                paths(t));
        assertFalse(t.files().getLast().padding());
        assertEquals(ORDER, realPaths(t));
    }

    @Test
    void hybridMultiFileOffsetsAreAlignedAndTotalLengthExcludesPadding() throws Exception {
        Torrent t = make(folder(), HYBRID);
        List<Long> offsets = t.files().stream().filter(f -> !f.padding()).map(TorrentFile::offset).toList();
        assertEquals(List.of(0L, (long) KIB16, 2L * KIB16, 5L * KIB16), offsets);
        assertEquals(61_385, t.totalLength());
        assertEquals(6, t.pieceCount());
    }

    @Test
    void hybridV1PieceHashesAreSha1OfTheZeroPaddedStream() throws Exception {
        Torrent t = make(folder(), HYBRID);
        byte[] stream = concat(read("a/b/c"), new byte[KIB16 - 1], read("a/z.bin"), read("a.txt"),
                new byte[3 * KIB16 - 40_000], read("b.txt"));
        assertArrayEquals(v1Pieces(stream, KIB16), allV1Hashes(t));
    }

    @Test
    void hybridFilesCarryTheirPiecesRoots() throws Exception {
        Torrent t = make(folder(), HYBRID);
        for (TorrentFile f : t.files()) {
            if (f.padding()) {
                assertNull(f.piecesRoot());
            } else {
                assertArrayEquals(piecesRoot(read(f.displayPath())), f.piecesRoot(), f.displayPath());
            }
        }
    }

    @Test
    void hybridSingleFileWhoseNameNeedsSanitisingRoundTrips() throws Exception {
        Torrent t = make(write("a:b.txt", content(100, 14)), HYBRID);
        assertEquals("a_b.txt", t.name());
    }

    // ---------------------------------------------------------------- empty files

    @Test
    void emptyFilesAreIncludedWithoutPiecesRootAndKeepAlignment() throws Exception {
        write("e/a", content(100, 15));
        write("e/b", new byte[0]);
        write("e/c", content(100, 16));
        Torrent t = make(tmp.resolve("e"), HYBRID);
        assertEquals(List.of("a", ".pad/" + (KIB16 - 100), "b", "c"), paths(t));
        TorrentFile b = t.files().get(2);
        assertEquals(0, b.length());
        assertNull(b.piecesRoot());
        assertEquals(KIB16, b.offset());
        assertEquals(KIB16, t.files().get(3).offset());
        assertEquals(2, t.pieceCount());
    }

    @Test
    void emptyFilesAtTheStartAndEndRoundTripInV2() throws Exception {
        write("e2/0", new byte[0]);
        write("e2/m", content(20_000, 17));
        write("e2/z", new byte[0]);
        Torrent t = make(tmp.resolve("e2"), V2);
        assertEquals(List.of("0", "m", "z"), paths(t));
        assertNull(t.files().get(0).piecesRoot());
        assertNull(t.files().get(2).piecesRoot());
        assertEquals(2, t.pieceCount());
    }

    @Test
    void emptyFilesAtTheStartAndEndRoundTripInHybrid() throws Exception {
        write("e3/0", new byte[0]);
        byte[] m = content(20_000, 18);
        write("e3/m", m);
        write("e3/z", new byte[0]);
        Torrent t = make(tmp.resolve("e3"), HYBRID);
        assertEquals(List.of("0", "m", "z"), realPaths(t));
        assertEquals(20_000, t.totalLength());
        assertArrayEquals(piecesRoot(m), t.files().get(1).piecesRoot());
    }

    // ---------------------------------------------------------------- attributes and metadata

    @Test
    void executableFilesGetAttributeX() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path x = write("exe/run.sh", content(10, 19));
        write("exe/data", content(10, 20));
        Files.setPosixFilePermissions(x, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp.resolve("exe/data"), PosixFilePermissions.fromString("rw-r--r--"));
        for (Torrent.Version v : Torrent.Version.values()) {
            Torrent t = make(tmp.resolve("exe"), v);
            List<TorrentFile> real = t.files().stream().filter(f -> !f.padding()).toList();
            assertEquals("data", real.get(0).displayPath());
            assertFalse(real.get(0).executable(), v::toString);
            assertTrue(real.get(1).executable(), v::toString);
        }
    }

    @Test
    void privateFlagIsWritten() throws Exception {
        Path f = write("p.bin", content(10, 21));
        assertTrue(Torrent.parse(creator(f, HYBRID).privateFlag(true).create()).isPrivate());
        assertFalse(Torrent.parse(creator(f, HYBRID).create()).isPrivate());
    }

    @Test
    void commentAndCreatedByAreWritten() throws Exception {
        Torrent t = Torrent.parse(creator(write("c.bin", content(10, 22)), V1).comment("hi there")
                .createdBy("test 1.0").create());
        assertEquals("hi there", t.comment());
        assertEquals("test 1.0", t.createdBy());
    }

    @Test
    void creationDateIsWrittenAndDefaultsToNow() throws Exception {
        Path f = write("d.bin", content(10, 23));
        assertEquals(1_234_567_890L, Torrent.parse(creator(f, V1).creationDate(1_234_567_890L).create())
                .creationDate());
        long before = System.currentTimeMillis() / 1000;
        Long date = Torrent.parse(TorrentCreator.forSource(f).create()).creationDate();
        assertTrue(date != null && date >= before - 1 && date <= System.currentTimeMillis() / 1000 + 1,
                String.valueOf(date));
        assertNull(Torrent.parse(creator(f, V1).create()).creationDate());
    }

    @Test
    void trackerTiersAreWritten() throws Exception {
        Torrent t = Torrent.parse(creator(write("t.bin", content(10, 24)), V1)
                .trackerTier(List.of("udp://a:1/announce", "http://b/announce")).tracker("https://c/announce")
                .create());
        assertEquals(List.of(List.of("udp://a:1/announce", "http://b/announce"), List.of("https://c/announce")),
                t.trackers());
    }

    @Test
    void aSingleTrackerIsWrittenAsAnnounceOnly() throws Exception {
        byte[] torrent = creator(write("t.bin", content(10, 25)), V1).tracker("http://t/announce").create();
        BDict root = decode(torrent);
        assertEquals("http://t/announce", root.getText("announce"));
        assertFalse(root.containsKey("announce-list"));
        assertEquals(List.of(List.of("http://t/announce")), Torrent.parse(torrent).trackers());
    }

    @Test
    void webSeedsAreWritten() throws Exception {
        Torrent one = Torrent.parse(creator(write("w.bin", content(10, 26)), V1).webSeed("http://m/w.bin").create());
        assertEquals(List.of("http://m/w.bin"), one.webSeeds());
        Torrent two = Torrent.parse(creator(folder(), V1).webSeed("http://m1/").webSeed("https://m2/x/").create());
        assertEquals(List.of("http://m1/", "https://m2/x/"), two.webSeeds());
    }

    @Test
    void outputIsCanonicalBencode() throws Exception {
        byte[] torrent = creator(folder(), HYBRID).tracker("http://t/a").comment("c").create();
        BValue v = BencodeDecoder.strict().decode(torrent); // throws on anything non-canonical
        assertArrayEquals(torrent, v.rawBytes());
    }

    // ---------------------------------------------------------------- determinism

    @Test
    void withoutCreationDateTwoRunsGiveIdenticalBytes() throws Exception {
        Path dir = folder();
        assertArrayEquals(creator(dir, HYBRID).create(), creator(dir, HYBRID).create());
    }

    @Test
    void oneAndFourThreadsGiveIdenticalBytes() throws Exception {
        write("many/a", content(100_000, 27));
        write("many/b", content(50_001, 28));
        write("many/c", content(3, 29));
        for (Torrent.Version v : Torrent.Version.values()) {
            Path dir = tmp.resolve("many");
            byte[] one = creator(dir, v).threads(1).create();
            byte[] four = creator(dir, v).threads(4).create();
            assertArrayEquals(one, four, v::toString);
        }
    }

    @Test
    void threadsBelowOneAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TorrentCreator.forSource(tmp).threads(0));
    }

    // ---------------------------------------------------------------- piece length

    @Test
    void autoPieceLengthKeepsAbout2048PiecesBetween16KiBAnd16MiB() {
        assertEquals(KIB16, TorrentCreator.autoPieceLength(1));
        assertEquals(KIB16, TorrentCreator.autoPieceLength(2048L * KIB16));
        assertEquals(2 * KIB16, TorrentCreator.autoPieceLength(2049L * KIB16));
        assertEquals(1L << 20, TorrentCreator.autoPieceLength(2048L << 20));
        assertEquals(16L << 20, TorrentCreator.autoPieceLength(1L << 40));
    }

    @Test
    void pieceLengthZeroChoosesAutomatically() throws Exception {
        Path f = write("auto.bin", content(10, 30));
        Torrent t = Torrent.parse(creator(f, HYBRID).pieceLength(0).create());
        assertEquals(TorrentCreator.autoPieceLength(10), t.pieceLength());
    }

    @Test
    void badPieceLengthsAreRejected() throws Exception {
        Path f = write("bad.bin", content(10, 31));
        for (long pl : new long[] {-1, 1000, 8 * 1024, 3 * KIB16, 128L << 20}) {
            MetainfoException e = assertThrows(MetainfoException.class,
                    () -> creator(f, HYBRID).pieceLength(pl).create(), () -> "piece length " + pl);
            assertTrue(e.getMessage().contains("piece length " + pl), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- bad sources and options

    @Test
    void emptyFolderIsRejected() throws Exception {
        Files.createDirectories(tmp.resolve("void/sub"));
        MetainfoException e = assertThrows(MetainfoException.class, () -> creator(tmp.resolve("void"), V1).create());
        assertTrue(e.getMessage().contains("has no files"), e.getMessage());
    }

    @Test
    void folderOfEmptyFilesIsRejected() throws Exception {
        write("zero/a", new byte[0]);
        write("zero/b", new byte[0]);
        MetainfoException e = assertThrows(MetainfoException.class, () -> creator(tmp.resolve("zero"), V2).create());
        assertTrue(e.getMessage().contains("has no data"), e.getMessage());
    }

    @Test
    void emptySingleFileIsRejected() throws Exception {
        Path f = write("empty.bin", new byte[0]);
        MetainfoException e = assertThrows(MetainfoException.class, () -> creator(f, V1).create());
        assertTrue(e.getMessage().contains("has no data"), e.getMessage());
    }

    @Test
    void missingSourceIsRejected() {
        Path missing = tmp.resolve("nope");
        MetainfoException e = assertThrows(MetainfoException.class, () -> creator(missing, V1).create());
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
    }

    @Test
    void badTrackerUrlIsRejected() throws Exception {
        Path f = write("t.bin", content(10, 33));
        for (String url : List.of("ftp://t/a", "not a url", "http://t/a b", "")) {
            MetainfoException e = assertThrows(MetainfoException.class, () -> creator(f, V1).tracker(url).create(),
                    url);
            assertTrue(e.getMessage().contains("tracker"), e.getMessage());
        }
    }

    @Test
    void emptyTrackerTierIsRejected() throws Exception {
        Path f = write("t.bin", content(10, 35));
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> creator(f, V1).trackerTier(List.of()).tracker("http://t/a").create());
        assertTrue(e.getMessage().contains("tracker tier 1 is empty"), e.getMessage());
    }

    @Test
    void udpWebSeedIsRejected() throws Exception {
        Path f = write("w.bin", content(10, 34));
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> creator(f, V1).webSeed("udp://m/w.bin").create());
        assertTrue(e.getMessage().contains("web seed"), e.getMessage());
    }

    // ---------------------------------------------------------------- progress

    @Test
    void progressReachesTheTotal() throws Exception {
        Path dir = folder();
        AtomicLong max = new AtomicLong(-1);
        List<Long> totals = java.util.Collections.synchronizedList(new ArrayList<>());
        creator(dir, HYBRID).threads(4).progress((done, total) -> {
            max.accumulateAndGet(done, Math::max);
            totals.add(total);
        }).create();
        assertEquals(61_385, max.get());
        assertTrue(totals.stream().allMatch(x -> x == 61_385), totals::toString);
        assertTrue(totals.size() >= 2, totals::toString);
    }

    @Test
    void progressReachesTheTotalInV1() throws Exception {
        AtomicLong max = new AtomicLong(-1);
        creator(folder(), V1).progress((done, total) -> max.accumulateAndGet(done, Math::max)).create();
        assertEquals(61_385, max.get());
    }
}
