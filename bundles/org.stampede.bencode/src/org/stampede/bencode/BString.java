package org.stampede.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A bencoded byte string ({@code <length>:<bytes>}).
 * <p>
 * A decoded string is a read-only view over the decoded array: nothing is copied when decoding, so the
 * caller must not modify that array while the values are in use. Bencode strings are raw bytes; the text
 * accessors interpret them as UTF-8. Equality, hash code and ordering are by content, ordering comparing
 * bytes as unsigned values (the order bencode requires for dict keys).
 */
public final class BString implements BValue, Comparable<BString> {
    private static final int MAX_QUOTED = 64;

    private final byte[] src;
    private final int start;
    private final int end;
    private final int off; // first content byte in src
    private final int len;
    private int hash;

    BString(byte[] src, int start, int end, int off, int len) {
        this.src = src;
        this.start = start;
        this.end = end;
        this.off = off;
        this.len = len;
    }

    /** @return the UTF-8 encoding of {@code text} as a string value */
    public static BString of(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new BString(b, -1, -1, 0, b.length);
    }

    /** @return a string value holding a copy of {@code bytes} */
    public static BString of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** @return a string value holding a copy of {@code bytes[off, off+len)} */
    public static BString of(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        return new BString(Arrays.copyOfRange(bytes, off, off + len), -1, -1, 0, len);
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public byte[] rawBytes() {
        return start >= 0 ? Arrays.copyOfRange(src, start, end) : BencodeEncoder.encode(this);
    }

    /** @return number of content bytes */
    public int length() {
        return len;
    }

    /** @return a copy of the content bytes */
    public byte[] bytes() {
        return Arrays.copyOfRange(src, off, off + len);
    }

    /** @return content byte {@code index} */
    public byte byteAt(int index) {
        Objects.checkIndex(index, len);
        return src[off + index];
    }

    /** Copies all content bytes into {@code dst} starting at {@code dstOff}. */
    public void copyTo(byte[] dst, int dstOff) {
        System.arraycopy(src, off, dst, dstOff, len);
    }

    /** @return a read-only buffer over the content (no copy), position 0, limit {@link #length()} */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(src, off, len).slice().asReadOnlyBuffer();
    }

    /** @return the content decoded as UTF-8, ill-formed sequences replaced by U+FFFD */
    public String asString() {
        return new String(src, off, len, StandardCharsets.UTF_8);
    }

    /**
     * @return the content decoded as UTF-8
     * @throws BencodeException if the content is not well-formed UTF-8; its offset is {@link #start()}
     */
    public String asStrictUtf8() {
        int bad = Utf8.firstInvalid(src, off, len);
        if (bad >= 0) {
            throw new BencodeException("string is not valid UTF-8 (bad byte at index " + bad + ")", start);
        }
        return new String(src, off, len, StandardCharsets.UTF_8);
    }

    /** @return whether the content is well-formed UTF-8 */
    public boolean isValidUtf8() {
        return Utf8.firstInvalid(src, off, len) < 0;
    }

    /** @return whether the content equals the UTF-8 encoding of {@code text} */
    public boolean contentEquals(String text) {
        return compareToText(text) == 0;
    }

    /** Compares content with the UTF-8 encoding of {@code s}, unsigned bytewise; ASCII without allocation. */
    int compareToText(String s) {
        int n = s.length();
        int common = Math.min(n, len);
        for (int i = 0; i < common; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                return Arrays.compareUnsigned(src, off, off + len, b, 0, b.length);
            }
            int d = (src[off + i] & 0xff) - c;
            if (d != 0) {
                return d;
            }
        }
        for (int i = common; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                return Arrays.compareUnsigned(src, off, off + len, b, 0, b.length);
            }
        }
        return len - n;
    }

    @Override
    public int compareTo(BString o) {
        return Arrays.compareUnsigned(src, off, off + len, o.src, o.off, o.off + o.len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && Arrays.equals(src, off, off + len, other.src, other.off, other.off + other.len);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 1;
            for (int i = off, e = off + len; i < e; i++) {
                h = 31 * h + src[i];
            }
            hash = h;
        }
        return h;
    }

    /** Content as text if it is printable ASCII, else with {@code \xNN} escapes; long content is shortened. */
    @Override
    public String toString() {
        return quoted();
    }

    /** Quoted, escaped and shortened rendering for error messages. */
    String quoted() {
        StringBuilder sb = new StringBuilder(Math.min(len, MAX_QUOTED) + 2).append('\'');
        int n = Math.min(len, MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            int c = src[off + i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (len > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    // package-private accessors for the encoder
    byte[] array() {
        return src;
    }

    int contentOffset() {
        return off;
    }
}
