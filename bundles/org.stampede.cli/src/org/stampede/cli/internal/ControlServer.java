package org.stampede.cli.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The socket side of the control channel: listens on 127.0.0.1, reads request lines of at most
 * {@link #MAX_LINE} bytes, hands each to a handler (a {@link ControlDispatcher}) and writes its reply line. At most
 * {@code maxConnections} connections are served at once (more are told so and closed); a connection idle for
 * {@code readTimeoutMillis} is closed; a line over the limit gets an error reply and its connection is closed
 * without the line being buffered.
 */
final class ControlServer implements AutoCloseable {
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_CONNECTIONS = 4;
    static final int READ_TIMEOUT_MILLIS = 60_000;
    /** After an over-long line: how much more is read and dropped, so that the error reply is not lost to a reset. */
    private static final long DRAIN_BYTES = 16L << 20;
    private static final int DRAIN_TIMEOUT_MILLIS = 2_000;

    private final ServerSocket server;
    private final UnaryOperator<String> handler;
    private final int readTimeoutMillis;
    private final Semaphore slots;
    private final int maxConnections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private ControlServer(ServerSocket server, UnaryOperator<String> handler, int maxConnections,
            int readTimeoutMillis) {
        this.server = server;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.slots = new Semaphore(maxConnections);
        this.readTimeoutMillis = readTimeoutMillis;
        this.acceptor = new Thread(this::acceptLoop, "stampede-control-accept");
        acceptor.setDaemon(true);
    }

    /** Starts a server on 127.0.0.1:{@code port} (0 = any free port) with the default limits. */
    static ControlServer start(int port, UnaryOperator<String> handler) throws IOException {
        return start(port, handler, MAX_CONNECTIONS, READ_TIMEOUT_MILLIS);
    }

    static ControlServer start(int port, UnaryOperator<String> handler, int maxConnections, int readTimeoutMillis)
            throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("control port " + port + " is not 0 to 65535");
        }
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(loopback(), port), 16);
        } catch (IOException e) {
            s.close();
            throw new IOException("control port " + port + " on 127.0.0.1: " + e.getMessage(), e);
        }
        ControlServer server = new ControlServer(s, handler, maxConnections, readTimeoutMillis);
        server.acceptor.start();
        return server;
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 });
        } catch (IOException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // a failed accept (e.g. out of file descriptors) is not the end of the server
            }
            if (!slots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            open.add(socket);
            if (closed) { // close() may have run between accept and add
                open.remove(socket);
                closeQuietly(socket);
                slots.release();
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(socket);
                } finally {
                    open.remove(socket);
                    closeQuietly(socket);
                    slots.release();
                }
            }, "stampede-control-" + connections.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void refuse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(1_000);
            write(socket.getOutputStream(), ControlDispatcher.error(
                    "too many control connections (at most " + maxConnections + " at once)").toString());
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(readTimeoutMillis);
            BoundedLineReader reader = new BoundedLineReader(socket.getInputStream(), MAX_LINE);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (!closed) {
                String line;
                try {
                    line = reader.readLine();
                } catch (BoundedLineReader.LineTooLongException e) {
                    write(out, ControlDispatcher.error(e.getMessage()).toString());
                    socket.shutdownOutput();
                    socket.setSoTimeout(DRAIN_TIMEOUT_MILLIS);
                    reader.skipRest(DRAIN_BYTES);
                    return;
                }
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                String reply;
                try {
                    reply = handler.apply(line);
                } catch (RuntimeException | LinkageError e) {
                    reply = ControlDispatcher.error("internal error: " + Cli.oneLine(e.toString())).toString();
                }
                write(out, reply);
            }
        } catch (SocketTimeoutException e) {
            // idle for too long: closed
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and closes every open connection; waits a bounded time for the acceptor to end. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(ControlServer::closeQuietly);
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
