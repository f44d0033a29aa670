package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stampede.testing.interop.Interop;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * libtorrent announces to our embedded tracker (releng/interop/lt_announce.py): the tracker records it under the
 * right info-hash, libtorrent reads our reply (one peer we put in the swarm beforehand), and libtorrent's stopped
 * announce takes it out again; slow clients do not hold its announce back.
 */
class LibtorrentAnnounceTest {
    static final long TIMEOUT_SECONDS = 60;
    /** A peer in the swarm before libtorrent comes, so that our reply to libtorrent carries one peer. */
    static final int OTHER_PEER_PORT = 40999;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http", "udp" })
    void libtorrentAnnouncesToOurTrackerAndReadsItsReply(String transport) throws Exception {
        Interop.requireLibtorrent();
        byte[] hash = new byte[20];
        new Random(transport.hashCode()).nextBytes(hash);
        String hex = HexFormat.of().formatHex(hash);
        try (EmbeddedTracker tracker = EmbeddedTracker.start(EmbeddedTracker.Config.defaults())) {
            announceOtherPeer(tracker, hash);
            URI url = transport.equals("http") ? tracker.httpAnnounceUrl() : tracker.udpAnnounceUrl();
            Path err = dir.resolve("lt_announce.err");
            Process p = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_announce.py").toString(), hex,
                    url.toString(), "--timeout", "30", "--hold").redirectError(err.toFile()).start();
            try {
                JsonObject out = firstLine(p, err);
                JsonObject result = out.getAsJsonObject("trackers").getAsJsonObject(url.toString());
                assertNotNull(result, out.toString());
                assertTrue(result.get("replied").getAsBoolean(), out.toString());
                assertEquals(1, result.get("numPeers").getAsInt(), "libtorrent read the one other peer: " + out);

                EmbeddedTracker.SwarmStats stats = tracker.stats(hash);
                assertEquals(2, stats.complete() + stats.incomplete(), "libtorrent is in the swarm: " + stats);

                p.getOutputStream().close(); // lets the script stop the torrent: libtorrent announces stopped
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    fail("lt_announce.py did not finish within " + TIMEOUT_SECONDS + " s");
                }
                assertEquals(0, p.exitValue(), () -> readQuietly(err));
                EmbeddedTracker.SwarmStats after = tracker.stats(hash);
                assertEquals(1, after.complete() + after.incomplete(), "libtorrent left the swarm: " + after);
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * libtorrent's announce is answered while 8 connections from its address trickle requests a byte at a time (the
     * slowloris that stalled the tracker when it ran on the JDK's HTTP server).
     */
    @Test
    void libtorrentIsAnsweredWhileSlowClientsTrickleTheirRequests() throws Exception {
        Interop.requireLibtorrent();
        byte[] hash = new byte[20];
        new Random(3).nextBytes(hash);
        EmbeddedTracker.Config config = EmbeddedTracker.Config.defaults()
                .withHttpLimits(new EmbeddedTracker.HttpLimits(Duration.ofSeconds(300), 512, 16));
        List<RawHttp.Trickler> slow = new ArrayList<>();
        try (EmbeddedTracker tracker = EmbeddedTracker.start(config)) {
            try {
                for (int i = 0; i < 8; i++) {
                    slow.add(new RawHttp.Trickler(tracker, RawHttp.loopback(1), "GET /announce?info_hash="));
                }
                for (RawHttp.Trickler t : slow) {
                    t.awaitTrickled(3);
                }
                announceOtherPeer(tracker, hash);
                URI url = tracker.httpAnnounceUrl();
                Path err = dir.resolve("lt_announce.err");
                Process p = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_announce.py").toString(),
                        HexFormat.of().formatHex(hash), url.toString(), "--timeout", "30").redirectError(err.toFile())
                        .start();
                try {
                    JsonObject out = firstLine(p, err);
                    JsonObject result = out.getAsJsonObject("trackers").getAsJsonObject(url.toString());
                    assertTrue(result.get("replied").getAsBoolean(), out.toString());
                    assertEquals(1, result.get("numPeers").getAsInt(), out.toString());
                } finally {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                for (RawHttp.Trickler t : slow) {
                    assertTrue(RawHttp.stillOpen(t.socket), "the slow clients were not simply dropped");
                }
            } finally {
                for (RawHttp.Trickler t : slow) {
                    t.close();
                }
            }
        }
    }

    private static void announceOtherPeer(EmbeddedTracker tracker, byte[] hash) throws Exception {
        StringBuilder h = new StringBuilder();
        for (byte b : hash) {
            h.append('%').append(String.format("%02X", b & 0xff));
        }
        URI uri = URI.create(tracker.httpAnnounceUrl() + "?info_hash=" + h + "&peer_id=-XX0001-otherpeer001&port="
                + OTHER_PEER_PORT + "&uploaded=0&downloaded=0&left=0&event=started");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("8:interval"), r.body());
        }
    }

    /** The script's JSON line, waited for at most {@link #TIMEOUT_SECONDS}. */
    private static JsonObject firstLine(Process p, Path err) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String s;
        try {
            s = line.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError("lt_announce.py printed nothing within " + TIMEOUT_SECONDS + " s", e);
        }
        if (s == null) {
            p.waitFor(10, TimeUnit.SECONDS);
            fail("lt_announce.py printed nothing: " + readQuietly(err));
        }
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + f + ")";
        }
    }

}
