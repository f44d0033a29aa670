package org.stampede.tracker.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * The tracker's HTTP/1.x server on Apache MINA: non-blocking sockets, so a client that is slow or silent costs a
 * socket and a buffer, never a thread. The acceptor thread only accepts; a request is read as its bytes come, on
 * MINA's I/O threads, and handed to the {@link HttpTrackerHandler} once its whole head is in (answering it takes
 * microseconds and never waits on a client). One request per connection, answered with {@code Connection: close}, as
 * opentracker does.
 * <p>
 * Limits, the way opentracker and nginx bound their clients:
 * <ul>
 * <li>a connection has {@code requestTimeout} from its accept to send its whole request head: a deadline, not an idle
 * timer, so bytes trickled one at a time do not extend it. Then it gets a bencoded failure and is closed. Once
 * answered, it has {@code requestTimeout} again to take the reply;</li>
 * <li>a head is at most {@link #MAX_HEAD} bytes; a longer one gets a bencoded failure;</li>
 * <li>at most {@code maxConnections} connections are open at once, and at most {@code maxConnectionsPerAddress} from
 * one address; a connection beyond either is closed as soon as it is accepted.</li>
 * </ul>
 * Every failure is a bencoded {@code failure reason} with HTTP 200 (see {@link HttpTrackerHandler}), except a request
 * line that is not HTTP at all (400, bencoded too).
 */
public final class HttpTrackerServer implements AutoCloseable {
    /** Longest request head: the request line (a query is at most {@link Query#MAX_LENGTH}) and header fields. */
    public static final int MAX_HEAD = 16 * 1024;
    private static final int FIRST_BUFFER = 1024;
    private static final System.Logger LOG = System.getLogger(HttpTrackerServer.class.getName());
    private static final AttributeKey EXCHANGE = new AttributeKey(HttpTrackerServer.class, "exchange");

    private final NioSocketAcceptor acceptor;
    private final ScheduledThreadPoolExecutor timer;
    private final HttpTrackerHandler handler;
    private final long timeoutMillis;
    private final int maxConnections;
    private final int maxPerAddress;
    /** Guarded by itself, with {@link #open}. */
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;

    private HttpTrackerServer(NioSocketAcceptor acceptor, ScheduledThreadPoolExecutor timer,
            HttpTrackerHandler handler, Duration requestTimeout, int maxConnections, int maxPerAddress) {
        this.acceptor = acceptor;
        this.timer = timer;
        this.handler = handler;
        this.timeoutMillis = Math.max(1, requestTimeout.toMillis());
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param name for the timer thread's name
     * @throws IOException if the address cannot be bound (nothing is left running then)
     */
    public static HttpTrackerServer start(InetSocketAddress address, HttpTrackerHandler handler,
            Duration requestTimeout, int maxConnections, int maxConnectionsPerAddress, String name)
            throws IOException {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        NioSocketAcceptor acceptor = new NioSocketAcceptor(
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        HttpTrackerServer server = new HttpTrackerServer(acceptor, timer, handler, requestTimeout, maxConnections,
                maxConnectionsPerAddress);
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(128);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.setHandler(server.new Adapter());
        try {
            acceptor.bind(address);
        } catch (IOException | RuntimeException e) {
            acceptor.dispose(false);
            timer.shutdownNow();
            throw e;
        }
        return server;
    }

    /** @return the port bound */
    public int port() {
        return ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
    }

    /** @return the connections open and counted against the limits */
    public int openConnections() {
        synchronized (perAddress) {
            return open;
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        acceptor.unbind();
        for (IoSession s : acceptor.getManagedSessions().values()) {
            s.closeNow();
        }
        acceptor.dispose(false);
        timer.shutdownNow();
    }

    /** Counts a new connection in, unless it is over a limit. */
    private boolean admit(InetAddress source) {
        synchronized (perAddress) {
            int n = perAddress.getOrDefault(source, 0);
            if (open >= maxConnections || n >= maxPerAddress) {
                return false;
            }
            perAddress.put(source, n + 1);
            open++;
            return true;
        }
    }

    private void release(InetAddress source) {
        synchronized (perAddress) {
            open--;
            perAddress.computeIfPresent(source, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /** One connection: its request head as it comes, and its deadline. */
    private final class Exchange {
        final IoSession session;
        final InetAddress source;
        /** Guarded by this exchange, as are the fields below. */
        byte[] head = new byte[FIRST_BUFFER];
        int length;
        boolean answered;
        /** The client may still be sending: after the reply, read on until it closes (or the deadline passes). */
        boolean linger;
        ScheduledFuture<?> deadline;

        Exchange(IoSession session, InetAddress source) {
            this.session = session;
            this.source = source;
        }

        /**
         * Takes in what was read.
         *
         * @return the request once its whole head is in; null before, and after it was answered
         * @throws RequestHead.Malformed if the head is in and its request line is not HTTP
         */
        synchronized RequestHead take(IoBuffer in) throws RequestHead.Malformed {
            if (answered) {
                in.position(in.limit()); // what follows the request is not read
                return null;
            }
            int n = Math.min(in.remaining(), MAX_HEAD - length);
            if (length + n > head.length) {
                head = Arrays.copyOf(head, Math.min(MAX_HEAD, Math.max(head.length * 2, length + n)));
            }
            in.get(head, length, n);
            in.position(in.limit());
            int from = length;
            length += n;
            int end = RequestHead.end(head, from, length);
            if (end < 0) {
                if (length == MAX_HEAD) {
                    linger = true;
                    answer(HttpTrackerHandler.failure(200, "request longer than " + MAX_HEAD + " bytes"));
                }
                return null;
            }
            answered = true; // from here the deadline no longer answers for it
            linger = end < length;
            return RequestHead.parse(head, end);
        }

        /** The deadline: a request not in by now gets a failure; a reply not taken by now is dropped. */
        synchronized void expire() {
            if (answered) {
                closeNow();
            } else {
                linger = true;
                answer(HttpTrackerHandler.failure(200, "request not complete within "
                        + (timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms")));
            }
        }

        /**
         * Sends {@code response} and closes once it is written, or, if the client may still be sending, once the
         * client closes: closing with bytes unread would reset the connection and could lose the reply on the way
         * (Apache's lingering close). Either way the client has a timeout's worth to take it.
         */
        synchronized void answer(HttpTrackerHandler.Response response) {
            answered = true;
            head = null;
            rearm(this::closeNow);
            session.write(IoBuffer.wrap(serialize(response)));
            if (!linger) {
                session.closeOnFlush();
            }
        }

        private void rearm(Runnable task) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            try {
                deadline = timer.schedule(task, timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) { // the server is closing
                deadline = null;
                session.closeNow();
            }
        }

        synchronized void closed() {
            if (deadline != null) {
                deadline.cancel(false);
            }
            head = null;
        }

        private void closeNow() {
            session.closeNow();
        }
    }

    private static byte[] serialize(HttpTrackerHandler.Response r) {
        String reason = switch (r.status()) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Error";
        };
        String head = "HTTP/1.1 " + r.status() + " " + reason + "\r\nContent-Type: " + r.contentType()
                + "\r\nContent-Length: " + r.body().length + (r.status() == 405 ? "\r\nAllow: GET" : "")
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(h, h.length + r.body().length);
        System.arraycopy(r.body(), 0, out, h.length, r.body().length);
        return out;
    }

    /** MINA's events onto exchanges; no protocol logic beyond finding the end of a head. */
    private final class Adapter extends IoHandlerAdapter {
        @Override
        public void sessionOpened(IoSession session) {
            InetAddress source = ((InetSocketAddress) session.getRemoteAddress()).getAddress();
            if (!admit(source)) {
                session.closeNow();
                return;
            }
            Exchange x = new Exchange(session, source);
            session.setAttribute(EXCHANGE, x);
            synchronized (x) {
                x.rearm(x::expire);
            }
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            Exchange x = (Exchange) session.getAttribute(EXCHANGE);
            if (x == null || !(message instanceof IoBuffer in)) {
                return;
            }
            HttpTrackerHandler.Response response;
            try {
                RequestHead h = x.take(in);
                if (h == null) {
                    return;
                }
                response = handler.handle(h.method(), h.rawPath(), h.rawQuery(), x.source);
            } catch (RequestHead.Malformed e) {
                response = HttpTrackerHandler.failure(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tracker HTTP request failed", e);
                response = HttpTrackerHandler.failure(500, "internal error");
            }
            x.answer(response);
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            LOG.log(Level.DEBUG, "tracker HTTP client went away", cause);
            session.closeNow();
        }

        @Override
        public void sessionClosed(IoSession session) {
            Exchange x = (Exchange) session.getAttribute(EXCHANGE);
            if (x != null) {
                x.closed();
                release(x.source);
            }
        }
    }
}
