package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyInfo;
import org.stampede.fuzz.Allocation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The control protocol as the control socket serves it: the bytes a client sends, read as lines by a
 * {@link BoundedLineReader} (a line over the limit ends the connection with {@link
 * BoundedLineReader.LineTooLongException}), each non-blank line handed to a {@link ControlDispatcher} over a fake
 * client. Every reply is one line holding a JSON object with a boolean {@code ok}, and an error says what was wrong
 * with the request: it is never an {@code internal error}, the dispatcher's name for an exception it did not expect.
 */
class ControlProtocolFuzzTest {
    static final String TOKEN = "t0k3n";
    static final String HASH_A = "aaaa" + "0".repeat(36);
    static final String HASH_B = "aabb" + "1".repeat(36);
    /** A short limit, so that inputs of a few KiB reach it too (the server's is 64 KiB). */
    static final int MAX_LINE = 512;

    @FuzzTest
    void request(byte[] data) {
        List<String> lines = new ArrayList<>();
        Allocation.bounded(data.length, 16, () -> {
            lines.clear();
            BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(data), MAX_LINE);
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    assertTrue(line.length() <= MAX_LINE);
                    lines.add(line);
                }
            } catch (BoundedLineReader.LineTooLongException e) {
                // the server answers with an error and closes the connection
            } catch (IOException e) {
                throw new UncheckedIOException("a byte array cannot fail to read", e);
            }
        });
        ControlDispatcher dispatcher = new ControlDispatcher(TOKEN, new Target(), new Bundles(), 0);
        for (String line : lines) {
            if (!line.isBlank()) {
                // each request on its own: a reply costs some KiB whatever its size (JSON reader and writer, an
                // exception for a refused request), so a budget per input byte would not fit many tiny lines
                Allocation.bounded(line.length(), 256, () -> check(dispatcher.handle(line)));
            }
        }
    }

    private static void check(String reply) {
        assertFalse(reply.contains("\n") || reply.contains("\r"), () -> "a reply of several lines: " + reply);
        JsonElement json = JsonParser.parseString(reply);
        assertTrue(json.isJsonObject(), reply);
        JsonObject o = json.getAsJsonObject();
        assertTrue(o.get("ok") instanceof JsonPrimitive p && p.isBoolean(), reply);
        if (!o.get("ok").getAsBoolean()) {
            String error = o.get("error").getAsString();
            assertFalse(error.startsWith("internal error"), () -> "an unexpected exception: " + error);
        }
    }

    /** Two torrents and four strategies; nothing changes between inputs (each gets a new one). */
    private static final class Target implements ControlTarget {
        private final List<Torrent> torrents = List.of(
                new Torrent("alpha", HASH_A, "downloading", 0.25, "rarest-first", "tit-for-tat", "round-robin", null),
                new Torrent("beta", HASH_B, "error", 0.5, "rarest-first", "tit-for-tat", "round-robin",
                        "cannot write piece 3: /dl/b.bin: No space left on device"));
        private final List<StrategyInfo> strategies = new ArrayList<>(List.of(
                new StrategyInfo("picker", "rarest-first", "org.stampede.picker.rarest", "0.1.0", "rarest first",
                        List.of(HASH_A, HASH_B)),
                new StrategyInfo("picker", "sequential", "org.stampede.picker.sequential", "0.1.0", "in order",
                        List.of()),
                new StrategyInfo("choker", "tit-for-tat", "org.stampede.choker.titfortat", "0.1.0", "tit for tat",
                        List.of(HASH_A, HASH_B)),
                new StrategyInfo("seed-choker", "round-robin", "org.stampede.choker.seed", "0.1.0", "round robin",
                        List.of(HASH_A, HASH_B))));
        private final List<PluginInfo> plugins = List.of(new PluginInfo("tcp", PluginInfo.TRANSPORT,
                "org.stampede.transport.tcp", "0.1.0", "active"));
        private final List<String> paused = new ArrayList<>();

        @Override
        public List<Torrent> torrents() {
            return torrents;
        }

        @Override
        public List<StrategyInfo> strategies() {
            return strategies;
        }

        @Override
        public void switchStrategy(String infoHash, String kind, String id) {
            known(infoHash);
        }

        @Override
        public List<PluginInfo> plugins() {
            return plugins;
        }

        @Override
        public boolean pause(String infoHash) {
            known(infoHash);
            return !paused.contains(infoHash) && paused.add(infoHash);
        }

        @Override
        public boolean resume(String infoHash) {
            known(infoHash);
            return paused.remove(infoHash);
        }

        private void known(String infoHash) {
            if (torrents.stream().noneMatch(t -> t.infoHash().equals(infoHash))) {
                throw new IllegalArgumentException("torrent " + infoHash + " is not running");
            }
        }
    }

    /** An engine bundle and a strategy bundle; an install "succeeds" for a jar named *.jar and nothing else. */
    private static final class Bundles implements BundleControl {
        private final List<BundleRef> installed = new ArrayList<>(List.of(
                new BundleRef(3, "org.stampede.engine", "0.1.0", false, false),
                new BundleRef(7, "org.stampede.picker.sequential", "0.1.0", true, false)));

        @Override
        public BundleRef install(Path jar, boolean persist) throws BundleControlException {
            String file = String.valueOf(jar.getFileName());
            if (!file.endsWith(".jar")) {
                throw new BundleControlException(jar + ": not an OSGi bundle");
            }
            BundleRef b = new BundleRef(40 + installed.size(), "x." + file, "1.0.0", true, true, null);
            installed.add(b);
            return b;
        }

        @Override
        public Optional<BundleRef> find(String idOrSymbolicName) {
            return installed.stream().filter(b -> String.valueOf(b.id()).equals(idOrSymbolicName)
                    || b.symbolicName().equals(idOrSymbolicName)).findFirst();
        }

        @Override
        public boolean uninstall(BundleRef bundle) {
            return installed.remove(bundle);
        }
    }
}
