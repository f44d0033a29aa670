package org.stampede.tracker.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * A UDP tracker (BEP 15) on one thread. Connection ids are not stored: each is a MAC of the peer's address and the
 * current minute under a random key, so it is valid for one to two minutes and costs no memory. Datagrams with a
 * wrong connection id, and garbage too short to carry a transaction id, are dropped without a reply (no reflection
 * towards spoofed sources); requests that are malformed otherwise get an error (action 3). Replies carry peers of
 * the requester's address family only: 6-byte IPv4 entries to an IPv4 peer, 18-byte IPv6 entries to an IPv6 peer.
 */
public final class UdpTrackerServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpTrackerServer.class.getName());
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** Datagrams this long or longer are not requests (the longest, a scrape of 74 hashes, is 1496 bytes). */
    static final int MAX_REQUEST = 2048;
    static final int MAX_SCRAPE = 74;

    private final DatagramChannel channel;
    private final Swarms swarms;
    private final int intervalSeconds;
    private final int maxNumWant;
    private final LongSupplier clock;
    private final Mac mac;
    private final byte[] macOut = new byte[32];
    private final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
    private final ByteBuffer out;
    private final Thread thread;

    /**
     * @param channel a bound datagram channel, which this server closes
     * @param clock   nanosecond clock for connection ids
     */
    public UdpTrackerServer(DatagramChannel channel, Swarms swarms, Duration interval, int maxNumWant,
            LongSupplier clock) {
        this.channel = channel;
        this.swarms = swarms;
        this.intervalSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, interval.toSeconds()));
        this.maxNumWant = maxNumWant;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
        this.out = ByteBuffer.allocate(Math.max(20 + 18 * maxNumWant, 8 + 12 * MAX_SCRAPE));
        this.thread = new Thread(this::loop, "stampede-tracker-udp");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Closes the channel and waits (at most 5 s) for the thread to end. */
    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (channel.isOpen()) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                in.flip();
                if (from instanceof InetSocketAddress src && in.remaining() < MAX_REQUEST) {
                    out.clear();
                    if (handle(src.getAddress())) {
                        out.flip();
                        channel.send(out, src);
                    }
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad datagram or a failed send must not stop the tracker
                LOG.log(Level.DEBUG, "tracker UDP datagram failed", e);
            }
        }
    }

    /** Handles the request in {@code in}; fills {@code out} and returns true to reply. */
    boolean handle(InetAddress source) {
        if (in.remaining() < 16) {
            return false;
        }
        long connectionId = in.getLong(0);
        int action = in.getInt(8);
        int txn = in.getInt(12);
        if (action == CONNECT) {
            if (connectionId != PROTOCOL_ID) {
                return false;
            }
            out.putInt(CONNECT).putInt(txn).putLong(connectionId(source, epoch()));
            return true;
        }
        long e = epoch();
        if (connectionId != connectionId(source, e) && connectionId != connectionId(source, e - 1)) {
            return false;
        }
        try {
            switch (action) {
                case ANNOUNCE -> announce(source, txn);
                case SCRAPE -> scrape(txn);
                default -> throw new Swarms.Refused("unknown action " + action);
            }
        } catch (Swarms.Refused r) {
            out.clear();
            out.putInt(ERROR).putInt(txn).put(r.getMessage().getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    private void announce(InetAddress source, int txn) throws Swarms.Refused {
        if (in.remaining() < 98) {
            throw new Swarms.Refused("announce of " + in.remaining() + " bytes, shorter than 98");
        }
        byte[] infoHash = new byte[20];
        byte[] peerId = new byte[20];
        in.get(16, infoHash).get(36, peerId);
        long left = in.getLong(64);
        int eventCode = in.getInt(80);
        byte[] ip = new byte[4];
        in.get(84, ip);
        int numWant = in.getInt(92);
        int port = in.getShort(96) & 0xffff;
        Swarms.Event event = switch (eventCode) {
            case 0 -> Swarms.Event.NONE;
            case 1 -> Swarms.Event.COMPLETED;
            case 2 -> Swarms.Event.STARTED;
            case 3 -> Swarms.Event.STOPPED;
            default -> throw new Swarms.Refused("invalid event " + eventCode);
        };
        if (port == 0) {
            throw new Swarms.Refused("invalid port 0");
        }
        InetAddress address = source;
        if (ip[0] == 127 && source instanceof Inet4Address) {
            address = loopback(ip); // another address only for tests on one machine: a loopback one
        }
        int want = numWant < 0 ? maxNumWant : Math.min(numWant, maxNumWant);
        Swarms.Reply r = swarms.announce(new Swarms.Announce(infoHash, peerId, address, port, Math.max(0, left), event,
                want, source instanceof Inet6Address ? Swarms.Family.IPV6 : Swarms.Family.IPV4));
        out.putInt(ANNOUNCE).putInt(txn).putInt(intervalSeconds).putInt(r.counts().incomplete())
                .putInt(r.counts().complete());
        List<Swarms.Peer> peers = r.peers();
        for (Swarms.Peer p : peers) {
            if (out.remaining() < p.compact().length) {
                break;
            }
            out.put(p.compact());
        }
    }

    private void scrape(int txn) throws Swarms.Refused {
        int n = (in.remaining() - 16) / 20;
        if (n == 0 || (in.remaining() - 16) % 20 != 0) {
            throw new Swarms.Refused("scrape of " + in.remaining() + " bytes does not hold whole info-hashes");
        }
        if (n > MAX_SCRAPE) {
            throw new Swarms.Refused("at most " + MAX_SCRAPE + " info-hashes per scrape");
        }
        out.putInt(SCRAPE).putInt(txn);
        byte[] h = new byte[20];
        for (int i = 0; i < n; i++) {
            in.get(16 + 20 * i, h);
            Swarms.Counts c = swarms.scrape(h);
            if (c == null) {
                c = Swarms.Counts.NONE;
            }
            out.putInt(c.complete()).putInt(c.downloaded()).putInt(c.incomplete());
        }
    }

    private long epoch() {
        return Math.floorDiv(clock.getAsLong(), TimeUnit.MINUTES.toNanos(1));
    }

    /** The connection id of {@code address} in minute {@code epoch}: the first 8 bytes of a MAC. */
    long connectionId(InetAddress address, long epoch) {
        mac.update(address.getAddress());
        for (int i = 7; i >= 0; i--) {
            mac.update((byte) (epoch >>> (8 * i)));
        }
        try {
            mac.doFinal(macOut, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (macOut[i] & 0xff);
        }
        return id == PROTOCOL_ID ? id + 1 : id;
    }

    private static InetAddress loopback(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an address", e);
        }
    }

    /** @return the port the channel is bound to */
    public int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }
}
