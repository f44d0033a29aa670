package org.stampede.tracker.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/**
 * A UDP tracker (BEP 15) over a {@link DatagramChannel}, IPv4 or IPv6 after the tracker's address.
 * <p>
 * Every operation opens its own channel, connected to the tracker (so only its datagrams arrive, and an ICMP port
 * unreachable ends the wait at once), and closes it at the end. The connection id is shared by the operations of a
 * client for one minute after it was received. A request is retransmitted after {@code base * 2^n} with n from 0
 * up to {@code maxRetransmits} (BEP 15: 15 s and 8, about 2 hours in all); a new connection id is fetched within
 * the same schedule when the old one has expired. Datagrams with another transaction id or an unexpected action,
 * shorter than 8 bytes or longer than {@value #MAX_PACKET} bytes are ignored; an error (action 3) or a reply of the
 * expected action with a wrong length ends the operation with a {@link TrackerException}.
 */
final class UdpTrackerClient implements TrackerClient {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** Largest datagram accepted; a reply of 50 IPv6 peers is 920 bytes. */
    static final int MAX_PACKET = 8192;
    static final long CONNECTION_ID_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI url;
    private final String host;
    private final int port;
    private final long baseNanos;
    private final int maxRetransmits;
    private final LongSupplier clock;

    // the current connection id; guarded by this
    private InetAddress connectedTo;
    private long connectionId;
    private long connectionIdExpiry;

    /**
     * @param base           the first timeout (BEP 15: 15 s)
     * @param maxRetransmits the largest n in {@code base * 2^n} (BEP 15: 8)
     * @param clock          nanosecond clock for the connection id's lifetime (System::nanoTime)
     */
    UdpTrackerClient(URI url, Duration base, int maxRetransmits, LongSupplier clock) {
        this.url = url;
        String h = url.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = url.getPort();
        this.baseNanos = base.toNanos();
        this.maxRetransmits = maxRetransmits;
        this.clock = clock;
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest r) throws TrackerException {
        return exchange(ANNOUNCE, (conn, txn, out) -> {
            out.putLong(conn).putInt(ANNOUNCE).putInt(txn).put(r.infoHash()).put(r.peerId()).putLong(r.downloaded())
                    .putLong(r.left()).putLong(r.uploaded()).putInt(r.event().udpCode())
                    .put(r.ip() instanceof Inet4Address a ? a.getAddress() : new byte[4]).putInt(r.key())
                    .putInt(r.numWant()).putShort((short) r.port());
        }, (in, family6) -> announceReply(in, family6));
    }

    @Override
    public ScrapeResponse scrape(List<byte[]> infoHashes) throws TrackerException {
        HttpTrackerClient.checkScrapeHashes(infoHashes);
        List<byte[]> hashes = List.copyOf(infoHashes);
        return exchange(SCRAPE, (conn, txn, out) -> {
            out.putLong(conn).putInt(SCRAPE).putInt(txn);
            for (byte[] h : hashes) {
                out.put(h);
            }
        }, (in, family6) -> scrapeReply(in, hashes));
    }

    @Override
    public boolean supportsScrape() {
        return true;
    }

    /** Interprets an announce reply (action and transaction id already checked). */
    static AnnounceResponse announceReply(ByteBuffer in, boolean ipv6) throws BadReply {
        if (in.remaining() < 20) {
            throw new BadReply("announce reply of " + in.remaining() + " bytes is shorter than 20");
        }
        int interval = in.getInt(8);
        int leechers = in.getInt(12);
        int seeders = in.getInt(16);
        List<InetSocketAddress> peers = new ArrayList<>();
        ByteBuffer list = in.duplicate().position(in.position() + 20);
        Peers.compact(list, ipv6 ? Peers.IPV6_ENTRY : Peers.IPV4_ENTRY, "peers", peers);
        return new AnnounceResponse(AnnounceResponse.seconds(interval), null, peers, seeders, leechers, null, null);
    }

