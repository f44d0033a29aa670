package org.stampede.metainfo;

import java.util.Arrays;
import java.util.Objects;

/**
 * The identity of a torrent: the hash of its bencoded {@code info} dictionary.
 * <ul>
 * <li>{@link Kind#V1}: SHA-1, 20 bytes (BEP 3).</li>
 * <li>{@link Kind#V2}: SHA-256, 32 bytes (BEP 52). On the peer wire and in the DHT a v2 torrent
 * is addressed by its {@link #truncatedV1() first 20 bytes}.</li>
 * </ul>
 * Instances are immutable. Equality takes the kind into account. The natural order is by kind
 * ({@code V1} first) and then by the bytes compared as unsigned numbers.
 * <p>
 * The factories taking raw bytes ({@link #v1(byte[])}, {@link #v2(byte[])}) throw
 * {@link IllegalArgumentException} on a wrong length, because their input is normally a digest
 * the caller just computed; the parsers of text ({@link #parseHex}, {@link #parseBase32V1}) throw
 * {@link MetainfoException}, because their input normally comes from outside.
 */
public final class InfoHash implements Comparable<InfoHash> {

    /** The hash function, and so the length, of an info-hash. */
    public enum Kind {
        /** SHA-1, 20 bytes: BitTorrent v1 (BEP 3). */
        V1(20, "SHA-1"),
        /** SHA-256, 32 bytes: BitTorrent v2 (BEP 52). */
        V2(32, "SHA-256");

        private final int length;
        private final String algorithm;

        Kind(int length, String algorithm) {
            this.length = length;
            this.algorithm = algorithm;
        }

        /** @return the hash length in bytes: 20 for V1, 32 for V2 */
        public int length() {
            return length;
        }

        /** @return the {@link java.security.MessageDigest} algorithm name: "SHA-1" or "SHA-256" */
        public String algorithm() {
            return algorithm;
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final Kind kind;
    private final byte[] bytes;

    private InfoHash(Kind kind, byte[] bytes) {
        this.kind = kind;
        this.bytes = bytes;
    }

    /**
     * @param sha1 the 20-byte SHA-1 of the info dictionary; copied
     * @return the v1 info-hash
     * @throws IllegalArgumentException if {@code sha1} is not 20 bytes long
     */
    public static InfoHash v1(byte[] sha1) {
        return of(Kind.V1, sha1);
    }

    /**
     * @param sha256 the 32-byte SHA-256 of the info dictionary; copied
     * @return the v2 info-hash
     * @throws IllegalArgumentException if {@code sha256} is not 32 bytes long
     */
    public static InfoHash v2(byte[] sha256) {
        return of(Kind.V2, sha256);
    }

    private static InfoHash of(Kind kind, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != kind.length) {
            throw new IllegalArgumentException(
                    kind + " info-hash must be " + kind.length + " bytes, got " + bytes.length);
        }
        return new InfoHash(kind, bytes.clone());
    }

    /**
     * Parses a hex info-hash, upper or lower case.
     *
     * @param kind which hash is expected; fixes the length (40 or 64 hex characters)
     * @param hex the hex text
     * @return the info-hash
     * @throws MetainfoException if {@code hex} has the wrong length or a non-hex character
     */
    public static InfoHash parseHex(Kind kind, String hex) throws MetainfoException {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hex, "hex");
        int expected = kind.length * 2;
        if (hex.length() != expected) {
            throw new MetainfoException(kind + " info-hash " + MetainfoException.quote(hex)
                    + " must be " + expected + " hex characters, got " + hex.length());
        }
        byte[] out = new byte[kind.length];
        for (int i = 0; i < expected; i++) {
            int v = hexValue(hex.charAt(i));
            if (v < 0) {
                throw new MetainfoException(kind + " info-hash " + MetainfoException.quote(hex)
                        + " has a non-hex character at index " + i);
            }
            out[i / 2] |= (byte) ((i % 2 == 0) ? v << 4 : v);
        }
        return new InfoHash(kind, out);
    }

    /** @return the value of an ASCII hex digit (either case), or -1 */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Parses a v1 info-hash written in RFC 4648 base32 (32 characters, no padding, upper or lower
     * case), as found in older magnet links.
     *
     * @param base32 the base32 text
     * @return the v1 info-hash
     * @throws MetainfoException if {@code base32} is not 32 characters of the base32 alphabet
     */
    public static InfoHash parseBase32V1(String base32) throws MetainfoException {
        Objects.requireNonNull(base32, "base32");
        if (base32.length() != 32) {
            throw new MetainfoException("V1 info-hash " + MetainfoException.quote(base32)
                    + " must be 32 base32 characters, got " + base32.length());
        }
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int pos = 0;
        for (int i = 0; i < 32; i++) {
            char c = base32.charAt(i);
            int v = c < 128 ? BASE32.indexOf(Character.toUpperCase(c)) : -1;
            if (v < 0) {
                throw new MetainfoException("V1 info-hash " + MetainfoException.quote(base32)
                        + " has a non-base32 character at index " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[pos++] = (byte) (buffer >>> bits);
            }
        }
        return new InfoHash(Kind.V1, out);
    }

    /** @return which hash this is */
    public Kind kind() {
        return kind;
    }

    /** @return a copy of the hash bytes (20 for V1, 32 for V2) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the hash as lower-case hex (40 or 64 characters) */
    public String hex() {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * @return the hash in RFC 4648 base32, upper case, without padding: 32 characters for V1 (the
     *         form used by old magnet links); 52 characters for V2, which magnet links never use
     */
    public String base32() {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(BASE32.charAt((buffer >>> bits) & 0x1F));
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 0x1F));
        }
        return out.toString();
    }

    /**
     * The first 20 bytes of a v2 hash, as a V1-kind value: the form BEP 52 uses for a v2 torrent
     * in the peer handshake, in the DHT and in tracker announces.
     *
     * @return the truncated hash
     * @throws IllegalStateException if this is already a V1 hash
     */
    public InfoHash truncatedV1() {
        if (kind != Kind.V2) {
            throw new IllegalStateException("truncatedV1() needs a V2 info-hash, this is V1 " + hex());
        }
        return new InfoHash(Kind.V1, Arrays.copyOf(bytes, Kind.V1.length));
    }

    @Override
    public int compareTo(InfoHash other) {
        int c = kind.compareTo(other.kind);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash h && kind == h.kind && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * kind.ordinal() + Arrays.hashCode(bytes);
    }

    /** @return {@link #hex()} */
    @Override
    public String toString() {
        return hex();
    }
}
