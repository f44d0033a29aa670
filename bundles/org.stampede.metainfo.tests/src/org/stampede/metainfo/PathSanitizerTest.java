package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.PathSanitizer.SafePath;

// A guard against hangs, not a performance assertion: these cases take milliseconds.
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class PathSanitizerTest {

    @TempDir
    Path root;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> path(String... components) {
        List<byte[]> out = new ArrayList<>();
        for (String c : components) {
            out.add(b(c));
        }
        return out;
    }

    private static SafePath ok(String... components) throws MetainfoException {
        return PathSanitizer.sanitize(path(components));
    }

    private static MetainfoException rejected(List<byte[]> components) {
        return assertThrows(MetainfoException.class, () -> PathSanitizer.sanitize(components));
    }

    private static void assertMessageContains(MetainfoException e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    private static void assertFixed(SafePath p, String part) {
        assertTrue(p.fixes().stream().anyMatch(f -> f.contains(part)),
                () -> "fixes " + p.fixes() + " lack '" + part + "'");
    }

    // ---------------------------------------------------------------- plain paths

    @Test
    void ordinaryPathIsUnchangedAndHasNoFixes() throws Exception {
        SafePath p = ok("Album", "01 - Track.flac");
        assertEquals(List.of("Album", "01 - Track.flac"), p.components());
        assertTrue(p.fixes().isEmpty());
        Path expected = root.toAbsolutePath().normalize().resolve("Album").resolve("01 - Track.flac");
        assertEquals(expected, p.resolveUnder(root));
    }

    @Test
    void unicodeNamesAreKept() throws Exception {
        List<String> names = List.of("Café", "日本語.txt", "\uD83C\uDFB5");
        assertEquals(names, ok(names.toArray(String[]::new)).components());
    }

    // ---------------------------------------------------------------- traversal and structure

    @Test
    void dotDotIsRejected() {
        MetainfoException e = rejected(path("a", "..", "b"));
        assertMessageContains(e, "'..'");
        assertMessageContains(e, "climb out of the download folder");
        assertMessageContains(e, "component 1");
    }

    @Test
    void leadingDotDotIsRejected() {
        rejected(path("..", "etc", "passwd"));
    }

    @Test
    void singleDotIsDroppedAndNoted() throws Exception {
        SafePath p = ok("a", ".", "b");
        assertEquals(List.of("a", "b"), p.components());
        assertFixed(p, "'.' dropped");
    }

    @Test
    void emptyComponentIsDroppedAndNoted() throws Exception {
        SafePath p = ok("", "etc", "passwd");
        assertEquals(List.of("etc", "passwd"), p.components());
        assertFixed(p, "empty component dropped");
    }

    @Test
    void pathOfOnlyDotsAndEmptiesIsRejected() {
        assertMessageContains(rejected(path(".", "", ".")), "no components left");
    }

    @Test
    void componentOfOnlyDotsIsRejected() {
        assertMessageContains(rejected(path("a", "...")), "only of dots");
    }

    @Test
    void absolutePathInOneComponentIsRejected() {
        assertMessageContains(rejected(path("/etc/passwd")), "contains '/'");
    }

    @Test
    void slashInsideComponentIsRejected() {
        rejected(path("a", "b/../../c"));
    }

    @Test
    void driveLetterIsSanitised() throws Exception {
        SafePath p = ok("C:");
        assertEquals(List.of("C_"), p.components());
        assertFixed(p, "drive letter");
    }

    @Test
    void driveLetterWithBackslashPathIsSanitised() throws Exception {
        SafePath p = ok("C:\\x");
        assertEquals(List.of("C__x"), p.components());
        assertEquals(1, p.resolveUnder(root).getNameCount() - root.toAbsolutePath().normalize().getNameCount());
    }

    @Test
    void backslashTraversalIsSanitisedIntoOneName() throws Exception {
        SafePath p = ok("a\\..\\b");
        assertEquals(List.of("a_.._b"), p.components());
        assertFixed(p, "separator");
    }

    @Test
    void alternateDataStreamColonIsSanitised() throws Exception {
        assertEquals(List.of("file.txt__$DATA"), ok("file.txt::$DATA").components());
    }

    @Test
    void nulByteIsRejected() {
        assertMessageContains(rejected(List.of(new byte[] {'a', 0, 'b'})), "NUL");
    }

    @Test
    void nulHiddenInSecondComponentIsRejected() {
        rejected(List.of(b("ok"), new byte[] {'e', 'v', 'i', 'l', '.', 't', 'x', 't', 0, '.', 'e', 'x', 'e'}));
    }

    // ---------------------------------------------------------------- characters

    @Test
    void controlCharactersAreReplaced() throws Exception {
        SafePath p = ok("a\u0001b\nc\u007Fd\u009Be");
        assertEquals(List.of("a_b_c_d_e"), p.components());
        assertFixed(p, "4 control character(s)");
    }

    @Test
    void bidiOverrideIsReplaced() throws Exception {
        SafePath p = ok("invoice\u202Etxt.exe");
        assertEquals(List.of("invoice_txt.exe"), p.components());
        assertFixed(p, "bidi");
    }

    @Test
    void bidiIsolatesAndMarksAreReplaced() throws Exception {
        assertEquals(List.of("_a_b_c_d_"), ok("\u2066a\u2069b\u200Ec\u200Fd\u061C").components());
    }

    @Test
    void fixNotesDoNotContainRawBidiOrControlCharacters() throws Exception {
        SafePath p = ok("x\u202Ey\nz");
        for (String fix : p.fixes()) {
            assertFalse(fix.contains("\u202E") || fix.contains("\n"), fix);
        }
    }

    @Test
    void invalidUtf8IsReplaced() throws Exception {
        SafePath p = PathSanitizer.sanitize(List.of(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xC3}));
        assertEquals(List.of("a_b_"), p.components());
        assertFixed(p, "invalid UTF-8");
    }

    @Test
    void overlongUtf8SlashIsNotASeparator() throws Exception {
        // C0 AF is an overlong encoding of '/'; a lax decoder would turn "..\xC0\xAF.." into "../..".
        SafePath p = PathSanitizer.sanitize(List.of(new byte[] {'.', '.', (byte) 0xC0, (byte) 0xAF, '.', '.'}));
        assertEquals(1, p.components().size());
        assertFalse(p.components().get(0).contains("/"));
    }

    @Test
    void encodedSurrogateIsInvalidUtf8() throws Exception {
        SafePath p = PathSanitizer.sanitize(List.of(new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertFalse(p.components().get(0).chars().anyMatch(ch -> Character.isSurrogate((char) ch)));
    }

    // ---------------------------------------------------------------- lengths

    @Test
    void overlongComponentIsTruncatedKeepingExtension() throws Exception {
        SafePath p = ok("x".repeat(300) + ".mkv");
        String c = p.components().get(0);
        assertEquals(PathSanitizer.MAX_COMPONENT_BYTES, b(c).length);
        assertTrue(c.endsWith(".mkv"), c);
        assertFixed(p, "truncated");
    }

    @Test
    void truncationDoesNotSplitMultiByteCharacters() throws Exception {
        String c = ok("é".repeat(200)).components().get(0); // 400 bytes
        assertEquals(127, c.length());
        assertEquals(254, b(c).length);
        assertEquals("é".repeat(127), c);
    }

    @Test
    void truncationDoesNotSplitSurrogatePairs() throws Exception {
        String c = ok("\uD83C\uDFB5".repeat(70)).components().get(0); // 280 bytes
        assertEquals(252, b(c).length);
        assertFalse(Character.isHighSurrogate(c.charAt(c.length() - 1)));
    }

    @Test
    void totalPathOver4096BytesIsRejected() {
        List<byte[]> p = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            p.add(b("d".repeat(249)));
        }
        assertMessageContains(rejected(p), "limit");
    }

    @Test
    void singleHugeComponentOverThePathLimitIsRejected() {
        rejected(path("x".repeat(5000)));
    }

    @Test
    void tooManyComponentsAreRejected() {
        List<byte[]> p = new ArrayList<>(Collections.nCopies(PathSanitizer.MAX_COMPONENTS + 1, b("d")));
        assertMessageContains(rejected(p), "components");
    }

    // ---------------------------------------------------------------- Windows names

    @Test
    void reservedDeviceNameWithExtensionIsRenamed() throws Exception {
        SafePath p = ok("CON.txt");
        assertEquals(List.of("CON_.txt"), p.components());
        assertFixed(p, "device name");
    }

    @Test
    void reservedDeviceNamesInAnyCaseAreRenamed() throws Exception {
        assertEquals(List.of("nul_", "Com1_.tar.gz", "lpt9_", "AUX _.x", "CONOUT$_"),
                ok("nul", "Com1.tar.gz", "lpt9", "AUX .x", "CONOUT$").components());
    }

    @Test
    void namesMerelyStartingWithDeviceNamesAreKept() throws Exception {
        List<String> names = List.of("CONSOLE.txt", "COM10", "auxiliary", "xCON");
        assertEquals(names, ok(names.toArray(String[]::new)).components());
    }

    @Test
    void trailingDotIsProtected() throws Exception {
        SafePath p = ok("name.");
        assertEquals(List.of("name._"), p.components());
        assertFixed(p, "trailing");
    }

    @Test
    void trailingSpaceIsProtected() throws Exception {
        assertEquals(List.of("name _"), ok("name ").components());
    }

    @Test
    void dotDotSpaceCannotBecomeDotDotOnWindows() throws Exception {
        assertEquals(List.of(".. _"), ok(".. ").components());
    }

    // ---------------------------------------------------------------- sanitizeComponent

    @Test
    void sanitizeComponentRejectsWhatCannotBeDropped() {
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeComponent(b(".")));
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeComponent(new byte[0]));
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeComponent(b("..")));
    }

    @Test
    void sanitizeComponentAppliesTheSameRules() throws Exception {
        assertEquals("a_b", PathSanitizer.sanitizeComponent(b("a\u202Eb")));
    }

    // ---------------------------------------------------------------- SafePath invariant, resolveUnder

    @Test
    void safePathCannotBeConstructedFromUnsafeComponents() {
        for (String bad : List.of("..", ".", "", "a/b", "a\\b", "C:", "CON", "x.", "a\u202Eb", "a\u0000b")) {
            assertThrows(IllegalArgumentException.class, () -> new SafePath(List.of("ok", bad), List.of()), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new SafePath(List.of(), List.of()));
    }

    @Test
    void resolveUnderNormalisesARootWithDotDot() throws Exception {
        Path sub = root.resolve("sub");
        Path resolved = ok("f").resolveUnder(sub.resolve("..").resolve("sub"));
        assertEquals(sub.toAbsolutePath().normalize().resolve("f"), resolved);
    }

    // ---------------------------------------------------------------- collisions

    @Test
    void duplicatePathsAreRenamed() throws Exception {
        List<SafePath> all =
                PathSanitizer.sanitizeAll(List.of(path("d", "a.txt"), path("d", "a.txt"), path("d", "a.txt")));
        assertEquals(List.of("d", "a.txt"), all.get(0).components());
        assertTrue(all.get(0).fixes().isEmpty());
        assertEquals(List.of("d", "a.1.txt"), all.get(1).components());
        assertEquals(List.of("d", "a.2.txt"), all.get(2).components());
        assertFixed(all.get(1), "renamed");
    }

    @Test
    void caseCollisionsAreRenamed() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("README"), path("readme"), path("ReadMe")));
        assertEquals(List.of("README", "readme.1", "ReadMe.2"),
                all.stream().map(SafePath::relativePath).toList());
    }

    @Test
    void unicodeNormalisationCollisionsAreRenamed() throws Exception {
        // NFC "é" versus NFD "e" + COMBINING ACUTE: one name on macOS.
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("caf\u00E9"), path("cafe\u0301")));
        assertEquals("cafe\u0301.1", all.get(1).relativePath());
    }

    @Test
    void collisionsCreatedBySanitisingAreRenamed() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("a:b"), path("a?b")));
        assertEquals(List.of("a_b", "a_b.1"), all.stream().map(SafePath::relativePath).toList());
    }

    @Test
    void fileThenDirectoryOfSameNameRenamesTheDirectoryForEveryLaterFile() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("a"), path("a", "b"), path("A", "c")));
        assertEquals(List.of("a", "a.1/b", "a.1/c"), all.stream().map(SafePath::relativePath).toList());
        assertFixed(all.get(1), "directory");
    }

    @Test
    void directoryThenFileOfSameNameRenamesTheFile() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("a", "b"), path("a")));
        assertEquals(List.of("a/b", "a.1"), all.stream().map(SafePath::relativePath).toList());
    }

    @Test
    void fileThatIsANestedDirectoryPrefixIsDetected() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("x", "y"), path("x", "y", "z")));
        assertEquals(List.of("x/y", "x/y.1/z"), all.stream().map(SafePath::relativePath).toList());
    }

    @Test
    void renameSkipsNamesAlreadyTaken() throws Exception {
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path("a.1.txt"), path("a.txt"), path("a.txt")));
        assertEquals(List.of("a.1.txt", "a.txt", "a.2.txt"), all.stream().map(SafePath::relativePath).toList());
    }

    @Test
    void renamingAMaximalLengthNameStaysWithinTheComponentLimit() throws Exception {
        String longName = "n".repeat(251) + ".txt";
        List<SafePath> all = PathSanitizer.sanitizeAll(List.of(path(longName), path(longName)));
        String renamed = all.get(1).components().get(0);
        assertTrue(b(renamed).length <= PathSanitizer.MAX_COMPONENT_BYTES);
        assertTrue(renamed.endsWith(".1.txt"), renamed);
    }

    @Test
    void sanitizeAllNamesTheFileInErrors() {
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> PathSanitizer.sanitizeAll(List.of(path("ok"), path("..", "x"))));
        assertTrue(e.getMessage().startsWith("file 1:"), e.getMessage());
    }

    @Test
    void manyDuplicatesAreResolvedInLinearTime() throws Exception {
        int n = 100_000;
        List<List<byte[]>> files = new ArrayList<>(n);
        List<byte[]> same = path("dir", "same.bin");
        for (int i = 0; i < n; i++) {
            files.add(same);
        }
        List<SafePath> all = PathSanitizer.sanitizeAll(files);
        Set<String> distinct = new HashSet<>();
        for (SafePath p : all) {
            distinct.add(PathSanitizer.fold(p.relativePath()));
        }
        assertEquals(n, distinct.size());
    }

    // ---------------------------------------------------------------- symlinks

    @Test
    void symlinkInsideTheTorrentIsAccepted() throws Exception {
        SafePath link = ok("bin", "tool");
        SafePath target = PathSanitizer.sanitizeSymlinkTarget(path("lib", "tool-1.0"), link);
        assertEquals(List.of("lib", "tool-1.0"), target.components());
        assertTrue(target.resolveUnder(root).startsWith(root.toAbsolutePath().normalize()));
    }

    @Test
    void symlinkDotDotThatStaysInsideIsResolved() throws Exception {
        SafePath target = PathSanitizer.sanitizeSymlinkTarget(path("a", "b", "..", "c"), ok("l"));
        assertEquals(List.of("a", "c"), target.components());
        assertFixed(target, "'..' resolved");
    }

    @Test
    void symlinkEscapingTheRootIsRejected() {
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> PathSanitizer.sanitizeSymlinkTarget(path("a", "..", "..", "etc", "passwd"), ok("l")));
        assertMessageContains(e, "climbs above the torrent root");
    }

    @Test
    void symlinkAbsoluteTargetIsRejected() {
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeSymlinkTarget(path("/etc/passwd"), ok("l")));
    }

    @Test
    void symlinkToTheRootIsRejected() {
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeSymlinkTarget(path("a", ".."), ok("l")));
    }

    @Test
    void symlinkToItselfOrItsDirectoryIsRejected() {
        assertMessageContains(assertThrows(MetainfoException.class,
                () -> PathSanitizer.sanitizeSymlinkTarget(path("D", "l"), ok("d", "l"))), "loop");
        assertThrows(MetainfoException.class, () -> PathSanitizer.sanitizeSymlinkTarget(path("d"), ok("d", "l")));
    }

    // ---------------------------------------------------------------- property

    private static final byte[][] PIECES = {
        b(".."), b("."), b("/"), b("\\"), b(":"), b("C:"), {0}, b("a"), b("b"), b(" "), b("CON"), b("~"),
        b("%2e"), b("é"), {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x80, (byte) 0xAE},
        {(byte) 0xE2, (byte) 0x81, (byte) 0xA6}, {0x1B}, {0x7F}, b("\u3002"), b("\uFF0F"), b("x".repeat(120)),
    };

    private static byte[] randomComponent(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = rnd.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            if (rnd.nextInt(4) == 0) {
                out.write(rnd.nextInt(256));
            } else {
                out.writeBytes(PIECES[rnd.nextInt(PIECES.length)]);
            }
        }
        return out.toByteArray();
    }

    private void assertSafelyInside(SafePath p, Path base) throws MetainfoException {
        Path resolved = p.resolveUnder(base);
        assertTrue(resolved.startsWith(base), resolved::toString);
        assertEquals(resolved, resolved.normalize());
        assertEquals(p.components().size(), base.relativize(resolved).getNameCount(), resolved::toString);
        for (String c : p.components()) {
            assertTrue(PathSanitizer.isSafeComponent(c), c);
        }
    }

    @Test
    void randomHostilePathsNeverResolveOutsideTheRoot() throws Exception {
        Path base = root.toAbsolutePath().normalize();
        Random rnd = new Random(0x5EED_2024L);
        int accepted = 0;
        int rejectedCount = 0;
        int symlinksAccepted = 0;
        for (int i = 0; i < 10_000; i++) {
            List<byte[]> components = new ArrayList<>();
            int n = rnd.nextInt(6);
            for (int j = 0; j < n; j++) {
                components.add(randomComponent(rnd));
            }
            SafePath p;
            try {
                p = PathSanitizer.sanitize(components);
            } catch (MetainfoException e) {
                rejectedCount++;
                continue;
            }
            accepted++;
            assertSafelyInside(p, base);
            try {
                SafePath target = PathSanitizer.sanitizeSymlinkTarget(components, ok("link", "here"));
                assertSafelyInside(target, base);
                symlinksAccepted++;
            } catch (MetainfoException e) {
                // rejected: fine
            }
        }
        assertTrue(accepted > 1000, "accepted " + accepted);
        assertTrue(rejectedCount > 1000, "rejected " + rejectedCount);
        assertTrue(symlinksAccepted > 100, "symlinks accepted " + symlinksAccepted);
    }

    @Test
    void randomTorrentsNeverProduceCollidingOrEscapingPaths() throws Exception {
        Path base = root.toAbsolutePath().normalize();
        Random rnd = new Random(42);
        byte[][] names = {b("a"), b("A"), b("b"), b("a.txt"), b("A.TXT"), b("a.1.txt"), b("c:"), b("c?")};
        for (int t = 0; t < 200; t++) {
            List<List<byte[]>> files = new ArrayList<>();
            int count = 1 + rnd.nextInt(30);
            for (int f = 0; f < count; f++) {
                List<byte[]> p = new ArrayList<>();
                int depth = 1 + rnd.nextInt(3);
                for (int d = 0; d < depth; d++) {
                    p.add(names[rnd.nextInt(names.length)]);
                }
                files.add(p);
            }
            List<SafePath> all = PathSanitizer.sanitizeAll(files);
            Set<String> fileKeys = new HashSet<>();
            Set<String> dirKeys = new HashSet<>();
            for (SafePath p : all) {
                assertSafelyInside(p, base);
                List<String> c = p.components();
                String key = PathSanitizer.fold(p.relativePath());
                assertTrue(fileKeys.add(key), "duplicate " + key + " in " + all);
                for (int i = 1; i < c.size(); i++) {
                    dirKeys.add(PathSanitizer.fold(String.join("/", c.subList(0, i))));
                }
            }
            for (String f : fileKeys) {
                assertFalse(dirKeys.contains(f), "file " + f + " is also a directory in " + all);
            }
        }
    }

    @Test
    void deviceNameBehindALongRunOfSpacesStaysRenamedAfterTruncation() throws Exception {
        String name = "CON" + " ".repeat(300) + ".txt";
        PathSanitizer.SafePath safe = PathSanitizer.sanitize(List.of(name.getBytes(StandardCharsets.UTF_8)));
        String component = safe.components().get(0);
        assertTrue(component.getBytes(StandardCharsets.UTF_8).length <= PathSanitizer.MAX_COMPONENT_BYTES, component);
        String base = component.substring(0, component.indexOf('.')).stripTrailing();
        assertFalse(base.equalsIgnoreCase("CON"), component);
        assertTrue(base.startsWith("CON") && base.endsWith("_"), component);
        assertTrue(component.endsWith(".txt"), component);
    }
}