    /** Interprets a scrape reply: seeders, completed, leechers per hash, in the order asked. */
    static ScrapeResponse scrapeReply(ByteBuffer in, List<byte[]> hashes) throws BadReply {
        int n = in.remaining() - 8;
        if (n < 0 || n % 12 != 0 || n / 12 > hashes.size()) {
            throw new BadReply("scrape reply of " + in.remaining() + " bytes does not hold 8 + 12 bytes for each of"
                    + " at most " + hashes.size() + " torrents");
        }
        List<ScrapeResponse.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n / 12; i++) {
            int at = in.position() + 8 + 12 * i;
            entries.add(new ScrapeResponse.Entry(hashes.get(i), in.getInt(at), in.getInt(at + 8), in.getInt(at + 4)));
        }
        return new ScrapeResponse(entries);
    }

    @FunctionalInterface
    private interface Writer {
        void write(long connectionId, int transactionId, ByteBuffer out);
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ByteBuffer in, boolean ipv6) throws BadReply;
    }

    private <T> T exchange(int action, Writer writer, Reader<T> reader) throws TrackerException {
        InetAddress address = resolve();
        boolean ipv6 = address instanceof Inet6Address;
        try (DatagramChannel ch = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET); Selector selector = Selector.open()) {
            ch.connect(new InetSocketAddress(address, port));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(MAX_PACKET + 1);
            ByteBuffer out = ByteBuffer.allocate(16 + 20 * MAX_SCRAPE_HASHES);
            for (int n = 0; n <= maxRetransmits; n++) {
                long timeout = timeout(n);
                Long conn = validConnectionId(address);
                if (conn == null) {
                    int txn = RANDOM.nextInt();
                    out.clear();
                    out.putLong(PROTOCOL_ID).putInt(CONNECT).putInt(txn).flip();
                    ch.write(out);
                    ByteBuffer reply = await(ch, selector, in, txn, CONNECT, timeout);
                    if (reply == null) {
                        continue;
                    }
                    if (reply.remaining() < 16) {
                        throw new TrackerException(url, "bad connect reply: " + reply.remaining()
                                + " bytes, shorter than 16");
                    }
                    conn = reply.getLong(8);
                    remember(address, conn);
                }
                int txn = RANDOM.nextInt();
                out.clear();
                writer.write(conn, txn, out);
                out.flip();
                ch.write(out);
                ByteBuffer reply = await(ch, selector, in, txn, action, timeout);
                if (reply == null) {
                    continue;
                }
                try {
                    return reader.read(reply, ipv6);
                } catch (BadReply e) {
                    throw new TrackerException(url, "bad " + (action == ANNOUNCE ? "announce" : "scrape") + " reply: "
                            + e.getMessage());
                }
            }
            forget();
            throw new TrackerException(url, "no reply after " + (maxRetransmits + 1) + " attempts over "
                    + seconds(total()));
        } catch (PortUnreachableException e) {
            forget();
            throw new TrackerException(url, "port unreachable: nothing listens on UDP port " + port, e);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException(url, "interrupted", e);
        } catch (IOException e) {
            forget();
            throw new TrackerException(url, "I/O error: " + Text.escape(String.valueOf(e.getMessage()), 200), e);
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for a datagram with transaction id {@code txn} and the action asked for or
     * the error action.
     *
     * @return the reply (position 0, limit its length), or null on timeout
     */
    private ByteBuffer await(DatagramChannel ch, Selector selector, ByteBuffer in, int txn, int action,
            long timeoutNanos) throws IOException, TrackerException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new TrackerException(url, "interrupted");
            }
            for (;;) {
                in.clear();
                if (ch.receive(in) == null) {
                    break;
                }
                in.flip();
                int len = in.remaining();
                if (len < 8 || len > MAX_PACKET || in.getInt(4) != txn) {
                    continue; // garbage, oversized, or not for this request: keep waiting
                }
                int got = in.getInt(0);
                if (got == ERROR) {
                    forget();
                    throw new TrackerException(url, "error '" + Text.escape(in.array(), 8, len - 8,
                            Text.MAX_TRACKER_TEXT).replace("'", "\\'") + "'");
                }
                if (got == action) {
                    return in;
                }
                // an unknown or unexpected action: ignored, the tracker may still answer properly
            }
        }
    }

    private InetAddress resolve() throws TrackerException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new TrackerException(url, "cannot resolve host " + Text.quote(host, 100), e);
        }
    }

    private synchronized Long validConnectionId(InetAddress address) {
        if (address.equals(connectedTo) && clock.getAsLong() - connectionIdExpiry < 0) {
            return connectionId;
        }
        return null;
    }

    private synchronized void remember(InetAddress address, long id) {
        connectedTo = address;
        connectionId = id;
        connectionIdExpiry = clock.getAsLong() + CONNECTION_ID_LIFETIME_NANOS;
    }

    private synchronized void forget() {
        connectedTo = null;
    }

    /** {@code base * 2^n}, saturated. */
    private long timeout(int n) {
        return baseNanos > (Long.MAX_VALUE >> n) ? Long.MAX_VALUE : baseNanos << n;
    }

    private long total() {
        long sum = 0;
        for (int n = 0; n <= maxRetransmits; n++) {
            sum = timeout(n) > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + timeout(n);
        }
        return sum;
    }

    private static String seconds(long nanos) {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + " s" : TimeUnit.NANOSECONDS.toMillis(nanos)
                + " ms";
    }
}
