package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.stampede.fuzz.Allocation;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Torrent files and magnet links. Every input either parses or raises {@link MetainfoException}. What parses keeps
 * the promises {@link Torrent} and {@link MagnetLink} make: every path is a list of safe components that resolves
 * under the download folder, piece hashes exist for every piece, a link's canonical form parses to an equal link.
 */
class MetainfoFuzzTest {
    private static final Path DOWNLOADS = Path.of("/downloads");

    @FuzzTest
    void torrent(byte[] data) {
        Allocation.bounded(data.length, 256, () -> {
            Torrent t;
            try {
                t = Torrent.parse(data);
            } catch (MetainfoException e) {
                assertNotNull(e.getMessage());
                return;
            }
            check(t);
        });
    }

    @FuzzTest
    void magnet(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Allocation.bounded(data.length, 256, () -> {
            MagnetLink link;
            try {
                link = MagnetLink.parse(text);
            } catch (MetainfoException e) {
                assertNotNull(e.getMessage());
                return;
            }
            assertTrue(link.infoHashV1() != null || link.infoHashV2() != null, "a link has an info-hash");
            String canonical = link.toUri();
            if (canonical.length() <= MagnetLink.MAX_LENGTH) {
                try {
                    assertEquals(link, MagnetLink.parse(canonical), "the canonical form parses to an equal link");
                } catch (MetainfoException e) {
                    throw new AssertionError("the canonical form " + canonical + " of " + text + " is refused", e);
                }
            }
            int n = 0;
            for (int i : link.selectOnly()) { // iterating a huge selection is bounded by MAX_SELECTED_FILES
                assertTrue(link.selectOnly().contains(i));
                if (++n > 100) {
                    break;
                }
            }
        });
    }

    private static void check(Torrent t) {
        assertNotNull(t.name());
        assertTrue(PathSanitizer.isSafeComponent(t.name()), () -> "unsafe name " + t.name());
        assertTrue(t.infoHashV1() != null || t.infoHashV2() != null);
        assertEquals(t.version().hasV1(), t.infoHashV1() != null);
        assertEquals(t.version().hasV2(), t.infoHashV2() != null);
        assertTrue(t.pieceLength() > 0 && t.pieceLength() <= Torrent.MAX_PIECE_LENGTH);
        assertTrue(t.pieceCount() >= 0 && t.pieceCount() <= Torrent.MAX_PIECES);
        assertFalse(t.files().isEmpty(), "a torrent has files");
        long content = 0;
        long offset = -1;
        for (TorrentFile f : t.files()) {
            assertTrue(f.length() >= 0);
            assertTrue(f.offset() >= offset, "files are in stream order");
            offset = f.offset();
            assertFalse(f.path().isEmpty());
            for (String c : f.path()) {
                assertTrue(PathSanitizer.isSafeComponent(c), () -> "unsafe component " + c + " in " + f.path());
            }
            Path under = (t.isSingleFile() ? DOWNLOADS : DOWNLOADS.resolve(t.name())).resolve(String.join("/",
                    f.path())).normalize();
            assertTrue(under.startsWith(DOWNLOADS) && !under.equals(DOWNLOADS), () -> f.path() + " leaves "
                    + DOWNLOADS);
            if (f.symlinkTarget() != null) {
                for (String c : f.symlinkTarget()) {
                    assertTrue(PathSanitizer.isSafeComponent(c), () -> "unsafe link target " + f.symlinkTarget());
                }
            }
            if (!f.padding()) {
                content += f.length();
            }
        }
        assertEquals(content, t.totalLength(), "the content is the files less the padding");
        if (t.pieceCount() > 0) {
            for (int i : List.of(0, t.pieceCount() - 1)) {
                if (t.version().hasV1()) {
                    assertEquals(20, t.pieceHashV1(i).length);
                }
                if (t.version().hasV2()) {
                    assertEquals(32, t.pieceHashV2(i).length);
                }
            }
        }
        t.trackers().forEach(tier -> assertFalse(tier.isEmpty(), "no empty tier"));
        t.warnings().forEach(w -> assertNotNull(w));
        assertNotNull(t.toString());
    }
}
