package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.stampede.metainfo.Torrents.F;
import static org.stampede.metainfo.Torrents.KIB16;
import static org.stampede.metainfo.Torrents.content;
import static org.stampede.metainfo.Torrents.dict;
import static org.stampede.metainfo.Torrents.encode;
import static org.stampede.metainfo.Torrents.info;
import static org.stampede.metainfo.Torrents.list;
import static org.stampede.metainfo.Torrents.map;
import static org.stampede.metainfo.Torrents.raw;
import static org.stampede.metainfo.Torrents.sha1;
import static org.stampede.metainfo.Torrents.torrent;
import static org.stampede.metainfo.Torrents.v1Multi;
import static org.stampede.metainfo.Torrents.v1Pieces;
import static org.stampede.metainfo.Torrents.v1Single;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.PathSanitizer.SafePath;

/**
 * Malformed and hostile torrents. Each must be rejected with a {@link MetainfoException} whose message names the
 * place, quickly and within the test heap (-Xmx128m), or, for paths the {@link PathSanitizer} policy sanitises,
 * give files that all resolve under the download folder.
 */
// A guard against hangs, not a performance assertion: these cases take milliseconds.
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class HostileTorrentTest {
    private static final long PL = KIB16;

    @TempDir
    Path root;

    /** Parses {@code data}, expecting a MetainfoException (no other type) with {@code fragment} in the message. */
    private static MetainfoException rejects(byte[] data, String fragment) {
        MetainfoException e = assertThrows(MetainfoException.class, () -> Torrent.parse(data));
        assertTrue(e.getMessage().contains(fragment),
                () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    private static MetainfoException rejects(Map<Object, Object> torrent, String fragment) {
        return rejects(encode(torrent), fragment);
    }

    private static Torrent accepts(Map<Object, Object> torrent) {
        byte[] data = encode(torrent);
        try {
            return Torrent.parse(data);
        } catch (MetainfoException e) {
            throw new AssertionError("rejected: " + e.getMessage(), e);
        }
    }

    private static byte[] data(int n) {
        return content(n, 31 * n);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> files(Map<Object, Object> torrent) {
        return (List<Object>) info(torrent).get("files");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> file(Map<Object, Object> torrent, int i) {
        return (Map<Object, Object>) files(torrent).get(i);
    }

    /** A v1 multi-file torrent whose files have the given raw paths (each a list of String or byte[]). */
    private static Map<Object, Object> withPaths(List<?>... paths) {
        List<Object> files = list();
        for (int i = 0; i < paths.length; i++) {
            files.add(map("length", 10L, "path", new ArrayList<Object>(paths[i])));
        }
        return torrent(map("name", "root", "piece length", PL, "files", files, "pieces",
                v1Pieces(new byte[10 * paths.length], PL)));
    }

    /**
     * Either the torrent is rejected, or every file (and its symlink target) resolves strictly under the torrent
     * root, and no two files collide on a case-insensitive file system or as file and folder.
     */
    private Torrent rejectedOrContained(Map<Object, Object> torrent) throws MetainfoException {
        byte[] data = encode(torrent);
        Object result;
        try {
            result = Torrent.parse(data);
        } catch (MetainfoException e) {
            result = e; // rejected: fine
        }
        if (result instanceof Torrent t) {
            assertContained(t);
            return t;
        }
        return null;
    }

    /** The torrent is accepted (its paths sanitised) and every file resolves under the torrent root. */
    private Torrent contained(Map<Object, Object> torrent) throws MetainfoException {
        Torrent t = accepts(torrent);
        assertContained(t);
        return t;
    }

    private void assertContained(Torrent t) throws MetainfoException {
        Path base = root.toAbsolutePath().normalize();
        Path torrentRoot = new SafePath(List.of(t.name()), List.of()).resolveUnder(base);
        assertEquals(base, torrentRoot.getParent());
        Set<String> filesFolded = new HashSet<>();
        Set<String> dirsFolded = new HashSet<>();
        for (TorrentFile f : t.files()) {
            if (f.padding()) {
                continue;
            }
            Path p = new SafePath(f.path(), List.of()).resolveUnder(torrentRoot);
            assertTrue(p.startsWith(torrentRoot) && !p.equals(torrentRoot), p::toString);
            for (String c : f.path()) {
                assertFalse(c.isEmpty() || c.equals(".") || c.equals("..") || c.contains("/") || c.contains("\\")
                        || c.contains("\0") || c.contains(":"), c);
                assertTrue(c.getBytes(StandardCharsets.UTF_8).length <= PathSanitizer.MAX_COMPONENT_BYTES, c);
                assertTrue(c.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x202a && ch <= 0x202e)), c);
            }
            String folded = PathSanitizer.fold(f.displayPath());
            assertTrue(filesFolded.add(folded), () -> "two files are " + folded);
            for (int k = 1; k < f.path().size(); k++) {
                dirsFolded.add(PathSanitizer.fold(String.join("/", f.path().subList(0, k))));
            }
            if (f.symlinkTarget() != null) {
                Path target = new SafePath(f.symlinkTarget(), List.of()).resolveUnder(torrentRoot);
                assertTrue(target.startsWith(torrentRoot) && !target.equals(torrentRoot), target::toString);
            }
        }
        for (String d : dirsFolded) {
            assertFalse(filesFolded.contains(d), () -> d + " is both a file and a folder");
        }
    }

    // ---------------------------------------------------------------- bencode level

    @Test
    void everyPrefixOfAValidTorrentIsRejectedCleanly() throws Exception {
        Map<Object, Object> t = Torrents.hybrid("root", KIB16, F.of(data(40_000), "big"), F.of(data(10), "d", "s"));
        t.put("announce", "http://t/a");
        byte[] full = encode(t);
        Torrent.parse(full);
        {
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = java.util.Arrays.copyOf(full, n);
                try {
                    Torrent.parse(prefix);
                    fail("prefix of " + n + " bytes was accepted");
                } catch (MetainfoException e) {
                    assertTrue(e.getMessage().contains("malformed bencode"), e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError("prefix of " + n + " bytes: " + e, e);
                }
            }
        };
    }

    @Test
    void emptyInputIsRejected() {
        rejects(new byte[0], "unexpected end of input");
    }

    @Test
    void topLevelListIsNotADictionary() {
        rejects(raw("l4:infoe"), "top level is not a dictionary");
    }

    @Test
    void topLevelIntegerIsNotADictionary() {
        rejects(raw("i42e"), "top level is not a dictionary");
    }

    @Test
    void missingInfoIsRejected() {
        rejects(raw("d8:announce10:http://t/ae"), "no 'info' dictionary");
    }

    @Test
    void infoThatIsNotADictionaryIsRejected() {
        rejects(raw("d4:info4:spame"), "'info' must be a dictionary");
    }

    @Test
    void integerWithALetterIsRejected() {
        rejects(raw("d4:infod12:piece lengthi16x84eee"), "expected a digit or 'e' in integer");
    }

    @Test
    void emptyIntegerIsRejected() {
        rejects(raw("d4:infod12:piece lengthieee"), "empty integer");
    }

    @Test
    void integerWithAPlusSignIsRejected() {
        rejects(raw("d4:infod12:piece lengthi+5eee"), "integer");
    }

    @Test
    void integerOutOfRangeIsRejected() {
        rejects(raw("d4:infod12:piece lengthi9223372036854775808eee"), "integer out of range");
    }

    @Test
    void unterminatedIntegerIsRejected() {
        rejects(raw("d4:infod12:piece lengthi12345"), "unexpected end of input");
    }

    @Test
    void stringLengthPastTheEndIsRejected() {
        rejects(raw("d4:infod4:name999:abcee"), "string length 999 exceeds remaining");
    }

    @Test
    void stringLengthOfLongMaxIsRejectedWithoutAllocating() {
        rejects(raw("d4:infod4:name9223372036854775807:abcee"), "exceeds remaining");
    }

    @Test
    void stringLengthAbove2To63IsRejected() {
        rejects(raw("d4:infod4:name9223372036854775808:abcee"), "string length out of range");
    }

    @Test
    void stringLengthWithoutColonIsRejected() {
        rejects(raw("d4:infod4:name3xabcee"), "expected a digit or ':'");
    }

    @Test
    void nestingOf100kListsIsRejected() {
        rejects(raw("d4:info", "l".repeat(100_000), "e".repeat(100_000), "e"), "nesting deeper than 100");
    }

    @Test
    void nestingOf100kDictsIsRejected() {
        rejects(raw("d4:info", "d1:a".repeat(100_000), "i0e", "e".repeat(100_000), "e"), "nesting deeper than");
    }

    @Test
    void tokenBombAboveTheLimitIsRejected() {
        int n = TorrentParser.LIMITS.maxTokens() + 1;
        rejects(raw("d1:al", "i0e".repeat(n), "e4:infod4:name1:aee"), "more than " + TorrentParser.LIMITS.maxTokens()
                + " tokens");
    }

    @Test
    void duplicateKeyInInfoIsRejected() {
        rejects(raw("d4:infod4:name1:a4:name1:bee"), "duplicate dict key 'name'");
    }

    @Test
    void duplicateKeyAmongUnsortedKeysIsRejected() {
        rejects(raw("d4:infod4:name1:a6:lengthi1e4:name1:bee"), "duplicate dict key 'name'");
    }

    @Test
    void duplicateTopLevelKeyIsRejected() {
        rejects(raw("d4:infod4:name1:ae4:infod4:name1:bee"), "duplicate dict key 'info'");
    }

    @Test
    void unsortedKeysAreAcceptedLeniently() throws Exception {
        byte[] d = data(5);
        Torrent t = Torrent.parse(raw("d4:infod4:name1:a6:lengthi5e6:pieces20:", sha1(d),
                "12:piece lengthi16384ee8:announce10:http://t/ae"));
        assertEquals("a", t.name());
        assertEquals(5, t.totalLength());
    }

    @Test
    void trailingGarbageAfterTheTopLevelDictIsRejected() {
        byte[] valid = encode(v1Single("a", data(5), PL));
        rejects(raw(valid, "x"), "trailing data after value");
    }

    @Test
    void trailingSecondDictIsRejected() {
        byte[] valid = encode(v1Single("a", data(5), PL));
        rejects(raw(valid, "de"), "trailing data");
    }

    // ---------------------------------------------------------------- missing and mistyped fields

    @Test
    void missingNameIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).remove("name");
        rejects(t, "info.name: missing");
    }

    @Test
    void nameThatIsNotAStringIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("name", 7L);
        rejects(t, "'name' must be a string");
    }

    @Test
    void emptyNameIsRejected() {
        rejects(v1Single("", data(5), PL), "info.name");
    }

    @Test
    void nameDotDotIsRejected() {
        rejects(v1Single("..", data(5), PL), "info.name");
    }

    @Test
    void nameWithASlashIsRejected() {
        rejects(v1Single("/etc/passwd", data(5), PL), "info.name");
    }

    @Test
    void missingPieceLengthIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).remove("piece length");
        rejects(t, "info.piece length: missing");
    }

    @Test
    void pieceLengthThatIsAStringIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("piece length", "16384");
        rejects(t, "'piece length' must be an integer");
    }

    @Test
    void missingPiecesWithoutV2IsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).remove("pieces");
        rejects(t, "has neither 'pieces'");
    }

    @Test
    void piecesThatIsAnIntegerIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("pieces", 0L);
        rejects(t, "'pieces' must be a string");
    }

    @Test
    void missingLengthAndFilesIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).remove("length");
        rejects(t, "has neither 'length' nor 'files'");
    }

    @Test
    void lengthThatIsAStringIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("length", "5");
        rejects(t, "'length' must be an integer");
    }

    @Test
    void filesThatIsNotAListIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"));
        info(t).put("files", map("a", 1L));
        rejects(t, "'files' must be a list");
    }

    @Test
    void emptyFilesListIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"));
        info(t).put("files", list());
        rejects(t, "info.files: is empty");
    }

    @Test
    void fileEntryThatIsNotADictionaryIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"));
        files(t).add("oops");
        rejects(t, "info.files[1]: is not a dictionary");
    }

    @Test
    void fileWithoutLengthIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 1).remove("length");
        rejects(t, "info.files[1].length: missing");
    }

    @Test
    void fileLengthThatIsAStringIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 1).put("length", "6");
        rejects(t, "info.files[1]: key 'length' must be an integer");
    }

    @Test
    void fileWithoutPathIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 1).remove("path");
        rejects(t, "info.files[1].path: missing");
    }

    @Test
    void filePathThatIsAStringIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 1).put("path", "dir/b");
        rejects(t, "info.files[1]: key 'path' must be a list");
    }

    @Test
    void emptyFilePathIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"));
        file(t, 0).put("path", list());
        rejects(t, "info.files[0].path: is empty");
    }

    @Test
    void pathComponentThatIsNotAStringIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 1).put("path", list("dir", 5L));
        rejects(t, "info.files[1].path[1]: is not a string");
    }

    @Test
    void negativeSingleFileLengthIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("length", -1L);
        rejects(t, "info.length: -1 is negative");
    }

    @Test
    void negativeFileLengthIsRejected() {
        Map<Object, Object> t = v1Multi("r", PL, F.of(data(5), "a"), F.of(data(6), "b"));
        file(t, 0).put("length", -5L);
        rejects(t, "info.files[0].length: -5 is negative");
    }

    @Test
    void totalLengthOverflowIsRejected() {
        long half = Long.MAX_VALUE / 2 + 1;
        Map<Object, Object> t = torrent(map("name", "r", "piece length", 1L << 30, "files", list(
                map("length", half, "path", list("a")), map("length", half, "path", list("b"))),
                "pieces", new byte[20]));
        rejects(t, "info.files[1]: total length overflows");
    }

    @Test
    void lengthNeedingTooManyPiecesIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("length", 1L << 50);
        rejects(t, "pieces is more than the " + Torrent.MAX_PIECES);
    }

    @Test
    void tooFewPieceHashesAreRejected() {
        Map<Object, Object> t = v1Single("a", data(40_000), PL);
        info(t).put("pieces", new byte[40]);
        rejects(t, "info.pieces: has 2 hashes but 40000 bytes in pieces of 16384 need 3");
    }

    @Test
    void tooManyPieceHashesAreRejected() {
        Map<Object, Object> t = v1Single("a", data(100), PL);
        info(t).put("pieces", new byte[40]);
        rejects(t, "info.pieces: has 2 hashes");
    }

    @Test
    void piecesNotAMultipleOf20IsRejected() {
        Map<Object, Object> t = v1Single("a", data(100), PL);
        info(t).put("pieces", new byte[21]);
        rejects(t, "info.pieces: length 21 is not a multiple of 20");
    }

    @Test
    void allEmptyFilesAreRejected() {
        rejects(v1Multi("r", PL, F.of(new byte[0], "a"), F.of(new byte[0], "b")), "has no data");
    }

    // ---------------------------------------------------------------- piece length

    @Test
    void pieceLengthZeroIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("piece length", 0L);
        rejects(t, "info.piece length: 0 is not positive");
    }

    @Test
    void negativePieceLengthIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("piece length", -16384L);
        rejects(t, "info.piece length: -16384 is not positive");
    }

    @Test
    void pieceLengthNotAPowerOfTwoIsAcceptedInV1() throws Exception {
        Torrent t = accepts(v1Single("a", data(50_000), 3 * KIB16));
        assertEquals(3 * KIB16, t.pieceLength());
        assertEquals(2, t.pieceCount());
    }

    @Test
    void pieceLengthNotAPowerOfTwoIsRejectedInV2() {
        Map<Object, Object> t = Torrents.v2("a", KIB16, F.of(data(5), "a"));
        info(t).put("piece length", 3L * KIB16);
        rejects(t, "info.piece length: 49152 must be a power of two");
    }

    @Test
    void pieceLengthBelow16KiBIsRejectedInV2() {
        Map<Object, Object> t = Torrents.v2("a", KIB16, F.of(data(5), "a"));
        info(t).put("piece length", 8192L);
        rejects(t, "at least 16 KiB");
    }

    @Test
    void pieceLengthBelow16KiBIsAcceptedInV1() throws Exception {
        assertEquals(8192, accepts(v1Single("a", data(5), 8192)).pieceLength());
    }

    @Test
    void hugePieceLengthIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("piece length", Torrent.MAX_PIECE_LENGTH * 2);
        rejects(t, "info.piece length: " + Torrent.MAX_PIECE_LENGTH * 2 + " is larger than");
    }

    @Test
    void pieceLengthOfLongMaxIsRejected() {
        Map<Object, Object> t = v1Single("a", data(5), PL);
        info(t).put("piece length", Long.MAX_VALUE);
        rejects(t, "is larger than");
    }

    // ---------------------------------------------------------------- v2

    private static final byte[] BIG = content(40_000, 99); // three pieces of 16 KiB

    private static Map<Object, Object> v2Big() {
        return Torrents.v2("r", KIB16, F.of(BIG, "big"), F.of(data(10), "small"));
    }

    private static Map<Object, Object> bigLeaf(Map<Object, Object> t) {
        return dict(dict(dict(info(t), "file tree"), "big"), "");
    }

    @Test
    void v2FileWithoutPiecesRootIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(dict(info(t), "file tree"), "small"), "").remove("pieces root");
        rejects(t, "info.file tree/small.pieces root: must be a 32-byte string");
    }

    @Test
    void v2PiecesRootOfTheWrongLengthIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(dict(info(t), "file tree"), "small"), "").put("pieces root", new byte[31]);
        rejects(t, "info.file tree/small.pieces root: must be a 32-byte string");
    }

    @Test
    void v2PiecesRootThatIsNotAStringIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(dict(info(t), "file tree"), "small"), "").put("pieces root", 1L);
        rejects(t, "info.file tree/small: key 'pieces root' must be a string");
    }

    @Test
    void v2MissingPieceLayersForAMultiPieceFileIsRejected() {
        Map<Object, Object> t = v2Big();
        t.remove("piece layers");
        rejects(t, "piece layers: missing, but info.file tree/big is larger than a piece");
    }

    @Test
    void v2PieceLayersWithoutTheFilesLayerIsRejected() {
        Map<Object, Object> t = v2Big();
        t.put("piece layers", map(new byte[32], new byte[96]));
        rejects(t, "piece layers: no layer for info.file tree/big");
    }

    @Test
    void v2LayerOfTheWrongLengthIsRejected() {
        Map<Object, Object> t = v2Big();
        Map<Object, Object> layers = dict(t, "piece layers");
        layers.replaceAll((k, v) -> java.util.Arrays.copyOf((byte[]) v, 64));
        rejects(t, "piece layers: layer for info.file tree/big has 64 bytes, expected 96");
    }

    @Test
    void v2LayerThatDoesNotHashToItsRootIsRejected() {
        Map<Object, Object> t = v2Big();
        Map<Object, Object> layers = dict(t, "piece layers");
        layers.replaceAll((k, v) -> {
            byte[] b = ((byte[]) v).clone();
            b[70] ^= 1;
            return b;
        });
        rejects(t, "piece layers: layer for info.file tree/big does not hash to its pieces root");
    }

    @Test
    void v2LayerThatIsNotAStringIsRejected() {
        Map<Object, Object> t = v2Big();
        Map<Object, Object> layers = dict(t, "piece layers");
        layers.replaceAll((k, v) -> 5L);
        rejects(t, "piece layers: entry for info.file tree/big is not a string");
    }

    @Test
    void v2HugeFileLengthIsRejectedWithoutAllocating() {
        Map<Object, Object> t = v2Big();
        bigLeaf(t).put("length", Long.MAX_VALUE);
        rejects(t, "piece layers: layer for info.file tree/big has 96 bytes, expected");
    }

    @Test
    void v2NodeThatIsBothFileAndFolderIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(info(t), "file tree"), "big").put("child", Torrents.v2Leaf(data(3)));
        rejects(t, "info.file tree/big: is both a file and a folder");
    }

    @Test
    void v2FileEntryThatIsNotADictionaryIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(info(t), "file tree"), "small").put("", "x");
        rejects(t, "info.file tree/small: file entry is not a dictionary");
    }

    @Test
    void v2TreeEntryThatIsNotADictionaryIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(info(t), "file tree").put("odd", 5L);
        rejects(t, "entry 'odd' is not a dictionary");
    }

    @Test
    void v2FileAtTheTreeRootWithoutANameIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(info(t), "file tree").put("", map("length", 1L));
        rejects(t, "where a name was expected");
    }

    @Test
    void v2EmptyFolderIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(info(t), "file tree").put("void", map());
        rejects(t, "info.file tree/void: empty folder");
    }

    @Test
    void v2EmptyFileTreeIsRejected() {
        Map<Object, Object> t = v2Big();
        info(t).put("file tree", map());
        rejects(t, "info.file tree: has no files");
    }

    @Test
    void v2FileTreeThatIsNotADictionaryIsRejected() {
        Map<Object, Object> t = v2Big();
        info(t).put("file tree", list());
        rejects(t, "'file tree' must be a dictionary");
    }

    @Test
    void v2FileWithoutLengthIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(dict(info(t), "file tree"), "small"), "").remove("length");
        rejects(t, "info.file tree/small.length: missing");
    }

    @Test
    void v2NegativeFileLengthIsRejected() {
        Map<Object, Object> t = v2Big();
        dict(dict(dict(info(t), "file tree"), "small"), "").put("length", -1L);
        rejects(t, "info.file tree/small.length: -1 is negative");
    }

    @Test
    void unsupportedMetaVersionIsRejected() {
        Map<Object, Object> t = v2Big();
        info(t).put("meta version", 3L);
        rejects(t, "info.meta version: unsupported version 3");
    }

    @Test
    void v2DotDotInTheFileTreeIsRejected() {
        Map<Object, Object> t = Torrents.v2("r", KIB16, F.of(data(5), "..", "evil"), F.of(data(6), "ok"));
        rejects(t, "'..'");
    }

    // ---------------------------------------------------------------- hybrid

    private static Map<Object, Object> hybrid() {
        return Torrents.hybrid("r", KIB16, F.of(data(100), "a"), F.of(data(200), "b"));
    }

    @Test
    void hybridWhoseV1AndV2NamesDifferIsRejected() {
        Map<Object, Object> t = hybrid();
        file(t, 2).put("path", list("c"));
        rejects(t, "hybrid torrent: info.files[2] (c, 200 bytes) differs from info.file tree/b");
    }

    @Test
    void hybridWhoseV1AndV2LengthsDifferIsRejected() {
        Map<Object, Object> t = hybrid();
        file(t, 2).put("length", 201L);
        rejects(t, "hybrid torrent: info.files[2] (b, 201 bytes) differs");
    }

    @Test
    void hybridWithAFileOnlyInTheTreeIsRejected() {
        Map<Object, Object> t = Torrents.hybrid("r", KIB16, F.of(data(100), "a"), F.of(data(200), "b"),
                F.of(new byte[0], "c"));
        files(t).removeLast();
        rejects(t, "hybrid torrent: info.file tree/c is missing from info.files");
    }

    @Test
    void hybridWithAFileOnlyInTheListIsRejected() {
        Map<Object, Object> t = hybrid();
        files(t).add(map("length", 0L, "path", list("zz")));
        rejects(t, "hybrid torrent: info.files[3] has no counterpart in the file tree");
    }

    @Test
    void hybridWhosePieceCountsDifferIsRejected() {
        Map<Object, Object> t = hybrid();
        List<Object> files = files(t);
        files.remove(1); // the padding file: v1 now has one piece, v2 two
        info(t).put("pieces", new byte[20]);
        rejects(t, "hybrid torrent: v1 has 1 pieces but v2 has 2");
    }

    // ---------------------------------------------------------------- path tricks

    @Test
    void dotDotComponentIsRejected() {
        rejects(withPaths(List.of("ok"), List.of("..", "..", "etc", "passwd")), "'..'");
    }

    @Test
    void dotDotInTheMiddleIsRejected() {
        rejects(withPaths(List.of("a", "..", "..", "b")), "'..'");
    }

    @Test
    void absoluteComponentIsRejected() {
        rejects(withPaths(List.of("/etc/passwd")), "contains '/'");
    }

    @Test
    void nulInAComponentIsRejected() {
        rejects(withPaths(List.of("a\0.txt")), "NUL");
    }

    @Test
    void onlyDotsIsRejected() {
        rejects(withPaths(List.of("...")), "only of dots");
    }

    @Test
    void moreThan100ComponentsAreRejected() {
        List<String> deep = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            deep.add("d");
        }
        rejects(withPaths(deep), "more than the 100 limit");
    }

    @Test
    void rejectionMessagesEscapeControlAndBidiCharacters() {
        MetainfoException e = rejects(withPaths(List.of("\u202Egnp.exe\u001b[2J\0")), "NUL");
        assertFalse(e.getMessage().contains("\u202E"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void driveLetterIsSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of("C:", "Windows", "x.dll")));
        assertEquals(List.of("C_", "Windows", "x.dll"), t.files().get(0).path());
    }

    @Test
    void backslashesAreSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of("..\\..\\evil.bat")));
        assertEquals(List.of(".._.._evil.bat"), t.files().get(0).path());
    }

    @Test
    void controlCharactersAreSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of("a\nb\u007f.txt")));
        assertEquals(List.of("a_b_.txt"), t.files().get(0).path());
        assertFalse(t.files().get(0).fixes().isEmpty());
    }

    @Test
    void bidiOverrideIsSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of("\u202Etxt.exe")));
        assertEquals(List.of("_txt.exe"), t.files().get(0).path());
    }

    @Test
    void invalidUtf8IsSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of(new byte[] {'a', (byte) 0xc0, (byte) 0xaf, 'b'})));
        assertTrue(t.files().get(0).path().get(0).startsWith("a_"), t.files().get(0).path()::toString);
        assertTrue(t.warnings().stream().anyMatch(w -> w.contains("invalid UTF-8")), t.warnings()::toString);
    }

    @Test
    void invalidUtf8NameIsSanitised() throws Exception {
        Map<Object, Object> t = v1Single("x", data(5), PL);
        info(t).put("name", new byte[] {(byte) 0xff, 'x'});
        assertEquals("_x", contained(t).name());
    }

    @Test
    void nameOf300BytesIsTruncatedKeepingItsExtension() throws Exception {
        Torrent t = contained(withPaths(List.of("n".repeat(300) + ".mkv")));
        String c = t.files().get(0).path().get(0);
        assertEquals(PathSanitizer.MAX_COMPONENT_BYTES, c.length());
        assertTrue(c.endsWith(".mkv"), c);
    }

    @Test
    void windowsDeviceNameIsSanitised() throws Exception {
        Torrent t = contained(withPaths(List.of("aux.txt")));
        assertEquals(List.of("aux_.txt"), t.files().get(0).path());
    }

    @Test
    void deviceNameFollowedBySpacesAndALongTailIsRejectedOrContained() throws Exception {
        rejectedOrContained(withPaths(List.of("CON" + " ".repeat(300) + ".txt")));
    }

    @Test
    void duplicatePathsAreRenamedApart() throws Exception {
        Torrent t = contained(withPaths(List.of("d", "a.txt"), List.of("d", "a.txt")));
        assertEquals(List.of("d", "a.txt"), t.files().get(0).path());
        assertEquals(List.of("d", "a.1.txt"), t.files().get(1).path());
    }

    @Test
    void caseCollidingPathsAreRenamedApart() throws Exception {
        Torrent t = contained(withPaths(List.of("Read.ME"), List.of("READ.me"), List.of("dir", "x"),
                List.of("DIR", "x")));
        assertEquals(4, t.files().size());
    }

    @Test
    void fileThatIsAlsoAFolderPrefixIsRenamedApart() throws Exception {
        contained(withPaths(List.of("a"), List.of("a", "b"), List.of("c", "d"), List.of("c")));
    }

    @Test
    void emptyAndDotComponentsAreDropped() throws Exception {
        Torrent t = contained(withPaths(List.of("", ".", "a", "", "b")));
        assertEquals(List.of("a", "b"), t.files().get(0).path());
    }

    @Test
    void symlinkPointingOutOfTheTorrentIsRejected() {
        Map<Object, Object> t = withPaths(List.of("a"), List.of("dir", "link"));
        file(t, 1).put("attr", "l");
        file(t, 1).put("symlink path", list("..", "..", "etc", "passwd"));
        rejects(t, "climbs above the torrent root");
    }

    @Test
    void symlinkWithAnAbsoluteTargetIsRejected() {
        Map<Object, Object> t = withPaths(List.of("a"), List.of("link"));
        file(t, 1).put("attr", "l");
        file(t, 1).put("symlink path", list("/etc/passwd"));
        rejects(t, "contains '/'");
    }

    @Test
    void symlinkToItselfIsRejected() {
        Map<Object, Object> t = withPaths(List.of("a"), List.of("dir", "link"));
        file(t, 1).put("attr", "l");
        file(t, 1).put("symlink path", list("dir"));
        rejects(t, "loop");
    }

    @Test
    void symlinkAttributeWithoutATargetIsRejected() {
        Map<Object, Object> t = withPaths(List.of("a"), List.of("link"));
        file(t, 1).put("attr", "l");
        rejects(t, "info.files[1]: symlink attribute without 'symlink path'");
    }

    @Test
    void symlinkStayingInsideIsContained() throws Exception {
        Map<Object, Object> t = withPaths(List.of("a"), List.of("dir", "link"));
        file(t, 1).put("attr", "l");
        file(t, 1).put("symlink path", list("dir", "..", "a"));
        Torrent parsed = contained(t);
        assertEquals(List.of("a"), parsed.files().get(1).symlinkTarget());
    }

    // ---------------------------------------------------------------- sizes

    /** Raw bytes of a v1 torrent with {@code n} files of one byte, written directly (no value tree). */
    private static byte[] manyFiles(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 40 + 100);
        out.writeBytes(raw("d4:infod5:filesl"));
        for (int i = 0; i < n; i++) {
            out.writeBytes(raw("d6:lengthi1e4:pathl8:", String.format("f%07d", i), "ee"));
        }
        out.writeBytes(raw("e4:name4:root12:piece lengthi", Long.toString(1L << 20), "e6:pieces"));
        int pieces = (n + (1 << 20) - 1) >> 20;
        out.writeBytes(raw(Integer.toString(20 * pieces), ":"));
        out.writeBytes(new byte[20 * pieces]);
        out.writeBytes(raw("ee"));
        return out.toByteArray();
    }

    @Test
    void threeHundredThousandFilesExceedTheTokenLimit() {
        // 6 tokens a file: 1,800,000 tokens, above the documented 1,000,000 (about 200,000 files)
        rejects(manyFiles(300_000), "more than " + TorrentParser.LIMITS.maxTokens() + " tokens");
    }

    @Test
    void twentyThousandFilesAreAccepted() throws Exception {
        byte[] data = manyFiles(20_000);
        Torrent t = Torrent.parse(data);
        assertEquals(20_000, t.files().size());
        assertEquals(20_000, t.totalLength());
        assertEquals(19_999, t.files().getLast().offset());
    }

    @Test
    void torrentFileLargerThan64MiBIsRejectedBeforeReading() throws Exception {
        Path big = root.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Torrent.MAX_TORRENT_SIZE + 1L); // sparse: nothing is written
        }
        MetainfoException e = assertThrows(MetainfoException.class, () -> Torrent.read(big));
        // only the check of the file's size, made before reading, knows the size to report
        assertTrue(e.getMessage().contains((Torrent.MAX_TORRENT_SIZE + 1L) + " bytes is larger than"), e.getMessage());
        assertTrue(e.getMessage().contains("big.torrent"), e.getMessage());
    }
}
