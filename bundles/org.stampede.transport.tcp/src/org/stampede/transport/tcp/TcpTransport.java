package org.stampede.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.IoFuture;
import org.apache.mina.core.future.IoFutureListener;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.stampede.spi.Acceptor;
import org.stampede.spi.Connection;
import org.stampede.spi.ConnectionHandler;
import org.stampede.spi.Transport;

/**
 * TCP over Apache MINA: non-blocking sockets on a small pool of I/O threads, no codec. Received bytes go to the
 * engine's {@link ConnectionHandler} as MINA read them; writes are queued by MINA and written from the buffers given
 * (a direct buffer is written without a copy). The engine's only MINA code: the engine itself imports none.
 * <p>
 * One instance serves every engine of the framework: one connector for dials and one acceptor per
 * {@link #listen listener}. {@link #close()} (the component's deactivation, when the bundle stops) closes all of
 * them and every connection they made.
 */
@Component(service = Transport.class, property = { "service.ranking:Integer=0", "stampede.plugin=tcp" })
public final class TcpTransport implements Transport, AutoCloseable {
    static final String KIND = "tcp";
    private static final AttributeKey CONNECTION = new AttributeKey(TcpTransport.class, "connection");
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final int processors = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private final Handler handler = new Handler();
    private final Set<NioSocketAcceptor> acceptors = ConcurrentHashMap.newKeySet();
    private NioSocketConnector connector;
    private volatile boolean closed;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean canDial(InetSocketAddress remote) {
        return !remote.isUnresolved() && remote.getPort() > 0;
    }

    private synchronized NioSocketConnector connector() {
        if (closed) {
            throw new IllegalStateException("the TCP transport is closed");
        }
        if (connector == null) {
            NioSocketConnector c = new NioSocketConnector(processors);
            c.setHandler(handler);
            c.setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
            c.getSessionConfig().setTcpNoDelay(true);
            connector = c;
        }
        return connector;
    }

    @Override
    public Listener listen(InetSocketAddress local, Acceptor acceptor) throws IOException {
        if (closed) {
            throw new IOException("the TCP transport is closed");
        }
        NioSocketAcceptor a = new NioSocketAcceptor(processors);
        a.setReuseAddress(true);
        a.getSessionConfig().setTcpNoDelay(true);
        a.setHandler(handler);
        a.setCloseOnDeactivation(false); // unbinding stops accepting; the connections stay with the engine
        try {
            a.bind(local);
        } catch (IOException e) {
            a.dispose();
            throw new IOException("cannot listen on " + local + ": " + e.getMessage(), e);
        }
        acceptors.add(a);
        InetSocketAddress bound = (InetSocketAddress) a.getLocalAddress();
        handler.acceptors.put(a, acceptor);
        return new Listener() {
            @Override
            public InetSocketAddress localAddress() {
                return bound;
            }

            @Override
            public void close() {
                if (acceptors.remove(a)) {
                    a.unbind();
                    handler.acceptors.remove(a);
                    // the acceptor's I/O threads serve its connections: dispose once they are all gone
                    disposeWhenIdle(a);
                }
            }
        };
    }

