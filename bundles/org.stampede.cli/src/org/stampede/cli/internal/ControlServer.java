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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The socket side of the control channel: listens on 127.0.0.1, reads request lines of at most
 * {@link #MAX_LINE} bytes, hands each to a {@link Handler} (a {@link ControlDispatcher}) and writes its reply line.
 * <p>
 * A connection is first <em>pending</em>: it must send a request carrying the token within
 * {@link Limits#authTimeoutMillis()} of its accept (a deadline: blank lines, bad requests and trickled bytes do not
 * extend it), else it is closed. At most {@link Limits#maxPending()} connections are pending at once; one more
 * closes the oldest pending one, so connections without the token can delay a client but never lock it out, and
 * never hold a slot. A connection becomes <em>authenticated</em> with its first request that carries the token,
 * which takes one of {@link Limits#maxConnections()} slots: when all are taken, that request is refused and its
 * connection closed, and a new connection is told so and closed at once. An authenticated connection stays until it
 * closes or is idle for {@link Limits#readTimeoutMillis()}. A line over the limit gets an error reply and its
 * connection is closed without the line being buffered.
 */
final class ControlServer implements AutoCloseable {
    static final int MAX_LINE = 64 * 1024;
    /** After an over-long line: how much more is read and dropped, so that the error reply is not lost to a reset. */
    private static final long DRAIN_BYTES = 16L << 20;
    private static final int DRAIN_TIMEOUT_MILLIS = 2_000;

    /**
     * The server's limits.
     *
     * @param maxConnections    authenticated connections at once
     * @param maxPending        connections at once that have not sent the token yet
     * @param authTimeoutMillis how long a connection has, from its accept, to send a request with the token
     * @param readTimeoutMillis how long an authenticated connection may be idle
     */
    record Limits(int maxConnections, int maxPending, int authTimeoutMillis, int readTimeoutMillis) {
        static final Limits DEFAULTS = new Limits(4, 8, 5_000, 60_000);

        Limits {
            if (maxConnections < 1 || maxPending < 1 || authTimeoutMillis < 1 || readTimeoutMillis < 1) {
                throw new IllegalArgumentException("control server limits must be positive: " + maxConnections + ", "
                        + maxPending + ", " + authTimeoutMillis + ", " + readTimeoutMillis);
            }
        }
    }

    /** Answers request lines: one reply line (without its newline) each. */
    interface Handler {
        /**
         * @param connection the connection the line came on; the handler {@link Connection#authenticate()
         *                   authenticates} it once the request is found to carry the token, before carrying it out
         */
        String handle(String line, Connection connection);
    }

    /** A connection as its handler sees it. */
    interface Connection {
        /**
         * Marks the connection as having sent the token; the first time, it takes an authenticated slot.
         *
         * @return null, or why the connection cannot be served (all slots taken): the request is then refused with
         *         that reason and the connection closed after the reply
         */
        String authenticate();
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Limits limits;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    /** Guards the connections' states and the fields below. */
    private final Object lock = new Object();
    private final Set<Conn> open = new HashSet<>();
    /** Pending connections, oldest first. */
    private final Deque<Conn> pending = new ArrayDeque<>();
    private int authenticated;
    private volatile boolean closed;

    private ControlServer(ServerSocket server, Handler handler, Limits limits) {
        this.server = server;
        this.handler = handler;
        this.limits = limits;
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stampede-control-deadlines");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        this.acceptor = new Thread(this::acceptLoop, "stampede-control-accept");
        acceptor.setDaemon(true);
    }

    /** Starts a server on 127.0.0.1:{@code port} (0 = any free port) with the default limits. */
    static ControlServer start(int port, Handler handler) throws IOException {
        return start(port, handler, Limits.DEFAULTS);
    }

    static ControlServer start(int port, Handler handler, Limits limits) throws IOException {
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
        ControlServer server = new ControlServer(s, handler, limits);
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
            Conn c = new Conn(socket);
            Conn evicted = null;
            synchronized (lock) {
                if (closed) { // close() may have run since the accept
                    closeQuietly(socket);
                    return;
                }
                if (authenticated >= limits.maxConnections()) {
                    c = null;
                } else {
                    if (pending.size() >= limits.maxPending()) {
                        evicted = pending.removeFirst();
                        evicted.dropped = true;
                    }
                    pending.addLast(c);
                    open.add(c);
                }
            }
            if (evicted != null) {
                closeQuietly(evicted.socket); // its thread sees the close and ends
            }
            if (c == null) {
                refuse(socket);
                continue;
            }
            Conn conn = c;
            try {
                conn.deadline = deadlines.schedule(() -> expire(conn), limits.authTimeoutMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) { // close() ran meanwhile
                closeQuietly(socket);
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(conn);
                } finally {
                    ended(conn);
                }
            }, "stampede-control-" + connections.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    /** For tests: the connections that have not sent the token yet. */
    int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    private String tooMany() {
        return "too many control connections (at most " + limits.maxConnections() + " at once)";
    }

    private void refuse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(1_000);
            write(socket.getOutputStream(), ControlDispatcher.error(tooMany()).toString());
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    /** The authentication deadline: a connection still pending is closed. */
    private void expire(Conn c) {
        synchronized (lock) {
            if (c.authenticated || c.dropped) {
                return;
            }
            c.dropped = true;
            pending.remove(c);
        }
        closeQuietly(c.socket);
    }

    private void ended(Conn c) {
        synchronized (lock) {
            open.remove(c);
            if (c.authenticated) {
                authenticated--;
            } else {
                pending.remove(c);
            }
        }
        c.deadline.cancel(false);
        closeQuietly(c.socket);
    }

    /** One connection. */
    private final class Conn implements Connection {
        final Socket socket;
        /** Set once, before its thread starts. */
        ScheduledFuture<?> deadline;
        /** Guarded by the server's lock. */
        boolean authenticated;
        /** Evicted or past its deadline; guarded by the server's lock. */
        boolean dropped;
        /** Refused a slot: closed after the reply. Only its own thread reads and writes it. */
        boolean refused;

        Conn(Socket socket) {
            this.socket = socket;
        }

        @Override
        public String authenticate() {
            synchronized (lock) {
                if (authenticated) {
                    return null;
                }
                if (dropped || closed) {
                    refused = true;
                    return "the connection is closing";
                }
                if (ControlServer.this.authenticated >= limits.maxConnections()) {
                    refused = true;
                    return tooMany();
                }
                ControlServer.this.authenticated++;
                authenticated = true;
                pending.remove(this);
            }
            deadline.cancel(false);
            return null;
        }
    }

    private void serve(Conn c) {
        Socket socket = c.socket;
        try {
            socket.setSoTimeout(limits.readTimeoutMillis());
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
                    reply = handler.handle(line, c);
                } catch (RuntimeException | LinkageError e) {
                    reply = ControlDispatcher.error("internal error: " + Cli.oneLine(e.toString())).toString();
                }
                write(out, reply);
                if (c.refused) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            // idle for too long: closed
        } catch (IOException e) {
            // the client went away, or the server closed the connection (deadline, eviction, close())
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
        List<Conn> all;
        synchronized (lock) {
            closed = true;
            all = List.copyOf(open);
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        all.forEach(c -> closeQuietly(c.socket));
        deadlines.shutdownNow();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
