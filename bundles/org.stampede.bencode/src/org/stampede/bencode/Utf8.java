package org.stampede.bencode;

/** Allocation-free UTF-8 validation (Unicode Table 3-7: no overlongs, surrogates or code points above U+10FFFF). */
final class Utf8 {
    private Utf8() {
    }

    /**
     * @return the index (relative to {@code off}) of the first byte of the first ill-formed sequence,
     *         or -1 if {@code b[off, off+len)} is well-formed UTF-8
     */
    static int firstInvalid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                if (c == 0xe0) {
                    lo = 0xa0;
                } else if (c == 0xed) {
                    hi = 0x9f;
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                if (c == 0xf0) {
                    lo = 0x90;
                } else if (c == 0xf4) {
                    hi = 0x8f;
                }
            } else {
                return i - off;
            }
            if (end - i <= need) {
                return i - off;
            }
            int c1 = b[i + 1] & 0xff;
            if (c1 < lo || c1 > hi) {
                return i - off;
            }
            for (int k = 2; k <= need; k++) {
                int ck = b[i + k] & 0xff;
                if (ck < 0x80 || ck > 0xbf) {
                    return i - off;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