    private static void disposeWhenIdle(NioSocketAcceptor a) {
        if (a.getManagedSessionCount() == 0) {
            a.dispose(false);
            return;
        }
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (a.getManagedSessionCount() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    break;
                }
            }
            for (IoSession s : a.getManagedSessions().values()) {
                s.closeNow();
            }
            a.dispose(false);
        }, "stampede-tcp-dispose");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void dial(InetSocketAddress remote, ConnectionHandler h) {
        NioSocketConnector c;
        try {
            c = connector();
        } catch (IllegalStateException e) {
            h.closed(e.getMessage());
            return;
        }
        MinaConnection conn = new MinaConnection(h, true);
        ConnectFuture f = c.connect(remote, (s, future) -> s.setAttribute(CONNECTION, conn));
        f.addListener(done -> {
            ConnectFuture cf = (ConnectFuture) done;
            if (!cf.isConnected()) {
                Throwable why = cf.getException();
                h.closed("connect to " + remote + " failed"
                        + (why == null ? "" : ": " + why.getMessage()));
            }
        });
    }

    /** Closes every listener and connection; the transport cannot be used after. */
    @Override
    @Deactivate
    public void close() {
        NioSocketConnector c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = connector;
        }
        for (NioSocketAcceptor a : acceptors) {
            a.unbind();
            for (IoSession s : a.getManagedSessions().values()) {
                s.closeNow();
            }
            a.dispose(false);
        }
        acceptors.clear();
        if (c != null) {
            for (IoSession s : c.getManagedSessions().values()) {
                s.closeNow();
            }
            c.dispose(false);
        }
    }

    /** One TCP connection: a MINA session. */
    private static final class MinaConnection implements Connection {
        final ConnectionHandler handler;
        final boolean outgoing;
        volatile IoSession session;
        volatile String closeReason;
        InetSocketAddress remote;

        MinaConnection(ConnectionHandler handler, boolean outgoing) {
            this.handler = handler;
            this.outgoing = outgoing;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean outgoing() {
            return outgoing;
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void write(ByteBuffer data, Runnable written) {
            IoSession s = session;
            IoBuffer buf = IoBuffer.wrap(data); // shares the bytes: no copy
            if (written == null) {
                s.write(buf);
            } else {
                s.write(buf).addListener(new Done(written));
            }
        }

        @Override
        public long queuedBytes() {
            return session.getScheduledWriteBytes();
        }

        @Override
        public void suspendReading() {
            session.suspendRead();
        }

        @Override
        public void resumeReading() {
            session.resumeRead();
        }

        @Override
        public void close(String reason) {
            if (closeReason == null) {
                closeReason = reason;
            }
            session.closeNow();
        }

        @Override
        public boolean isOpen() {
            IoSession s = session;
            return s.isConnected() && !s.isClosing();
        }

        @Override
        public String toString() {
            return "tcp " + remote;
        }
    }

    /** Runs a write's callback when MINA has written or dropped it. */
    private record Done(Runnable written) implements IoFutureListener<IoFuture> {
        @Override
        public void operationComplete(IoFuture future) {
            written.run();
        }
    }

    /** The adapter between MINA's events and the engine's handlers; no protocol logic. */
    private static final class Handler extends IoHandlerAdapter {
        final java.util.Map<Object, Acceptor> acceptors = new ConcurrentHashMap<>();

        @Override
        public void sessionOpened(IoSession session) {
            MinaConnection c = (MinaConnection) session.getAttribute(CONNECTION);
            InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
            if (c == null) { // accepted
                Acceptor acceptor = acceptors.get(session.getService());
                ConnectionHandler h = acceptor == null ? null : acceptor.accept(remote);
                if (h == null) {
                    session.closeNow();
                    return;
                }
                c = new MinaConnection(h, false);
                session.setAttribute(CONNECTION, c);
            }
            c.session = session;
            c.remote = remote;
            c.handler.opened(c);
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            MinaConnection c = (MinaConnection) session.getAttribute(CONNECTION);
            if (c != null && c.session != null && message instanceof IoBuffer b) {
                c.handler.received(b.buf());
            }
        }

        @Override
        public void messageSent(IoSession session, Object message) {
            MinaConnection c = (MinaConnection) session.getAttribute(CONNECTION);
            if (c != null && c.session != null) {
                c.handler.sent();
            }
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            MinaConnection c = (MinaConnection) session.getAttribute(CONNECTION);
            if (c != null && c.closeReason == null) {
                c.closeReason = String.valueOf(cause.getMessage());
            }
            session.closeNow();
        }

        @Override
        public void sessionClosed(IoSession session) {
            MinaConnection c = (MinaConnection) session.getAttribute(CONNECTION);
            if (c != null && c.session != null) {
                c.handler.closed(c.closeReason == null ? "closed by the peer" : c.closeReason);
            } else if (c != null) {
                c.handler.closed("closed before it opened");
            }
        }
    }
}
