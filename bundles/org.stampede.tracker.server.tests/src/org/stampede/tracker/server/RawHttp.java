package org.stampede.tracker.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BencodeDecoder;

/**
 * HTTP by hand over a socket on loopback: requests the JDK's client would not send, clients that are slow on
 * purpose, and connections from other loopback addresses (127.0.0.2, ...). Every read is bounded by a timeout.
 */
final class RawHttp {
    static final int READ_TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /** A reply: status, header fields (names in lower case) and body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        BDict bencoded() throws IOException {
            return (BDict) BencodeDecoder.strict().decode(body);
        }
    }

    /** 127.0.0.{@code last}; Linux routes all of 127/8 to loopback. */
    static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) last });
    }

    /** A connection to the tracker's HTTP port from {@code from}. */
    static Socket connect(EmbeddedTracker tracker, InetAddress from) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(loopback(1), tracker.httpPort()), READ_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends {@code request} on a new connection from 127.0.0.1 and reads the reply. */
    static Reply exchange(EmbeddedTracker tracker, String request) throws IOException {
        try (Socket s = connect(tracker, loopback(1))) {
            send(s, request);
            return read(s);
        }
    }

    /** A GET of {@code target}, HTTP/1.1, {@code Connection: close}. */
    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    /** Reads one reply: status line, header fields and a body of its Content-Length. */
    static Reply read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String statusLine = line(in);
        assertTrue(statusLine != null && statusLine.startsWith("HTTP/1."), "a status line, not " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.get("content-length"));
        byte[] body = in.readNBytes(length);
        assertTrue(body.length == length, "the whole body");
        return new Reply(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c != '\r') {
                b.write(c);
            }
            assertTrue(b.size() < 65536, "a line of at most 64 KiB");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Waits (up to the socket's read timeout) for the server to close the connection, dropping what it sends.
     *
     * @return true if it was closed (end of stream or reset), false if the timeout passed first
     */
    static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // what came before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /** @return true if the server has not closed the connection (nothing to read now, no end of stream) */
    static boolean stillOpen(Socket s) throws IOException {
        int timeout = s.getSoTimeout();
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            s.setSoTimeout(timeout);
        }
    }

    /**
     * A slow client: it sends the start of a request and then one more byte every 50 ms, on a thread of its own,
     * until closed, until the server closes the connection, or for at most 2 minutes.
     */
    static final class Trickler implements AutoCloseable {
        final Socket socket;
        private final Thread thread;
        private volatile boolean stop;
        private volatile int sent;

        Trickler(EmbeddedTracker tracker, InetAddress from, String start) throws IOException {
            socket = connect(tracker, from);
            send(socket, start);
            thread = new Thread(this::trickle, "trickler-" + socket.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        private void trickle() {
            try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 2400 && !stop; i++) {
                    out.write('a');
                    out.flush();
                    sent++;
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server, or by close()
            }
        }

        /** Waits until it has trickled {@code n} bytes (bounded by its own 2 minutes). */
        void awaitTrickled(int n) throws InterruptedException {
            while (sent < n && thread.isAlive()) {
                Thread.sleep(10);
            }
            assertTrue(sent >= n, "trickled " + n + " bytes, not " + sent);
        }

        /** Stops sending, the connection stays open. */
        void stop() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(10_000);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stop();
            socket.close();
        }
    }
}
