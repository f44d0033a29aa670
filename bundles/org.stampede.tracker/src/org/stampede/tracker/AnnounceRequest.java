package org.stampede.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One announce to a tracker (BEP 3, BEP 7, BEP 15, BEP 23).
 *
 * @param infoHash   the torrent: 20 bytes (a v1 info-hash, or a v2 info-hash truncated to 20 bytes)
 * @param peerId     our peer id, 20 bytes
 * @param port       the port we accept peer connections on, 0..65535
 * @param uploaded   bytes uploaded since the {@link Event#STARTED} announce, at least 0
 * @param downloaded bytes downloaded since the {@link Event#STARTED} announce, at least 0
 * @param left       bytes still missing, at least 0
 * @param event      why we announce
 * @param numWant    how many peers we would like, or -1 to let the tracker decide
 * @param compact    whether to ask for the compact peer list (BEP 23); UDP trackers always answer compactly
 * @param key        a number that stays the same for this client across IP changes, so that the tracker can
 *                   recognise us
 * @param ip         an address we listen on to advertise, or null (the tracker then uses the packet's source)
 * @param ipv6       an IPv6 address we listen on to advertise (BEP 7, HTTP only), or null
 * @param trackerId  the {@code tracker id} this tracker sent last time, to echo, or null (one byte per char,
 *                   ISO-8859-1, as {@link AnnounceResponse#trackerId()} gives it)
 */
public record AnnounceRequest(byte[] infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left,
        Event event, int numWant, boolean compact, int key, InetAddress ip, Inet6Address ipv6, String trackerId) {

    /** Why a client announces. */
    public enum Event {
        /** A regular re-announce. */
        NONE(0, ""),
        /** The download completed (sent once). */
        COMPLETED(1, "completed"),
        /** The first announce for the torrent. */
        STARTED(2, "started"),
        /** We are leaving the swarm. */
        STOPPED(3, "stopped");

        private final int udpCode;
        private final String httpName;

        Event(int udpCode, String httpName) {
            this.udpCode = udpCode;
            this.httpName = httpName;
        }

        /** @return the value of the UDP announce's {@code event} field (BEP 15) */
        public int udpCode() {
            return udpCode;
        }

        /** @return the value of the HTTP {@code event} parameter, empty for {@link #NONE} (not sent) */
        public String httpName() {
            return httpName;
        }
    }

    /** Peers asked for by {@link #of}. */
    public static final int DEFAULT_NUM_WANT = 50;

    /**
     * @throws IllegalArgumentException if a hash is not 20 bytes, the port is outside 0..65535, a count is
     *                                  negative or {@code numWant} is below -1
     */
    public AnnounceRequest {
        infoHash = twentyBytes(infoHash, "infoHash");
        peerId = twentyBytes(peerId, "peerId");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (uploaded < 0 || downloaded < 0 || left < 0) {
            throw new IllegalArgumentException("negative uploaded/downloaded/left: " + uploaded + "/" + downloaded
                    + "/" + left);
        }
        Objects.requireNonNull(event, "event");
        if (numWant < -1) {
            throw new IllegalArgumentException("numWant " + numWant + " is below -1");
        }
    }

    /**
     * A regular announce ({@link Event#NONE}) asking for {@value #DEFAULT_NUM_WANT} compact peers, nothing
     * transferred yet, key 0, no addresses and no tracker id.
     */
    public static AnnounceRequest of(byte[] infoHash, byte[] peerId, int port, long left) {
        return new AnnounceRequest(infoHash, peerId, port, 0, 0, left, Event.NONE, DEFAULT_NUM_WANT, true, 0, null,
                null, null);
    }

    /** @return a copy of the 20-byte info-hash */
    @Override
    public byte[] infoHash() {
        return infoHash.clone();
    }

    /** @return a copy of the 20-byte peer id */
    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    /** @return this request with another event */
    public AnnounceRequest withEvent(Event newEvent) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, newEvent, numWant, compact,
                key, ip, ipv6, trackerId);
    }

    /** @return this request with other transfer counters */
    public AnnounceRequest withTransfer(long newUploaded, long newDownloaded, long newLeft) {
        return new AnnounceRequest(infoHash, peerId, port, newUploaded, newDownloaded, newLeft, event, numWant,
                compact, key, ip, ipv6, trackerId);
    }

    /** @return this request asking for another number of peers (-1: the tracker's choice) */
    public AnnounceRequest withNumWant(int newNumWant) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, newNumWant, compact,
                key, ip, ipv6, trackerId);
    }

    /** @return this request with the compact flag set as given */
    public AnnounceRequest withCompact(boolean newCompact) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, numWant, newCompact,
                key, ip, ipv6, trackerId);
    }

    /** @return this request with another key */
    public AnnounceRequest withKey(int newKey) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, numWant, compact,
                newKey, ip, ipv6, trackerId);
    }

    /** @return this request advertising the given addresses (either may be null) */
    public AnnounceRequest withAddresses(InetAddress newIp, Inet6Address newIpv6) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, numWant, compact, key,
                newIp, newIpv6, trackerId);
    }

    /** @return this request echoing the given tracker id (null: none) */
    public AnnounceRequest withTrackerId(String newTrackerId) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, numWant, compact, key,
                ip, ipv6, newTrackerId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnounceRequest r && Arrays.equals(infoHash, r.infoHash) && Arrays.equals(peerId, r.peerId)
                && port == r.port && uploaded == r.uploaded && downloaded == r.downloaded && left == r.left
                && event == r.event && numWant == r.numWant && compact == r.compact && key == r.key
                && Objects.equals(ip, r.ip) && Objects.equals(ipv6, r.ipv6) && Objects.equals(trackerId, r.trackerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(infoHash), Arrays.hashCode(peerId), port, uploaded, downloaded, left, event,
                numWant, compact, key, ip, ipv6, trackerId);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "AnnounceRequest[infoHash=" + hex.formatHex(infoHash) + ", peerId=" + hex.formatHex(peerId) + ", port="
                + port + ", uploaded=" + uploaded + ", downloaded=" + downloaded + ", left=" + left + ", event="
                + event + ", numWant=" + numWant + ", compact=" + compact + ", key=" + key + ", ip=" + ip + ", ipv6="
                + ipv6 + ", trackerId=" + trackerId + "]";
    }

    private static byte[] twentyBytes(byte[] b, String what) {
        Objects.requireNonNull(b, what);
        if (b.length != 20) {
            throw new IllegalArgumentException(what + " must be 20 bytes, not " + b.length);
        }
        return b.clone();
    }
}
