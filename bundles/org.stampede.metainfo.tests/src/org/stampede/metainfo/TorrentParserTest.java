package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.metainfo.Torrents.F;
import static org.stampede.metainfo.Torrents.KIB16;
import static org.stampede.metainfo.Torrents.concat;
import static org.stampede.metainfo.Torrents.content;
import static org.stampede.metainfo.Torrents.encode;
import static org.stampede.metainfo.Torrents.info;
import static org.stampede.metainfo.Torrents.list;
import static org.stampede.metainfo.Torrents.map;
import static org.stampede.metainfo.Torrents.parse;
import static org.stampede.metainfo.Torrents.piecesRoot;
import static org.stampede.metainfo.Torrents.raw;
import static org.stampede.metainfo.Torrents.sha1;
import static org.stampede.metainfo.Torrents.sha256;
import static org.stampede.metainfo.Torrents.utf8;
import static org.stampede.metainfo.Torrents.v1Multi;
import static org.stampede.metainfo.Torrents.v1Pieces;
import static org.stampede.metainfo.Torrents.v1Single;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Well-formed torrents: what the parser reads from them. */
class TorrentParserTest {
    private static final long PL = KIB16;

    @TempDir
    Path tmp;

    private static byte[] data(int n) {
        return content(n, n);
    }

    private static List<String> paths(Torrent t) {
        return t.files().stream().map(TorrentFile::displayPath).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> file(Map<Object, Object> torrent, int i) {
        return (Map<Object, Object>) ((List<Object>) info(torrent).get("files")).get(i);
    }

    private static List<Long> offsets(Torrent t) {
        return t.files().stream().map(TorrentFile::offset).toList();
    }

    /** A small valid v1 multi-file torrent, to which the tests add top-level keys. */
    private static Map<Object, Object> multi() {
        return v1Multi("root", PL, F.of(data(10), "a.txt"), F.of(data(20), "b.txt"));
    }

    // ---------------------------------------------------------------- v1 single file

    @Test
    void v1SingleFileHasVersionNameAndOneFileAtOffsetZero() throws Exception {
        Torrent t = parse(v1Single("movie.mkv", data(40_000), PL));
        assertEquals(Torrent.Version.V1, t.version());
        assertTrue(t.isSingleFile());
        assertEquals("movie.mkv", t.name());
        assertEquals(1, t.files().size());
        TorrentFile f = t.files().get(0);
        assertEquals(List.of("movie.mkv"), f.path());
        assertEquals(40_000, f.length());
        assertEquals(0, f.offset());
        assertFalse(f.padding());
        assertNull(f.piecesRoot());
    }

    @Test
    void v1SingleFileTotalLengthAndPieceCountFollowTheLength() throws Exception {
        Torrent t = parse(v1Single("a", data(40_000), PL));
        assertEquals(40_000, t.totalLength());
        assertEquals(PL, t.pieceLength());
        assertEquals(3, t.pieceCount());
    }

    @Test
    void v1PieceHashV1ReturnsTheSha1OfEachPiece() throws Exception {
        byte[] d = data(40_000);
        Torrent t = parse(v1Single("a", d, PL));
        assertArrayEquals(sha1(Arrays.copyOfRange(d, 0, KIB16)), t.pieceHashV1(0));
        assertArrayEquals(sha1(Arrays.copyOfRange(d, KIB16, 2 * KIB16)), t.pieceHashV1(1));
        assertArrayEquals(sha1(Arrays.copyOfRange(d, 2 * KIB16, 40_000)), t.pieceHashV1(2));
    }

    @Test
    void pieceHashV1OutsideThePiecesThrows() throws Exception {
        Torrent t = parse(v1Single("a", data(100), PL));
        assertThrows(IndexOutOfBoundsException.class, () -> t.pieceHashV1(1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.pieceHashV1(-1));
    }

    @Test
    void v1HasASha1InfoHashAndNoV2InfoHash() throws Exception {
        Torrent t = parse(v1Single("a", data(100), PL));
        assertEquals(InfoHash.Kind.V1, t.infoHashV1().kind());
        assertArrayEquals(sha1(t.infoBytes()), t.infoHashV1().bytes());
        assertNull(t.infoHashV2());
    }

    // ---------------------------------------------------------------- v1 multi file

    @Test
    void v1MultiFilesKeepTorrentOrderWithCumulativeOffsets() throws Exception {
        Torrent t = parse(v1Multi("root", PL, F.of(data(100), "z.txt"), F.of(data(20_000), "dir", "b.bin"),
                F.of(data(0), "empty"), F.of(data(5), "a.txt")));
        assertFalse(t.isSingleFile());
        assertEquals("root", t.name());
        assertEquals(List.of("z.txt", "dir/b.bin", "empty", "a.txt"), paths(t));
        assertEquals(List.of(0L, 100L, 20_100L, 20_100L), offsets(t));
        assertEquals(List.of("dir", "b.bin"), t.files().get(1).path());
    }

    @Test
    void v1MultiTotalLengthIsTheSumOfTheFiles() throws Exception {
        Torrent t = parse(v1Multi("root", PL, F.of(data(100), "a"), F.of(data(20_000), "b"), F.of(data(7), "c")));
        assertEquals(20_107, t.totalLength());
        assertEquals(2, t.pieceCount());
    }

    @Test
    void v1MultiPiecesSpanFileBoundaries() throws Exception {
        byte[] a = data(10_000);
        byte[] b = data(10_000);
        Torrent t = parse(v1Multi("root", PL, F.of(a, "a"), F.of(b, "b")));
        byte[] stream = concat(a, b);
        assertArrayEquals(sha1(Arrays.copyOfRange(stream, 0, KIB16)), t.pieceHashV1(0));
        assertArrayEquals(sha1(Arrays.copyOfRange(stream, KIB16, 20_000)), t.pieceHashV1(1));
    }

    @Test
    void v1PieceLengthThatIsNotAPowerOfTwoIsAccepted() throws Exception {
        Torrent t = parse(v1Single("a", data(2_500), 1000));
        assertEquals(1000, t.pieceLength());
        assertEquals(3, t.pieceCount());
    }

    // ---------------------------------------------------------------- trackers (BEP 12)

    @Test
    void announceAloneGivesOneTierOfOne() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce", "http://t.example/announce");
        assertEquals(List.of(List.of("http://t.example/announce")), parse(m).trackers());
    }

    @Test
    void noTrackersGivesAnEmptyList() throws Exception {
        assertEquals(List.of(), parse(multi()).trackers());
    }

    @Test
    void announceListWinsOverAnnounce() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce", "http://only-announce/a");
        m.put("announce-list", list(list("udp://t1:80/a", "http://t2/a"), list("https://t3/a")));
        assertEquals(List.of(List.of("udp://t1:80/a", "http://t2/a"), List.of("https://t3/a")), parse(m).trackers());
    }

