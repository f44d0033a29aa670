package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The control channel over real sockets on 127.0.0.1: limits, and a round trip through {@link ControlClient}. */
class ControlServerTest {
    /** Hang guard: every test here finishes in well under a second when it passes. */
    static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final ControlFakes.Target target = new ControlFakes.Target();
    final ControlDispatcher dispatcher = new ControlDispatcher(ControlFakes.TOKEN, target,
            new ControlFakes.Bundles(target), 200);
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    ControlServer start(int maxConnections, int readTimeoutMillis) throws IOException {
        ControlServer s = ControlServer.start(0, dispatcher::handle, maxConnections, readTimeoutMillis);
        toClose.add(s);
        return s;
    }

    Socket connect(ControlServer server) throws IOException {
        Socket s = new Socket(ControlServer.loopback(), server.port());
        s.setSoTimeout(20_000);
        toClose.add(s);
        return s;
    }

    static void send(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static JsonObject reply(Socket s) throws IOException {
        String line = new BoundedLineReader(s.getInputStream(), 1 << 20).readLine();
        assertTrue(line != null, "a reply before the connection closed");
        return JsonParser.parseString(line).getAsJsonObject();
    }

    static String statusRequest() {
        return "{\"token\":\"" + ControlFakes.TOKEN + "\",\"op\":\"status\"}";
    }

    @Test
    void requestsOnOneConnectionAreAnsweredInTurn() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(4, 20_000));
            send(s, statusRequest());
            assertTrue(reply(s).get("ok").getAsBoolean());
            send(s, "not json");
            assertFalse(reply(s).get("ok").getAsBoolean());
            send(s, statusRequest());
            assertEquals(2, reply(s).getAsJsonArray("torrents").size());
        });
    }

    @Test
    void anOversizedLineIsRefusedWithoutBeingBuffered() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(4, 20_000));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) '{');
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < 160; i++) { // 10 MiB, no newline
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    s.shutdownOutput();
                } catch (IOException closedByServer) {
                    // the server may close once it has dropped what it allows
                }
            }, "oversized-writer");
            writer.start();
            JsonObject reply = reply(s);
            assertFalse(reply.get("ok").getAsBoolean());
            assertTrue(reply.get("error").getAsString().contains("longer than 65536 bytes"), reply::toString);
            assertNull(new BoundedLineReader(s.getInputStream(), 1024).readLine(), "closed after the error");
            writer.join();
        });
    }

    @Test
    void connectionsOverTheLimitAreToldSoAndClosed() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(2, 20_000);
            for (int i = 0; i < 2; i++) { // two connections, each served (so holding its slot)
                Socket s = connect(server);
                send(s, statusRequest());
                assertTrue(reply(s).get("ok").getAsBoolean());
            }
            Socket third = connect(server);
            JsonObject reply = reply(third);
            assertFalse(reply.get("ok").getAsBoolean());
            assertTrue(reply.get("error").getAsString().contains("too many control connections (at most 2"),
                    reply::toString);
            assertNull(new BoundedLineReader(third.getInputStream(), 1024).readLine(), "closed after the error");
        });
    }

    @Test
    void aSlotIsFreedWhenItsConnectionCloses() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(1, 20_000);
            try (Socket first = new Socket(ControlServer.loopback(), server.port())) {
                send(first, statusRequest());
                assertTrue(reply(first).get("ok").getAsBoolean());
            }
            while (true) { // the server frees the slot when it sees the close; bounded by the guard
                Socket s = connect(server);
                send(s, statusRequest());
                if (reply(s).get("ok").getAsBoolean()) {
                    return;
                }
                Thread.sleep(10);
            }
        });
    }

    @Test
    void anIdleConnectionIsClosedAfterTheReadTimeout() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(4, 100));
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed by the server, nothing sent");
        });
    }

    @Test
    void theClientGetsTheReplyOfTheServerItsControlFileNames() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(4, 20_000);
            Path file = ControlFile.in(dir.resolve(".stampede"));
            new ControlFile(server.port(), ControlFakes.TOKEN, ProcessHandle.current().pid()).write(file);
            JsonObject request = new JsonObject();
            request.addProperty("op", "switch");
            request.addProperty("torrent", "aabb");
            request.addProperty("kind", "picker");
            request.addProperty("id", "sequential");
            JsonObject reply = ControlClient.request(file, dir.toString(), request);
            assertTrue(reply.get("ok").getAsBoolean(), reply::toString);
            assertEquals(List.of(ControlFakes.HASH_B + " picker sequential"), target.switches);
        });
    }

    @Test
    void closingTheServerClosesItsConnections() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(4, 20_000);
            Socket s = connect(server);
            send(s, statusRequest());
            reply(s);
            server.close();
            assertEquals(-1, s.getInputStream().read());
        });
    }
}
