package org.stampede.tracker.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The parameters of a tracker request's query string, percent-decoded to bytes (binary info-hashes). */
final class Query {
    /** Longest query accepted: a scrape of 74 fully escaped info-hashes is about 4.5 KB. */
    static final int MAX_LENGTH = 8192;

    /** A malformed query; the message goes back to the client. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> names = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    private Query() {
    }

    static Query parse(String rawQuery) throws Malformed {
        Query q = new Query();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        if (rawQuery.length() > MAX_LENGTH) {
            throw new Malformed("query longer than " + MAX_LENGTH + " characters");
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                String name = new String(decode(rawQuery, start, eq), StandardCharsets.ISO_8859_1);
                byte[] value = eq < end ? decode(rawQuery, eq + 1, end) : new byte[0];
                q.names.add(name);
                q.values.add(value);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return q;
    }

    /** @return the first value of {@code name}, or null */
    byte[] first(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : values.get(i);
    }

    /** @return the first value of {@code name} as ASCII text, or null */
    String text(String name) {
        byte[] v = first(name);
        return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
    }

    /** @return all values of {@code name}, in order */
    List<byte[]> all(String name) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    /**
     * @return the decimal value of {@code name}, {@code absent} if missing
     * @throws Malformed if it is not a decimal number in {@code min..max}
     */
    long number(String name, long absent, long min, long max) throws Malformed {
        String s = text(name);
        if (s == null) {
            return absent;
        }
        long v = 0;
        boolean negative = s.startsWith("-");
        int i = negative ? 1 : 0;
        if (i == s.length() || s.length() > 20) {
            throw new Malformed("invalid " + name);
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new Malformed("invalid " + name);
            }
            v = v * 10 + (c - '0');
        }
        v = negative ? -v : v;
        if (v < min || v > max) {
            throw new Malformed("invalid " + name);
        }
        return v;
    }

    private static byte[] decode(String s, int from, int to) throws Malformed {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new Malformed("truncated percent-escape");
                }
                int hi = hex(s.charAt(i + 1));
                int lo = hex(s.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new Malformed("bad percent-escape");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0xff) {
                throw new Malformed("non-ASCII character in query");
            } else {
                out[n++] = (byte) c;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
    }
}
