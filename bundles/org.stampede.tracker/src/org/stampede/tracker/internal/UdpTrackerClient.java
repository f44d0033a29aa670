package org.stampede.tracker.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ScrapeResponse;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;

/**
 * A UDP tracker (BEP 15), IPv4 or IPv6 after the tracker's address.
 * <p>
 * The client holds no socket of its own: its requests go out on the {@link UdpTrackerSockets} of its factory, one
 * socket per address family shared by all the factory's clients, and each reply is matched to its request by
 * transaction id and the tracker's address. The connection id a tracker hands out is kept there too, so it serves
 * every announce and scrape to that tracker, from any client of the factory, for one minute after it was received.
 * A request is retransmitted after {@code base * 2^n} with n from 0 up to {@code maxRetransmits} (15 s and 1 by
 * default, 45 s in all; BEP 15 goes to 8); a new connection id is fetched within the same schedule when the old one
 * has expired.
 * Datagrams with another transaction id or an unexpected action, from another address, shorter than 8 bytes or
 * longer than {@value #MAX_PACKET} bytes are ignored; an error (action 3) or a reply of the expected action with a
 * wrong length ends the operation with a {@link TrackerException}. The socket being unconnected, an ICMP port
 * unreachable is not seen: a tracker whose port is closed is as silent as one that is down.
 */
final class UdpTrackerClient implements TrackerClient {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** Largest datagram accepted; a reply of 50 IPv6 peers is 920 bytes. */
    static final int MAX_PACKET = 8192;

    private final URI url;
    private final String host;
    private final int port;
    private final UdpTrackerSockets sockets;
    private final long baseNanos;
    private final int maxRetransmits;

    /**
     * @param sockets        the factory's shared sockets, which also keep the connection ids
     * @param base           the first timeout (BEP 15: 15 s)
     * @param maxRetransmits the largest n in {@code base * 2^n} (BEP 15: 8)
     */
    UdpTrackerClient(URI url, UdpTrackerSockets sockets, Duration base, int maxRetransmits) {
        this.url = url;
        String h = url.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = url.getPort();
        this.sockets = sockets;
        this.baseNanos = base.toNanos();
        this.maxRetransmits = maxRetransmits;
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
        InetSocketAddress tracker = new InetSocketAddress(address, port);
        UdpTrackerSockets.Exchange x = sockets.exchange(tracker);
        try {
            for (int n = 0; n <= maxRetransmits; n++) {
                long timeout = timeout(n);
                Long conn = sockets.connectionId(tracker);
                if (conn == null) {
                    ByteBuffer reply = x.request(CONNECT, (txn, out) -> out.putLong(PROTOCOL_ID).putInt(CONNECT)
                            .putInt(txn), timeout);
                    if (reply == null) {
                        continue;
                    }
                    checkError(reply, tracker);
                    if (reply.remaining() < 16) {
                        throw new TrackerException(url, "bad connect reply: " + reply.remaining()
                                + " bytes, shorter than 16");
                    }
                    conn = reply.getLong(8);
                    sockets.rememberConnectionId(tracker, conn);
                }
                long c = conn;
                ByteBuffer reply = x.request(action, (txn, out) -> writer.write(c, txn, out), timeout);
                if (reply == null) {
                    continue;
                }
                checkError(reply, tracker);
                try {
                    return reader.read(reply, ipv6);
                } catch (BadReply e) {
                    throw new TrackerException(url, "bad " + (action == ANNOUNCE ? "announce" : "scrape") + " reply: "
                            + e.getMessage());
                }
            }
            sockets.forgetConnectionId(tracker);
            throw new TrackerException(url, "no reply after " + (maxRetransmits + 1) + " attempts over "
                    + seconds(total()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException(url, "interrupted", e);
        } catch (UdpTrackerSockets.Closed e) {
            throw new TrackerException(url, "UDP tracker clients shut down", e);
        } catch (UdpTrackerSockets.Busy e) {
            throw new TrackerException(url, "too many UDP tracker requests waiting (at most "
                    + UdpTrackerSockets.MAX_PENDING + ")", e);
        } catch (IOException e) {
            sockets.forgetConnectionId(tracker);
            throw new TrackerException(url, "I/O error: " + Text.escape(String.valueOf(e.getMessage()), 200), e);
        }
    }

    /** Ends the operation if {@code reply} (of the transaction asked, position 0) is the error action. */
    private void checkError(ByteBuffer reply, InetSocketAddress tracker) throws TrackerException {
        if (reply.getInt(0) == ERROR) {
            sockets.forgetConnectionId(tracker);
            throw new TrackerException(url, "error '" + Text.escape(reply.array(), 8, reply.remaining() - 8,
                    Text.MAX_TRACKER_TEXT).replace("'", "\\'") + "'");
        }
    }

    private InetAddress resolve() throws TrackerException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new TrackerException(url, "cannot resolve host " + Text.quote(host, 100), e);
        }
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
