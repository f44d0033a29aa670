package org.stampede.tracker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.stampede.tracker.TrackerClient;

/**
 * The UDP sockets shared by all the tracker clients of one {@link UdpTrackerClientFactory}: one unconnected
 * {@link DatagramChannel} per address family, bound to an ephemeral port of the wildcard address, opened on first
 * use, and one daemon thread ({@value #THREAD_NAME}) that receives on both through a {@link Selector}.
 * <p>
 * A client's blocking request registers a random 32-bit transaction id (BEP 15) in a fixed table of
 * {@value #SLOTS} slots, indexed by the id's low bits: an id is drawn again until its slot is free, so a datagram is
 * matched with one array read and one comparison. A datagram is handed to the waiting request only if it is 8 to
 * {@value UdpTrackerClient#MAX_PACKET} bytes long, carries a registered transaction id and the action asked for (or
 * the error action), came from the tracker's address and port the request was sent to, and arrived on the socket it
 * was sent from; anything else is dropped where it was read, without allocating. At most {@value #MAX_PENDING}
 * requests wait at a time; one more fails at once. Sends are non-blocking (a datagram the socket cannot take now is
 * lost, as on the network, and the retransmission schedule covers it), so an interrupted caller cannot close the
 * shared channel.
 * <p>
 * The connection ids trackers hand out are kept here too, per tracker address, since a tracker ties them to the
 * socket's address: they serve every client of the factory until they expire, and at most
 * {@value #MAX_CONNECTION_IDS} are kept.
 * <p>
 * If receiving fails, the sockets are closed, the waiting requests fail with the error, and the next request opens
 * new ones. {@link #close()} closes everything for good: waiting requests end at once, later ones fail with
 * {@link Closed}.
 */
