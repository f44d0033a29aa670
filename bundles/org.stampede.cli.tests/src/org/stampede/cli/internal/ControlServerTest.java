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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The control channel over real sockets on 127.0.0.1: limits, the token deadline, and round trips through
 * {@link ControlClient} and the {@code control} command.
 */
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

    /** A server whose connections have 20 s to send the token. */
    ControlServer start(int maxConnections, int readTimeoutMillis) throws IOException {
        return start(new ControlServer.Limits(maxConnections, 8, 20_000, readTimeoutMillis));
    }

    ControlServer start(ControlServer.Limits limits) throws IOException {
        ControlServer s = ControlServer.start(0, dispatcher::handle, limits);
        toClose.add(s);
        return s;
    }

    /** Writes the control file of {@code server} into {@link #dir}, for {@link ControlClient} and the command. */
    Path controlFile(ControlServer server) throws IOException {
        Path file = ControlFile.in(dir.resolve(".stampede"));
        new ControlFile(server.port(), ControlFakes.TOKEN, ProcessHandle.current().pid()).write(file);
        return file;
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
    void anIdleAuthenticatedConnectionIsClosedAfterTheReadTimeout() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(4, 100));
            send(s, statusRequest());
            assertTrue(reply(s).get("ok").getAsBoolean());
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed by the server, nothing sent since");
        });
    }

    /**
     * A client that holds a control connection without the token, sending a blank line every 20 ms (the attack
     * sent one every 30 s against a 60 s idle timeout), and connects again whenever the server closes it.
     */
    static final class BlankLiner implements AutoCloseable {
        final AtomicInteger closedByServer = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stop;

        BlankLiner(ControlServer server) {
            thread = new Thread(() -> {
                long end = System.nanoTime() + GUARD.toNanos();
                while (!stop && System.nanoTime() < end) {
                    try (Socket s = new Socket(ControlServer.loopback(), server.port())) {
                        s.setSoTimeout(20);
                        while (!stop && System.nanoTime() < end) {
                            s.getOutputStream().write('\n');
                            try {
                                if (s.getInputStream().read() < 0) {
                                    break;
                                }
                            } catch (SocketTimeoutException e) {
                                continue; // still open: another blank line
                            }
                        }
                    } catch (IOException e) {
                        // closed (reset) by the server
                    }
                    if (!stop) {
                        closedByServer.incrementAndGet();
                    }
                }
            }, "blank-liner");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }
    }

    /** The reported attack on more connections than there are slots: a real {@code control status} still works. */
    @Test
    void connectionsWithoutTheTokenAreClosedAtTheDeadlineAndStatusStillWorks() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(new ControlServer.Limits(4, 8, 300, 20_000));
            Path file = controlFile(server);
            List<BlankLiner> attackers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                BlankLiner b = new BlankLiner(server);
                toClose.add(0, b);
                attackers.add(b);
            }
            for (BlankLiner b : attackers) {
                while (b.closedByServer.get() < 1) { // bounded by the guard
                    Thread.sleep(10);
                }
            }
            CliTest.Run r = CliTest.run("control", "--control", file.toString(), "status");
            assertEquals(Cli.OK, r.status(), r::toString);
            assertTrue(r.out().contains("alpha"), r.out());
            JsonObject reply = ControlClient.request(file, dir.toString(), JsonParser.parseString(
                    "{\"op\":\"status\"}").getAsJsonObject());
            assertTrue(reply.get("ok").getAsBoolean(), reply::toString);
            for (BlankLiner b : attackers) {
                b.close();
            }
            for (BlankLiner b : attackers) {
                assertTrue(b.closedByServer.get() >= 1);
            }
        });
    }

    @Test
    void requestsWithAWrongTokenDoNotAuthenticate() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(new ControlServer.Limits(4, 8, 300, 20_000)));
            String wrong = "{\"token\":\"" + "0".repeat(64) + "\",\"op\":\"status\"}";
            int replies = 0;
            try {
                while (true) { // until the deadline closes it; bounded by the guard
                    send(s, wrong);
                    String line = new BoundedLineReader(s.getInputStream(), 1 << 20).readLine();
                    if (line == null) {
                        break;
                    }
                    assertTrue(line.contains("missing or wrong token"), line);
                    replies++;
                    Thread.sleep(20);
                }
            } catch (IOException closedByServer) {
                // reset: closed while a request was on its way
            }
            assertTrue(replies > 0, "each wrong request was answered until the close");
        });
    }

    @Test
    void anAuthenticatedConnectionOutlivesTheTokenDeadline() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Socket s = connect(start(new ControlServer.Limits(4, 8, 100, 20_000)));
            send(s, statusRequest());
            assertTrue(reply(s).get("ok").getAsBoolean());
            Thread.sleep(500); // five times the deadline
            send(s, statusRequest());
            assertTrue(reply(s).get("ok").getAsBoolean());
        });
    }

    @Test
    void theOldestConnectionWithoutTheTokenMakesRoomForANewOne() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(new ControlServer.Limits(4, 2, 20_000, 20_000));
            Socket oldest = connect(server); // accepted in order: the first of two pending connections
            Socket second = connect(server);
            Socket client = connect(server); // the third pending one: the oldest makes room
            send(client, statusRequest());
            assertTrue(reply(client).get("ok").getAsBoolean());
            assertEquals(-1, oldest.getInputStream().read(), "the oldest pending connection was closed");
            send(second, statusRequest());
            assertTrue(reply(second).get("ok").getAsBoolean(), "the second was left alone");
        });
    }

    @Test
    void aTokenRequestWhenEverySlotIsTakenIsRefusedAndItsConnectionClosed() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            ControlServer server = start(1, 20_000);
            Socket first = connect(server);
            Socket second = connect(server);
            while (server.pendingCount() < 2) { // both pending: neither holds the one slot yet
                Thread.sleep(5);
            }
            send(first, statusRequest());
            assertTrue(reply(first).get("ok").getAsBoolean());
            send(second, statusRequest());
            JsonObject refused = reply(second);
            assertFalse(refused.get("ok").getAsBoolean());
            assertTrue(refused.get("error").getAsString().contains("too many control connections (at most 1"),
                    refused::toString);
            assertNull(new BoundedLineReader(second.getInputStream(), 1024).readLine(), "closed after the error");
            send(first, statusRequest());
            assertTrue(reply(first).get("ok").getAsBoolean(), "the first keeps its slot");
        });
    }

    @Test
    void theClientGetsTheReplyOfTheServerItsControlFileNames() throws Exception {
        assertTimeoutPreemptively(GUARD, () -> {
            Path file = controlFile(start(4, 20_000));
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
