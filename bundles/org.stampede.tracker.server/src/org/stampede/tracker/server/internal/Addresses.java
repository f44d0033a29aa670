package org.stampede.tracker.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Numeric addresses given by peers; never resolved through DNS. */
final class Addresses {
    private Addresses() {
    }

    /** @return the loopback address {@code text} names (dotted quad or IPv6), or null if it is anything else */
    static InetAddress loopbackLiteral(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            InetAddress a;
            if (text.indexOf(':') >= 0) {
                a = InetAddress.getByName("[" + text + "]"); // brackets: a literal or an error, never a lookup
            } else {
                a = InetAddress.getByAddress(dottedQuad(text));
            }
            return a.isLoopbackAddress() ? a : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a dotted quad");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3) {
                throw new IllegalArgumentException("not a dotted quad");
            }
            int v = 0;
            for (int j = 0; j < parts[i].length(); j++) {
                char c = parts[i].charAt(j);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("not a dotted quad");
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                throw new IllegalArgumentException("not a dotted quad");
            }
            b[i] = (byte) v;
        }
        return b;
    }
}
