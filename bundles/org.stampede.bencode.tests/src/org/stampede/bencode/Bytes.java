package org.stampede.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test helpers for building byte inputs. */
final class Bytes {
    private Bytes() {
    }

    /** @return the chars of {@code s} as bytes 0x00-0xff (ISO-8859-1), so binary data can be written inline */
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return {@code unit} repeated {@code n} times between {@code head} and {@code tail} */
    static byte[] repeat(String head, String unit, int n, String tail) {
        byte[] h = b(head);
        byte[] u = b(unit);
        byte[] t = b(tail);
        byte[] out = new byte[h.length + u.length * n + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        for (int i = 0; i < n; i++) {
            System.arraycopy(u, 0, out, h.length + i * u.length, u.length);
        }
        System.arraycopy(t, 0, out, out.length - t.length, t.length);
        return out;
    }

    /** @return {@code n} copies of byte {@code c} */
    static byte[] fill(char c, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) c);
        return out;
    }

    /** A small torrent-like metainfo dict in canonical (strict) form. */
    static final String SAMPLE_TORRENT = "d"
            + "8:announce" + "31:http://tracker.example/announce"
            + "13:announce-list" + "ll31:http://tracker.example/announceel17:udp://t.example:1ee"
            + "7:comment" + "6:sample"
            + "13:creation datei1700000000e"
            + "4:info" + "d"
            + "5:filesl" + "d6:lengthi12345e4:pathl3:dir5:a.txtee" + "d6:lengthi-1e4:pathl5:b.binee" + "e"
            + "4:name" + "6:sample"
            + "12:piece lengthi262144e"
            + "6:pieces" + "20:\u0000\u0001\u0002\u00ff\u00fe\u0080abcdefghijklmn"
            + "7:privatei1e"
            + "e"
            + "e";

    /** @return the sample torrent bytes */
    static byte[] sampleTorrent() {
        return b(SAMPLE_TORRENT);
    }
}
