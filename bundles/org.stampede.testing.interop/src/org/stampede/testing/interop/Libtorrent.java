package org.stampede.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * libtorrent's view of torrent files and data, through the one-shot scripts in {@code releng/interop}
 * ({@code lt_info.py}, {@code lt_create.py}, {@code lt_check.py}; their JSON schema is in that folder's README.md).
 * Each runs with {@link Interop#run(List)}, so within {@value Interop#RUN_TIMEOUT_SECONDS} s. Call
 * {@link Interop#requireLibtorrent(String...)} first.
 */
public final class Libtorrent {
    private Libtorrent() {
    }

    /** What libtorrent reads from a torrent file; fails the test when libtorrent rejects it. */
    public static JsonObject info(Path torrent) throws IOException {
        Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_info.py").toString(),
                torrent.toString()));
        assertEquals(0, r.exit(), () -> "libtorrent rejected " + torrent + ": " + r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    /**
     * Makes a torrent of {@code source} with libtorrent into {@code out}, without a creation date.
     *
     * @param versionFlag {@code --v1}, {@code --v2} or {@code --hybrid}
     * @return {@code out}
     */
    public static Path create(Path source, Path out, String versionFlag, long pieceLength) throws IOException {
        Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_create.py").toString(),
                source.toString(), "-o", out.toString(), versionFlag, "--piece-length", Long.toString(pieceLength),
                "--no-date"));
        if (r.exit() != 0) {
            fail("lt_create.py failed (exit " + r.exit() + "): " + r.err());
        }
        return out;
    }

    /**
     * libtorrent hash-checks the data under {@code savePath} against the torrent (giving itself 100 s); returns its
     * JSON verdict, and fails the test when it printed none.
     */
    public static JsonObject check(Path torrent, Path savePath) throws IOException {
        Interop.Result r = Interop.run(List.of(Interop.PYTHON, Interop.script("lt_check.py").toString(),
                torrent.toString(), savePath.toString(), "--timeout", "100"));
        if (r.out().isBlank()) {
            fail("lt_check.py printed nothing (exit " + r.exit() + "): " + r.err());
        }
        return JsonParser.parseString(r.out().strip()).getAsJsonObject();
    }

    /** The non-padding files in {@link #info(Path)}'s answer, as "path/joined=length" strings, in its order. */
    public static List<String> files(JsonObject info) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : info.getAsJsonArray("files")) {
            JsonObject f = e.getAsJsonObject();
            if (!f.get("padding").getAsBoolean()) {
                List<String> path = new ArrayList<>();
                f.getAsJsonArray("path").forEach(c -> path.add(c.getAsString()));
                out.add(String.join("/", path) + "=" + f.get("length").getAsLong());
            }
        }
        return out;
    }
}
