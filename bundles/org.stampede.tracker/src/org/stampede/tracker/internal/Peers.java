package org.stampede.tracker.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/** Peer lists in tracker replies: compact IPv4 (BEP 23) and IPv6 (BEP 7) entries, and textual addresses. */
final class Peers {
    /** Size of a compact IPv4 entry: address and port. */
    static final int IPV4_ENTRY = 6;
    /** Size of a compact IPv6 entry: address and port. */
    static final int IPV6_ENTRY = 18;
    /**
     * Most peers taken from one reply; the rest are ignored. Clients ask for 50 to 200, and this keeps the memory a
     * reply costs small (an address object is far bigger than its 6 bytes on the wire).
     */
    static final int MAX_PEERS = 2000;

    private Peers() {
    }

    /**
     * Adds the compact entries in {@code buf} (position to limit) to {@code out}, up to {@link #MAX_PEERS} in all.
     * Entries with port 0 are skipped: nobody can connect to them.
     *
     * @param what name of the field, for the message
     * @throws BadReply if the length is not a multiple of the entry size
     */
    static void compact(ByteBuffer buf, int entrySize, String what, List<InetSocketAddress> out) throws BadReply {
        int n = buf.remaining();
        if (n % entrySize != 0) {
            throw new BadReply("'" + what + "' is " + n + " bytes, not a multiple of " + entrySize);
        }
        int addrLen = entrySize - 2;
        while (buf.hasRemaining() && out.size() < MAX_PEERS) {
            byte[] addr = new byte[addrLen];
            buf.get(addr);
            int port = buf.getShort() & 0xffff;
            if (port != 0) {
                out.add(new InetSocketAddress(address(addr), port));
            }
        }
    }

    private static InetAddress address(byte[] raw) {
        try {
            // getByAddress never resolves; for 16 bytes holding an IPv4-mapped address it returns an Inet4Address
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * Parses a numeric IPv4 (dotted quad) or IPv6 address without ever asking DNS: a tracker must not be able to
     * make us resolve names of its choice.
     *
     * @return the address, or null if {@code text} is not a numeric address
     */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                    return null; // also rules out scope ids ('%') and brackets
                }
            }
            try {
                // with brackets the JDK insists on an IPv6 literal and never falls back to a name lookup
                InetAddress a = InetAddress.getByName("[" + text + "]");
                return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        byte[] b = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && part < 4) {
                b[part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        return part == 4 ? address(b) : null;
    }
}