    @Test
    void announceListSkipsEmptyTiersAndNonStringEntries() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce-list", list(list(), list(42L, "http://t1/a", list("http://nested/a")), "not-a-tier",
                list(map("k", "v")), list("http://t2/a")));
        assertEquals(List.of(List.of("http://t1/a"), List.of("http://t2/a")), parse(m).trackers());
    }

    @Test
    void announceListDropsDuplicateUrls() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce-list", list(list("http://t1/a", "http://t1/a", "http://t2/a"), list("http://t2/a"),
                list("http://t3/a", "http://t1/a")));
        assertEquals(List.of(List.of("http://t1/a", "http://t2/a"), List.of("http://t3/a")), parse(m).trackers());
    }

    @Test
    void announceListWithOnlyEmptyTiersFallsBackToAnnounce() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce", "http://t/a");
        m.put("announce-list", list(list(), list()));
        assertEquals(List.of(List.of("http://t/a")), parse(m).trackers());
    }

    @Test
    void trackerWithAnUnsupportedSchemeIsDroppedWithAWarning() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce-list", list(list("file:///etc/passwd", "http://ok/a")));
        Torrent t = parse(m);
        assertEquals(List.of(List.of("http://ok/a")), t.trackers());
        assertTrue(t.warnings().stream().anyMatch(w -> w.contains("file:///etc/passwd")), t.warnings()::toString);
    }

    @Test
    void aTorrentNamedLikeTheStateFolderIsRenamedSoItsDataNeverMeetsResumeDataOrTheControlFile() throws Exception {
        for (String name : List.of(".stampede", ".STAMPEDE", ".Stampede")) {
            Torrent single = parse(v1Single(name, data(100), PL));
            assertEquals(name + "_", single.name());
            assertEquals(List.of(name + "_"), single.files().get(0).path());
            assertTrue(single.warnings().stream().anyMatch(w -> w.contains("renamed '" + name + "_'")),
                    single.warnings()::toString);
            Torrent multi = parse(v1Multi(name, PL, F.of(data(100), "control.json"), F.of(data(50), "b")));
            assertEquals(name + "_", multi.name());
            assertEquals(List.of("control.json"), multi.files().get(0).path(), "paths below the root are kept");
        }
        assertEquals(".stampede2", parse(v1Single(".stampede2", data(100), PL)).name());
        assertEquals(".stampede", parse(v1Multi("a", PL, F.of(data(100), ".stampede", "x"))).files().get(0).path().get(0),
                "a folder of that name inside the torrent's folder meets nothing");
    }

    // ---------------------------------------------------------------- web seeds (BEP 19)

    @Test
    void urlListAsAStringGivesOneWebSeed() throws Exception {
        Map<Object, Object> m = v1Single("a.iso", data(100), PL);
        m.put("url-list", "http://mirror/a.iso");
        assertEquals(List.of("http://mirror/a.iso"), parse(m).webSeeds());
    }

    @Test
    void urlListAsAListGivesEveryHttpWebSeedOnce() throws Exception {
        Map<Object, Object> m = v1Single("a.iso", data(100), PL);
        m.put("url-list", list("http://m1/a.iso", "https://m2/a.iso", "udp://no/a", 7L, "http://m1/a.iso"));
        assertEquals(List.of("http://m1/a.iso", "https://m2/a.iso"), parse(m).webSeeds());
    }

    @Test
    void multiFileWebSeedsEndInASlash() throws Exception {
        Map<Object, Object> m = multi();
        m.put("url-list", list("http://m1/files", "http://m2/files/"));
        assertEquals(List.of("http://m1/files/", "http://m2/files/"), parse(m).webSeeds());
    }

    // ---------------------------------------------------------------- private, comment, dates

    @Test
    void privateOneMakesThePrivateTorrent() throws Exception {
        Map<Object, Object> m = multi();
        info(m).put("private", 1L);
        assertTrue(parse(m).isPrivate());
    }

    @Test
    void privateAbsentOrZeroIsNotPrivate() throws Exception {
        assertFalse(parse(multi()).isPrivate());
        Map<Object, Object> m = multi();
        info(m).put("private", 0L);
        assertFalse(parse(m).isPrivate());
    }

    @Test
    void privateOutsideTheInfoDictIsIgnored() throws Exception {
        Map<Object, Object> m = multi();
        m.put("private", 1L);
        assertFalse(parse(m).isPrivate());
    }

    @Test
    void commentCreatedByAndCreationDateAreRead() throws Exception {
        Map<Object, Object> m = multi();
        m.put("comment", "hello");
        m.put("created by", "mktorrent 1.1");
        m.put("creation date", 1_700_000_000L);
        Torrent t = parse(m);
        assertEquals("hello", t.comment());
        assertEquals("mktorrent 1.1", t.createdBy());
        assertEquals(1_700_000_000L, t.creationDate());
    }

    @Test
    void absentMetadataIsNull() throws Exception {
        Torrent t = parse(multi());
        assertNull(t.comment());
        assertNull(t.createdBy());
        assertNull(t.creationDate());
    }

    @Test
    void commentUtf8IsPreferredOverComment() throws Exception {
        Map<Object, Object> m = multi();
        m.put("comment", "old");
        m.put("comment.utf-8", "Grüße");
        assertEquals("Grüße", parse(m).comment());
    }

    @Test
    void metadataOfTheWrongTypeIsIgnored() throws Exception {
        Map<Object, Object> m = multi();
        m.put("comment", 5L);
        m.put("creation date", "yesterday");
        Torrent t = parse(m);
        assertNull(t.comment());
        assertNull(t.creationDate());
    }

    // ---------------------------------------------------------------- name.utf-8, path.utf-8

    @Test
    void nameUtf8IsPreferredWhenValid() throws Exception {
        Map<Object, Object> m = v1Single("latin1", data(10), PL);
        info(m).put("name.utf-8", "Café.txt");
        assertEquals("Café.txt", parse(m).name());
        assertEquals(List.of("Café.txt"), parse(m).files().get(0).path());
    }

    @Test
    void nameUtf8IsIgnoredWhenNotValidUtf8() throws Exception {
        Map<Object, Object> m = v1Single("plain.txt", data(10), PL);
        info(m).put("name.utf-8", new byte[] {'a', (byte) 0xff, 'b'});
        assertEquals("plain.txt", parse(m).name());
    }

    @Test
    void pathUtf8IsPreferredWhenEveryComponentIsValid() throws Exception {
        Map<Object, Object> m = multi();
        Map<Object, Object> f0 = file(m, 0);
        f0.put("path.utf-8", list("Ordner", "Datei-ä.txt"));
        assertEquals("Ordner/Datei-ä.txt", parse(m).files().get(0).displayPath());
    }

    @Test
    void pathUtf8IsIgnoredWhenAComponentIsInvalid() throws Exception {
        Map<Object, Object> m = multi();
        Map<Object, Object> f0 = file(m, 0);
        f0.put("path.utf-8", list("ok", new byte[] {(byte) 0xc0, (byte) 0xaf}));
        assertEquals("a.txt", parse(m).files().get(0).displayPath());
    }

    // ---------------------------------------------------------------- BEP 47 attributes

    private static Map<Object, Object> withAttrs() {
        byte[] a = data(10_000);
        byte[] b = data(300);
        int pad = KIB16 - a.length;
        Map<Object, Object> info = map("name", "root", "piece length", PL, "files", list(
                map("length", (long) a.length, "path", list("a.bin"), "attr", "x"),
                map("length", (long) pad, "path", list(".pad", String.valueOf(pad)), "attr", "p"),
                map("length", (long) b.length, "path", list(".hidden"), "attr", "h")),
                "pieces", v1Pieces(concat(a, new byte[pad], b), PL));
        return Torrents.torrent(info);
    }

    @Test
    void paddingFilesAreExcludedFromTotalLengthButShiftOffsets() throws Exception {
        Torrent t = parse(withAttrs());
        assertEquals(10_300, t.totalLength());
        assertEquals(List.of(false, true, false), t.files().stream().map(TorrentFile::padding).toList());
        assertEquals(List.of(0L, 10_000L, (long) KIB16), offsets(t));
        assertEquals(2, t.pieceCount());
    }

    @Test
    void paddingFilesGetASyntheticPadPath() throws Exception {
        Map<Object, Object> m = withAttrs();
        Map<Object, Object> pad = file(m, 1);
        pad.put("path", list("..", "..", "evil"));
        TorrentFile p = parse(m).files().get(1);
        assertEquals(List.of(".pad", String.valueOf(KIB16 - 10_000)), p.path());
    }

    @Test
    void attributeXMarksTheFileExecutable() throws Exception {
        Torrent t = parse(withAttrs());
        assertTrue(t.files().get(0).executable());
        assertFalse(t.files().get(2).executable());
    }

    @Test
    void attributeHMarksTheFileHidden() throws Exception {
        Torrent t = parse(withAttrs());
        assertTrue(t.files().get(2).hidden());
        assertFalse(t.files().get(0).hidden());
    }

    @Test
    void executableAttributeOfASingleFileTorrentIsRead() throws Exception {
        Map<Object, Object> m = v1Single("run.sh", data(10), PL);
        info(m).put("attr", "x");
        assertTrue(parse(m).files().get(0).executable());
    }

    @Test
    void symlinkInsideTheTorrentKeepsItsTarget() throws Exception {
        byte[] a = data(100);
        Map<Object, Object> info = map("name", "root", "piece length", PL, "files", list(
                map("length", 100L, "path", list("dir", "a.bin")),
                map("length", 0L, "path", list("link"), "attr", "l", "symlink path", list("dir", "a.bin"))),
                "pieces", v1Pieces(a, PL));
        TorrentFile link = parse(Torrents.torrent(info)).files().get(1);
        assertEquals(List.of("dir", "a.bin"), link.symlinkTarget());
        assertNull(parse(Torrents.torrent(info)).files().get(0).symlinkTarget());
    }

    @Test
    void symlinkTargetWithDotDotThatStaysInsideIsResolved() throws Exception {
        Map<Object, Object> info = map("name", "root", "piece length", PL, "files", list(
                map("length", 100L, "path", list("dir", "a.bin")),
                map("length", 0L, "path", list("dir", "link"), "attr", "l", "symlink path",
                        list("dir", "..", "dir", "a.bin"))),
                "pieces", v1Pieces(data(100), PL));
        assertEquals(List.of("dir", "a.bin"), parse(Torrents.torrent(info)).files().get(1).symlinkTarget());
    }

    // ---------------------------------------------------------------- v2

    @Test
    void v2SingleFileIsAV2SingleFileTorrent() throws Exception {
        byte[] d = data(40_000);
        Torrent t = parse(Torrents.v2("one.bin", KIB16 * 4, F.of(d, "one.bin")));
        assertEquals(Torrent.Version.V2, t.version());
        assertTrue(t.isSingleFile());
        assertEquals(List.of("one.bin"), t.files().get(0).path());
        assertEquals(40_000, t.totalLength());
        assertEquals(1, t.pieceCount());
        assertArrayEquals(piecesRoot(d), t.files().get(0).piecesRoot());
    }

    @Test
    void v2HasASha256InfoHashAndNoV1InfoHash() throws Exception {
        Torrent t = parse(Torrents.v2("one.bin", KIB16, F.of(data(100), "one.bin")));
        assertNull(t.infoHashV1());
        assertEquals(InfoHash.Kind.V2, t.infoHashV2().kind());
        assertArrayEquals(sha256(t.infoBytes()), t.infoHashV2().bytes());
    }

    @Test
    void v2TorrentHasNoV1PieceHashes() throws Exception {
        Torrent t = parse(Torrents.v2("one.bin", KIB16, F.of(data(100), "one.bin")));
        assertThrows(IllegalStateException.class, () -> t.pieceHashV1(0));
    }

    @Test
    void v2MultiFilesComeInFileTreeOrder() throws Exception {
        Torrent t = parse(Torrents.v2("root", KIB16, F.of(data(5), "b.txt"), F.of(data(6), "a.txt"),
                F.of(data(7), "a", "z"), F.of(data(8), "a", "b", "c")));
        assertFalse(t.isSingleFile());
        assertEquals(List.of("a/b/c", "a/z", "a.txt", "b.txt"), paths(t));
    }

    @Test
    void v2MultiFileOffsetsAreAlignedToPieces() throws Exception {
        Torrent t = parse(Torrents.v2("root", KIB16, F.of(data(100), "a"), F.of(data(40_000), "b"),
                F.of(data(0), "c"), F.of(data(1), "d")));
        assertEquals(List.of(0L, (long) KIB16, 4L * KIB16, 4L * KIB16), offsets(t));
        assertEquals(5, t.pieceCount());
        assertEquals(40_101, t.totalLength());
    }

    @Test
    void v2FilesCarryTheirPiecesRoots() throws Exception {
        byte[] a = data(100);
        byte[] b = data(40_000);
        Torrent t = parse(Torrents.v2("root", KIB16, F.of(a, "a"), F.of(b, "b"), F.of(new byte[0], "e")));
        assertArrayEquals(piecesRoot(a), t.files().get(0).piecesRoot());
        assertArrayEquals(piecesRoot(b), t.files().get(1).piecesRoot());
        assertNull(t.files().get(2).piecesRoot());
    }

    @Test
    void v2SingleFileTreeWithAFolderIsMultiFile() throws Exception {
        Torrent t = parse(Torrents.v2("root", KIB16, F.of(data(10), "dir", "only")));
        assertFalse(t.isSingleFile());
        assertEquals(List.of("dir/only"), paths(t));
    }

    // ---------------------------------------------------------------- hybrid

    @Test
    void hybridHasBothInfoHashesOverTheSameInfoBytes() throws Exception {
        Torrent t = parse(Torrents.hybrid("root", KIB16, F.of(data(100), "a"), F.of(data(200), "b")));
        assertEquals(Torrent.Version.HYBRID, t.version());
        assertArrayEquals(sha1(t.infoBytes()), t.infoHashV1().bytes());
        assertArrayEquals(sha256(t.infoBytes()), t.infoHashV2().bytes());
    }

    @Test
    void hybridPaddingFilesAlignTheFilesAndCarryNoPiecesRoot() throws Exception {
        byte[] a = data(100);
        byte[] b = data(20_000);
        Torrent t = parse(Torrents.hybrid("root", KIB16, F.of(a, "a"), F.of(b, "b"), F.of(data(3), "c")));
        assertEquals(List.of("a", ".pad/" + (KIB16 - 100), "b", ".pad/" + (2 * KIB16 - 20_000), "c"), paths(t));
        assertEquals(List.of(0L, 100L, (long) KIB16, KIB16 + 20_000L, 3L * KIB16), offsets(t));
        assertEquals(20_103, t.totalLength());
        assertEquals(4, t.pieceCount());
        assertArrayEquals(piecesRoot(b), t.files().get(2).piecesRoot());
        assertNull(t.files().get(1).piecesRoot());
    }

    @Test
    void hybridSingleFileIsSingleFile() throws Exception {
        byte[] d = data(50_000);
        Torrent t = parse(Torrents.hybrid("x.bin", KIB16, F.of(d, "x.bin")));
        assertEquals(Torrent.Version.HYBRID, t.version());
        assertTrue(t.isSingleFile());
        assertEquals(List.of("x.bin"), paths(t));
        assertArrayEquals(piecesRoot(d), t.files().get(0).piecesRoot());
        assertArrayEquals(sha1(Arrays.copyOfRange(d, 0, KIB16)), t.pieceHashV1(0));
    }

    @Test
    void hybridSingleFileWhoseNameIsSanitisedIsAccepted() throws Exception {
        Torrent t = parse(Torrents.hybrid("a:b.txt", KIB16, F.of(data(100), "a:b.txt")));
        assertEquals("a_b.txt", t.name());
        assertEquals(List.of("a_b.txt"), t.files().get(0).path());
    }

    // ---------------------------------------------------------------- info-hash over the original bytes

    @Test
    void infoBytesAreExactlyTheBytesOfTheInfoDictionary() throws Exception {
        Map<Object, Object> m = multi();
        m.put("comment", "c");
        byte[] expected = encode(info(m));
        assertArrayEquals(expected, parse(m).infoBytes());
    }

    @Test
    void infoHashOfAnInfoDictWithUnsortedKeysIsOverTheOriginalBytes() throws Exception {
        byte[] d = data(5);
        byte[] info = raw("d6:pieces20:", sha1(d), "12:piece lengthi16384e4:name1:a6:lengthi5ee");
        Torrent t = Torrent.parse(raw("d4:info", info, "e"));
        assertEquals("a", t.name());
        assertArrayEquals(info, t.infoBytes());
        assertArrayEquals(sha1(info), t.infoHashV1().bytes());
        byte[] sorted = raw("d6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces20:", sha1(d), "e");
        assertFalse(Arrays.equals(sha1(sorted), t.infoHashV1().bytes()), "must not hash a re-encoding");
    }

    @Test
    void infoHashOfAnIntegerWithALeadingZeroIsOverTheOriginalBytes() throws Exception {
        byte[] d = data(5);
        byte[] info = raw("d6:lengthi005e4:name1:a12:piece lengthi016384e6:pieces20:", sha1(d), "e");
        Torrent t = Torrent.parse(raw("d4:info", info, "e"));
        assertEquals(5, t.totalLength());
        assertEquals(16_384, t.pieceLength());
        assertArrayEquals(sha1(info), t.infoHashV1().bytes());
    }

    @Test
    void topLevelKeysOutOfOrderAreAccepted() throws Exception {
        byte[] d = data(5);
        byte[] info = raw("d6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces20:", sha1(d), "e");
        Torrent t = Torrent.parse(raw("d4:info", info, "8:announce10:http://t/ae"));
        assertEquals(List.of(List.of("http://t/a")), t.trackers());
        assertArrayEquals(sha1(info), t.infoHashV1().bytes());
    }

    @Test
    void unknownKeysAreIgnoredButHashed() throws Exception {
        Map<Object, Object> plain = multi();
        Map<Object, Object> extra = multi();
        info(extra).put("x-cross-seed", "abc");
        Torrent a = parse(plain);
        Torrent b = parse(extra);
        assertEquals(paths(a), paths(b));
        assertFalse(a.infoHashV1().equals(b.infoHashV1()));
    }

    // ---------------------------------------------------------------- reading files

    @Test
    void readParsesATorrentFile() throws Exception {
        Path file = tmp.resolve("a.torrent");
        Files.write(file, encode(multi()));
        Torrent t = Torrent.read(file);
        assertEquals("root", t.name());
        assertNotNull(t.infoHashV1());
    }

    @Test
    void readOfAMissingFileSaysSo() {
        Path file = tmp.resolve("missing.torrent");
        MetainfoException e = assertThrows(MetainfoException.class, () -> Torrent.read(file));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void listsOfAParsedTorrentAreUnmodifiable() throws Exception {
        Map<Object, Object> m = multi();
        m.put("announce", "http://t/a");
        Torrent t = parse(m);
        assertThrows(UnsupportedOperationException.class, () -> t.files().clear());
        assertThrows(UnsupportedOperationException.class, () -> t.trackers().get(0).clear());
        assertThrows(UnsupportedOperationException.class, () -> t.webSeeds().add("x"));
    }

    @Test
    void infoBytesAreACopy() throws Exception {
        Torrent t = parse(multi());
        t.infoBytes()[0] = 'x';
        assertEquals('d', t.infoBytes()[0]);
    }
}
