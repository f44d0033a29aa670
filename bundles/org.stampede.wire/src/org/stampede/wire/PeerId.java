package org.stampede.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The 20-byte peer id of the handshake (BEP 3) and of tracker announces.
 * <p>
 * Ours follows the Azureus convention (BEP 20): {@value #STAMPEDE_PREFIX} followed by 12 random bytes. {@code SQ}
 * names Stampede (a code no known client uses; {@code SD}, the obvious one, is Thunder/Xunlei's and is on peer-id
 * blacklists); {@code 0100} is the version 0.1.0 as four version characters (major, minor, patch, build; each
 * {@code 0-9} or {@code A-Z} for 10 to 35), the way libtorrent writes 2.0.8 as {@code -LT2080-}. The extension
 * handshake's {@code v} ({@link ExtensionHandshake#client()}) is the better source of a peer's name and should be
 * preferred when present.
 * <p>
 * {@link #clientName()} turns other clients' ids into a display name for the UI: Azureus style ({@code -LT2080-} is
 * "libtorrent 2.0.8"; the case of the code matters: {@code LT} is Rasterbar libtorrent, {@code lt} rakshasa's
 * libTorrent used by rTorrent), Mainline style ({@code M7-2-0--} is "BitTorrent 7.2.0") and aria2's {@code A2-1-36-0-}.
 * Peer ids are untrusted: names are built from a fixed table and version digits only, unknown ids are shown escaped.
 * <p>
 * Instances are immutable.
 */
public final class PeerId {
    /** Length of a peer id in bytes. */
    public static final int LENGTH = 20;
    /**
     * Our Azureus-style prefix: client {@code SQ} (Stampede), version 0.1.0. Not {@code SD}: that code is
     * Xunlei/Thunder's in the BEP 20 table that libtorrent and others use, and peer-id blacklists ban it.
     */
    public static final String STAMPEDE_PREFIX = "-SQ0100-";

    private static final byte[] PREFIX_BYTES = STAMPEDE_PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** Azureus-style client codes (BEP 20 and the clients' own sources); the case matters. */
    private static final Map<String, String> AZUREUS_CLIENTS = Map.ofEntries(
            Map.entry("SQ", "Stampede"),
            Map.entry("SD", "Xunlei"),
            Map.entry("LT", "libtorrent"),
            Map.entry("lt", "rTorrent/libTorrent"),
            Map.entry("TR", "Transmission"),
            Map.entry("qB", "qBittorrent"),
            Map.entry("UT", "\u00b5Torrent"),
            Map.entry("UM", "\u00b5Torrent Mac"),
            Map.entry("UW", "\u00b5Torrent Web"),
            Map.entry("DE", "Deluge"),
            Map.entry("AZ", "Vuze"),
            Map.entry("BI", "BiglyBT"),
            Map.entry("BT", "BitTorrent"),
            Map.entry("KT", "KTorrent"),
            Map.entry("PI", "PicoTorrent"),
            Map.entry("WW", "WebTorrent"),
            Map.entry("FD", "Free Download Manager"));

    private final byte[] id;

    private PeerId(byte[] id) {
        this.id = id;
    }

    /**
     * @param bytes exactly 20 bytes; copied
     * @return the peer id
     * @throws IllegalArgumentException if {@code bytes} is not 20 bytes long
     */
    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id has 20 bytes, not " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /** Reads 20 bytes at {@code off} (copied). */
    static PeerId of(byte[] bytes, int off) {
        return new PeerId(Arrays.copyOfRange(bytes, off, off + LENGTH));
    }

    /** @return a new id of ours: {@value #STAMPEDE_PREFIX} and 12 bytes from a {@link SecureRandom} */
    public static PeerId random() {
        return random(new SecureRandom());
    }

    /** @return a new id of ours: {@value #STAMPEDE_PREFIX} and 12 bytes from {@code random} */
    public static PeerId random(RandomGenerator random) {
        byte[] id = new byte[LENGTH];
        System.arraycopy(PREFIX_BYTES, 0, id, 0, PREFIX_BYTES.length);
        for (int i = PREFIX_BYTES.length; i < LENGTH; i++) {
            id[i] = (byte) random.nextInt(256);
        }
        return new PeerId(id);
    }

    /** @return a copy of the 20 bytes */
    public byte[] bytes() {
        return id.clone();
    }

    /** Copies the 20 bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(id, 0, dst, off, LENGTH);
    }

    /** The bytes themselves, for encoding; never modified. */
    byte[] array() {
        return id;
    }

    /** @return whether this id has our prefix {@value #STAMPEDE_PREFIX} */
    public boolean isStampede() {
        return Arrays.equals(id, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length);
    }

    /**
     * The client that this id names, for display: "libtorrent 2.0.8", "Transmission 2.94", "aria2 1.36.0",
     * "BitTorrent 7.2.0", or for an id in none of the known styles "unknown" and its first 8 bytes escaped, such as
     * {@code unknown (-XX1234-)}. A known style with an unknown client code gives the code and the version, such as
     * {@code XY 1.2.3}.
     */
    public String clientName() {
        String name = azureus();
        if (name == null) {
            name = aria2();
        }
        if (name == null) {
            name = mainline();
        }
        return name != null ? name : "unknown (" + escape(id, 0, 8) + ")";
    }

    /** {@code -CCvvvv-}: two code characters and four version characters. */
    private String azureus() {
        if (id[0] != '-' || id[7] != '-' || !isAlnum(id[1]) || !isAlnum(id[2])) {
            return null;
        }
        for (int i = 3; i < 7; i++) {
            if (!isAlnum(id[i])) {
                return null;
            }
        }
        String code = new String(id, 1, 2, StandardCharsets.US_ASCII);
        String client = AZUREUS_CLIENTS.getOrDefault(code, code);
        String version = switch (code) {
            case "TR" -> transmissionVersion();
            case "UT", "UM", "UW" -> digit(id[3]) + "." + digit(id[4]) + "." + digit(id[5]);
            default -> genericVersion();
        };
        return version == null ? client : client + " " + version;
    }

    /**
     * The first three characters are components (0-9, A-Z for 10-35); the fourth is a fourth component unless it is
     * 0 or a lower-case build tag (Deluge 2 writes 2.1.1 as {@code 211s}).
     */
    private String genericVersion() {
        int major = versionValue(id[3]);
        int minor = versionValue(id[4]);
        int patch = versionValue(id[5]);
        if (major < 0 || minor < 0 || patch < 0) {
            return null;
        }
        int build = versionValue(id[6]);
        String s = major + "." + minor + "." + patch;
        return build <= 0 ? s : s + "." + build;
    }

    /** Transmission's own rules: -TR0006- 0.6, -TR0072- 0.72, -TR294Z- 2.94+, -TR4050- 4.0.5. */
    private String transmissionVersion() {
        String digits = new String(id, 3, 4, StandardCharsets.US_ASCII);
        char last = digits.charAt(3);
        String suffix = last == 'Z' || last == 'X' ? "+" : last == 'B' ? " beta" : "";
        if (digits.startsWith("000")) {
            return "0." + last;
        }
        if (digits.startsWith("00")) {
            return "0." + digits.substring(2);
        }
        if (digits.charAt(0) <= '3') {
            return digits.charAt(0) + "." + digits.substring(1, 3) + suffix;
        }
        return versionValue(id[3]) + "." + versionValue(id[4]) + "." + versionValue(id[5]) + suffix;
    }

    /** aria2: {@code A2-<major>-<minor>-<patch>-}. */
    private String aria2() {
        if (id[0] != 'A' || id[1] != '2' || id[2] != '-') {
            return null;
        }
        String v = dashedVersion(3);
        return v == null ? null : "aria2 " + v;
    }

    /** Mainline: one letter then dash-separated decimal components, padded with dashes to 8 bytes. */
    private String mainline() {
        if (id[0] != 'M' || !isDigit(id[1])) {
            return null;
        }
        String v = dashedVersion(1);
        return v == null ? null : "BitTorrent " + v;
    }

    /** Three decimal components separated and ended by '-', starting at {@code from}, within the first 12 bytes. */
    private String dashedVersion(int from) {
        StringBuilder sb = new StringBuilder(12);
        int p = from;
        for (int part = 0; part < 3; part++) {
            int start = p;
            while (p < 12 && isDigit(id[p])) {
                p++;
            }
            if (p == start || p - start > 3 || p >= 12 || id[p] != '-') {
                return null;
            }
            if (part > 0) {
                sb.append('.');
            }
            sb.append(new String(id, start, p - start, StandardCharsets.US_ASCII));
            p++;
        }
        return sb.toString();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isAlnum(byte b) {
        return isDigit(b) || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    private static int versionValue(byte b) {
        if (isDigit(b)) {
            return b - '0';
        }
        if (b >= 'A' && b <= 'Z') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static String digit(byte b) {
        int v = versionValue(b);
        return v < 0 ? "?" : Integer.toString(v);
    }

    /** Printable ASCII as is, other bytes as {@code \xNN}. */
    static String escape(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.forDigit(c >>> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(id, other.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    /** @return the id with non-printable bytes escaped, such as {@code -SQ0100-\x8f...} */
    @Override
    public String toString() {
        return escape(id, 0, LENGTH);
    }
}
