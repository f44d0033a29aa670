package org.stampede.testing.plugins;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.stampede.spi.Acceptor;
import org.stampede.spi.Connection;
import org.stampede.spi.ConnectionHandler;
import org.stampede.spi.Transport;

/**
 * A transport of in-memory pipes between the engines of one JVM. Each end of a pipe has one thread that delivers
 * its events in order (bytes from the other end, "sent" notices, the close), as the transport contract asks.
 * Deactivating the component closes every listener and connection it made.
 */
@Component(service = Transport.class, configurationPid = "org.stampede.testing.plugins.memory",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=10")
public final class MemoryTransport implements Transport {
    public static final String KIND = "mem";
    /** Listeners of every memory transport instance of the JVM, by address. */
    private static final Map<InetSocketAddress, Entry> LISTENERS = new ConcurrentHashMap<>();
    private static final AtomicInteger EPHEMERAL = new AtomicInteger(40_000);
    private static final AtomicLong OPENED = new AtomicLong();

    private record Entry(MemoryTransport owner, Acceptor acceptor) {
    }

    private final Set<End> ends = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Connections opened by memory transports so far (both ends count once). */
    public static long opened() {
        return OPENED.get();
    }

    @Override
    public String kind() {
        return KIND;
    }

    private static InetSocketAddress key(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return ip == null || ip.isAnyLocalAddress() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort())
                : a;
    }

    @Override
    public Listener listen(InetSocketAddress local, Acceptor acceptor) throws IOException {
        if (closed) {
            throw new IOException("memory transport closed");
        }
        int port = local.getPort() == 0 ? EPHEMERAL.incrementAndGet() : local.getPort();
        InetSocketAddress at = key(new InetSocketAddress(local.getAddress(), port));
        if (LISTENERS.putIfAbsent(at, new Entry(this, acceptor)) != null) {
            throw new IOException(at + " is in use");
        }
        return new Listener() {
            @Override
            public InetSocketAddress localAddress() {
                return at;
            }

            @Override
            public void close() {
                LISTENERS.computeIfPresent(at, (k, e) -> e.owner == MemoryTransport.this ? null : e);
            }
        };
    }

    @Override
    public boolean canDial(InetSocketAddress remote) {
        return !closed && LISTENERS.containsKey(key(remote));
    }

    @Override
    public void dial(InetSocketAddress remote, ConnectionHandler handler) {
        Entry e = LISTENERS.get(key(remote));
        ConnectionHandler accepted = null;
        InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), EPHEMERAL.incrementAndGet());
        if (e != null && !closed && !e.owner.closed) {
            accepted = e.acceptor.accept(from);
        }
        if (accepted == null) {
            Thread t = new Thread(() -> handler.closed("connection refused (mem " + remote + ")"), "mem-refused");
            t.setDaemon(true);
            t.start();
            return;
        }
        End dialer = new End(this, handler, remote, true);
        End acceptor = new End(e.owner, accepted, from, false);
        dialer.other = acceptor;
        acceptor.other = dialer;
        OPENED.incrementAndGet();
        dialer.start();
        acceptor.start();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        LISTENERS.values().removeIf(e -> e.owner == this);
        for (End end : ends) {
            end.close("memory transport removed");
        }
    }

    /** One end of a pipe: its handler, its event queue and the thread that drains it. */
    private static final class End implements Connection {
        private static final Object SENT = new Object();
        private final MemoryTransport owner;
        private final ConnectionHandler handler;
        private final InetSocketAddress remote;
        private final boolean outgoing;
        private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final AtomicLong inbound = new AtomicLong();
        private volatile End other;
        private volatile boolean suspended;
        private volatile boolean open = true;

        End(MemoryTransport owner, ConnectionHandler handler, InetSocketAddress remote, boolean outgoing) {
            this.owner = owner;
            this.handler = handler;
            this.remote = remote;
            this.outgoing = outgoing;
        }

        void start() {
            owner.ends.add(this);
            Thread t = new Thread(this::run, "mem " + (outgoing ? "to " : "from ") + remote);
            t.setDaemon(true);
            t.start();
        }

        private void run() {
            String reason = "closed";
            try {
                handler.opened(this);
                while (true) {
                    Object ev = events.take();
                    if (ev instanceof String why) {
                        reason = why;
                        break;
                    }
                    if (ev == SENT) {
                        handler.sent();
                        continue;
                    }
                    while (suspended && open) {
                        Thread.sleep(5);
                    }
                    ByteBuffer data = (ByteBuffer) ev;
                    int n = data.remaining();
                    handler.received(data);
                    inbound.addAndGet(-n);
                    End o = other;
                    if (o != null) {
                        o.events.add(SENT);
                    }
                }
            } catch (InterruptedException e) {
                reason = "interrupted";
            } catch (RuntimeException e) {
                reason = "handler failed: " + e;
                End o = other;
                if (o != null) {
                    o.close("the other end failed");
                }
            } finally {
                open = false;
                owner.ends.remove(this);
                handler.closed(reason);
            }
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
            End o = other;
            if (open && o != null && o.open) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
                o.inbound.addAndGet(copy.remaining());
                o.events.add(copy);
            }
            data.position(data.limit());
            if (written != null) {
                written.run();
            }
        }

        @Override
        public long queuedBytes() {
            End o = other;
            return o == null ? 0 : o.inbound.get();
        }

        @Override
        public void suspendReading() {
            suspended = true;
        }

        @Override
        public void resumeReading() {
            suspended = false;
        }

        @Override
        public void close(String reason) {
            if (open) {
                open = false;
                events.add(reason);
                End o = other;
                if (o != null && o.open) {
                    o.open = false;
                    o.events.add("closed by the other end: " + reason);
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public String toString() {
            return "mem " + remote;
        }
    }
}