final class UdpTrackerSockets implements AutoCloseable {
    static final String THREAD_NAME = "stampede-udp-tracker";
    /** Most requests waiting for a reply at a time, over all clients of the factory. */
    static final int MAX_PENDING = 256;
    /** Size of the transaction table: a power of two, four times {@link #MAX_PENDING}, so a free slot is near. */
    static final int SLOTS = 4 * MAX_PENDING;
    /** Most trackers whose connection id is remembered. */
    static final int MAX_CONNECTION_IDS = 1024;
    static final long CONNECTION_ID_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Datagrams read from one socket before the other gets its turn. */
    private static final int RECEIVE_BURST = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@link #close()} was called: the factory is gone. */
    static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("UDP tracker sockets closed", null);
        }
    }

    /** {@value #MAX_PENDING} requests are waiting already. */
    static final class Busy extends IOException {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("too many UDP tracker requests waiting", null);
        }
    }

    /** A connection id and when it expires on the {@link #clock}. */
    private record ConnectionId(long id, long expiry) {
    }

    /** Writes one request datagram for the transaction id it is given. */
    @FunctionalInterface
    interface Datagram {
        void write(int transactionId, ByteBuffer out);
    }

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    // all guarded by lock
    private final Exchange[] slots = new Exchange[SLOTS];
    private int pending;
    private final Map<InetSocketAddress, ConnectionId> connectionIds = new HashMap<>();
    private Io io;
    private boolean closed;

    /** @param clock nanosecond clock for the connection ids' lifetime (System::nanoTime) */
    UdpTrackerSockets(LongSupplier clock) {
        this.clock = clock;
    }

    /** @return a new exchange with {@code tracker}: the buffers and the mailbox of one client call */
    Exchange exchange(InetSocketAddress tracker) {
        return new Exchange(tracker);
    }

    /**
     * One client call's requests to one tracker, made one after the other (not thread-safe): each
     * {@link #request} sends a datagram under a fresh transaction id and waits for its reply.
     */
    final class Exchange {
        final InetSocketAddress tracker;
        private final boolean ipv6;
        private final Condition answered = lock.newCondition();
        private final ByteBuffer out = ByteBuffer.allocate(16 + 20 * TrackerClient.MAX_SCRAPE_HASHES);
        private final ByteBuffer reply = ByteBuffer.allocate(UdpTrackerClient.MAX_PACKET);
        // guarded by lock while registered
        private DatagramChannel channel;
        private int transactionId;
        private int action;
        private boolean registered;
        private boolean hasReply;
        private IOException failure;

        private Exchange(InetSocketAddress tracker) {
            this.tracker = tracker;
            this.ipv6 = tracker.getAddress() instanceof Inet6Address;
        }

        /**
         * Sends the datagram {@code request} writes and waits up to {@code timeoutNanos} for the tracker's reply with
         * the same transaction id and the action {@code action} or the error action.
         *
         * @return the reply (position 0, limit its length; valid until the next request), or null on timeout
         * @throws Closed               if the sockets are closed, before or while waiting
         * @throws Busy                 if {@value #MAX_PENDING} requests are waiting already
         * @throws IOException          if the datagram cannot be sent or the sockets failed while waiting
         * @throws InterruptedException if the calling thread is interrupted while waiting
         */
        ByteBuffer request(int action, Datagram request, long timeoutNanos) throws IOException,
                InterruptedException {
            DatagramChannel ch = register(this, action);
            try {
                out.clear();
                request.write(transactionId, out);
                out.flip();
                try {
                    ch.send(out, tracker); // 0 if the socket's buffer is full: lost, like a datagram on the way
                } catch (ClosedChannelException e) {
                    // closed or failed since we registered: the failure is set already, the wait reports it
                }
                lock.lock();
                try {
                    long left = timeoutNanos;
                    while (!hasReply && failure == null && left > 0) {
                        left = answered.awaitNanos(left);
                    }
                    if (failure instanceof Closed) {
                        throw new Closed();
                    }
                    if (failure != null) { // shared by all the requests that were waiting: each gets its own
                        throw new IOException(failure.getMessage(), failure);
                    }
                    return hasReply ? reply : null;
                } finally {
                    lock.unlock();
                }
            } finally {
                unregister(this);
            }
        }
    }

    /**
     * @return the tracker's connection id if one was received less than a minute ago, else null
     */
    Long connectionId(InetSocketAddress tracker) {
        lock.lock();
        try {
            ConnectionId c = connectionIds.get(tracker);
            return c != null && clock.getAsLong() - c.expiry() < 0 ? c.id() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Remembers the connection id a tracker just sent, for a minute. */
    void rememberConnectionId(InetSocketAddress tracker, long id) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (connectionIds.size() >= MAX_CONNECTION_IDS && !connectionIds.containsKey(tracker)) {
                connectionIds.values().removeIf(c -> now - c.expiry() >= 0);
                if (connectionIds.size() >= MAX_CONNECTION_IDS) {
                    connectionIds.clear(); // a minute's worth of more than 1024 trackers: start over
                }
            }
            connectionIds.put(tracker, new ConnectionId(id, now + CONNECTION_ID_LIFETIME_NANOS));
        } finally {
            lock.unlock();
        }
    }

    /** Drops a tracker's connection id (it failed, or answered with an error). */
    void forgetConnectionId(InetSocketAddress tracker) {
        lock.lock();
        try {
            connectionIds.remove(tracker);
        } finally {
            lock.unlock();
        }
    }

    /** @return the local port of the socket of the family, or -1 if it is not open (for tests) */
    int localPort(boolean ipv6) {
        lock.lock();
        try {
            DatagramChannel ch = io == null ? null : ipv6 ? io.v6 : io.v4;
            return ch == null ? -1 : ch.socket().getLocalPort();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many requests are waiting for a reply (for tests) */
    int pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** @return the receiving thread, or null if none runs (for tests) */
    Thread receiver() {
        lock.lock();
        try {
            return io == null ? null : io.thread;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the sockets and ends their thread; waiting requests fail with {@link Closed} at once, and so do later
     * ones. Idempotent.
     */
    @Override
    public void close() {
        Io gone;
        lock.lock();
        try {
            closed = true;
            gone = io;
            io = null;
            failAll(new Closed());
            connectionIds.clear();
        } finally {
            lock.unlock();
        }
        if (gone != null) {
            gone.close(); // outside the lock: the receiving thread may be waiting for it
            try {
                gone.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Registers a fresh transaction id for {@code x}, opening the sockets if needed; returns the socket to use. */
    private DatagramChannel register(Exchange x, int action) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new Closed();
            }
            if (pending >= MAX_PENDING) {
                throw new Busy();
            }
            if (io == null) {
                io = new Io();
            }
            DatagramChannel ch = io.channel(x.ipv6);
            int txn;
            do {
                txn = RANDOM.nextInt();
            } while (slots[txn & (SLOTS - 1)] != null);
            slots[txn & (SLOTS - 1)] = x;
            pending++;
            x.channel = ch;
            x.transactionId = txn;
            x.action = action;
            x.registered = true;
            x.hasReply = false;
            x.failure = null;
            return ch;
        } finally {
            lock.unlock();
        }
    }

    private void unregister(Exchange x) {
        lock.lock();
        try {
            if (x.registered) {
                slots[x.transactionId & (SLOTS - 1)] = null;
                pending--;
                x.registered = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends every waiting request with {@code failure}. Lock held. */
    private void failAll(IOException failure) {
        for (int i = 0; i < SLOTS && pending > 0; i++) {
            Exchange x = slots[i];
            if (x != null) {
                slots[i] = null;
                pending--;
                x.registered = false;
                x.failure = failure;
                x.answered.signal();
            }
        }
    }

    /**
     * Hands the datagram in {@code in} (position 0, limit its length), received on {@code ch} from {@code from}, to
     * the request it answers, if any.
     */
    private void deliver(DatagramChannel ch, ByteBuffer in, SocketAddress from) {
        int len = in.remaining();
        if (len < 8 || len > UdpTrackerClient.MAX_PACKET) {
            return; // garbage or oversized
        }
        int action = in.getInt(0);
        int txn = in.getInt(4);
        lock.lock();
        try {
            Exchange x = slots[txn & (SLOTS - 1)];
            if (x == null || x.transactionId != txn || x.channel != ch
                    || (action != x.action && action != UdpTrackerClient.ERROR) || !x.tracker.equals(from)) {
                return; // not for a waiting request, from elsewhere, or an action it did not ask for
            }
            slots[txn & (SLOTS - 1)] = null;
            pending--;
            x.registered = false;
            x.reply.clear();
            x.reply.put(in).flip();
            x.hasReply = true;
            x.answered.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Receiving failed: the sockets are dropped, their waiting requests fail, the next request opens new ones. */
    private void failed(Io broken, IOException e) {
        lock.lock();
        try {
            if (io != broken) {
                return; // closed meanwhile
            }
            io = null;
            failAll(e);
            connectionIds.clear(); // they belong to the old port
        } finally {
            lock.unlock();
        }
        broken.close();
    }

    /** One generation of open sockets: the selector, the channels opened so far, and the thread receiving. */
    private final class Io implements Runnable {
        final Selector selector;
        final Thread thread;
        DatagramChannel v4;
        DatagramChannel v6;

        Io() throws IOException {
            selector = Selector.open();
            thread = new Thread(this, THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        }

        /** The socket of the family, opened and registered with the selector on first use. Lock held. */
        DatagramChannel channel(boolean ipv6) throws IOException {
            DatagramChannel ch = ipv6 ? v6 : v4;
            if (ch != null) {
                return ch;
            }
            try {
                ch = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            } catch (UnsupportedOperationException e) {
                throw new IOException((ipv6 ? "IPv6" : "IPv4") + " is not available", e);
            }
            try {
                ch.bind(null);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            selector.wakeup(); // the receiving thread takes up the new key
            if (ipv6) {
                v6 = ch;
            } else {
                v4 = ch;
            }
            return ch;
        }

        @Override
        public void run() {
            ByteBuffer in = ByteBuffer.allocateDirect(UdpTrackerClient.MAX_PACKET + 1);
            Consumer<SelectionKey> ready = key -> receive((DatagramChannel) key.channel(), in);
            try {
                for (;;) {
                    selector.select(ready);
                }
            } catch (ClosedSelectorException e) {
                // closed: done
            } catch (UncheckedIOException e) {
                failed(this, e.getCause());
            } catch (IOException e) {
                failed(this, e);
            } catch (RuntimeException | Error e) {
                failed(this, new IOException(e.toString(), e));
                throw e;
            }
        }

        private void receive(DatagramChannel ch, ByteBuffer in) {
            for (int i = 0; i < RECEIVE_BURST; i++) {
                in.clear();
                SocketAddress from;
                try {
                    from = ch.receive(in);
                } catch (ClosedChannelException e) {
                    return; // being closed: the selector goes next
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (from == null) {
                    return;
                }
                in.flip();
                deliver(ch, in, from);
            }
        }

        /** Closes the channels and the selector (which waits for a select under way to end). */
        void close() {
            for (DatagramChannel ch : new DatagramChannel[] { v4, v6 }) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
