package org.stampede.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed BitTorrent magnet link (BEP 9), including v2 and hybrid links (BEP 52 {@code btmh})
 * and the {@code so} select-only parameter (BEP 53).
 *
 * <h2>Accepted syntax</h2>
 * <ul>
 * <li>The link must start with {@code magnet:?}; the scheme is case-insensitive. Leading and
 * trailing white space is ignored (links are often pasted); any other control character in the
 * link is an error. Links longer than {@value #MAX_LENGTH} characters are rejected.</li>
 * <li>Parameters are separated by {@code &}; a parameter without {@code =} and empty parameters
 * are ignored. A {@code #} ends the query, as in every URI (a literal {@code #} in a value must be
 * written {@code %23}).</li>
 * <li>Keys are matched case-insensitively and an index suffix is ignored: {@code tr.1},
 * {@code xt.2} mean {@code tr}, {@code xt}. Unknown keys are ignored.</li>
 * <li>Values are percent-decoded as UTF-8. A malformed escape ({@code %} not followed by two hex
 * digits) is an error; byte sequences that are not valid UTF-8 decode to U+FFFD. Characters that
 * are not ASCII may also appear unescaped (IRI form).</li>
 * <li><b>{@code +}</b>: in {@code dn} only, {@code +} means a space (the form-encoding that most
 * web sites and clients use for display names). In every other parameter {@code +} is a literal
 * plus, because tracker and web-seed URLs may legitimately contain one. {@link #toUri()} writes a
 * space as {@code %20} and a plus as {@code %2B}, so both survive a round trip.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <ul>
 * <li>{@code xt} (at least one required): {@code urn:btih:} followed by 40 hex or 32 base32
 * characters (v1), or {@code urn:btmh:1220} followed by 64 hex characters (a sha2-256 multihash,
 * v2). A hybrid link has one of each. The same hash repeated is accepted; two different hashes of
 * the same kind are an error. {@code xt} values of other networks (e.g. {@code urn:ed2k:}) are
 * ignored.</li>
 * <li>{@code dn}: display name, kept verbatim (it may contain any character, including control
 * characters). It is untrusted: never use it as a file name without
 * {@link PathSanitizer#sanitizeComponent(byte[])}. An empty {@code dn} counts as absent; only the
 * first non-empty {@code dn} is used.</li>
 * <li>{@code tr}, {@code ws}: tracker and web-seed URLs, kept in order, duplicates and empty
 * values dropped. They are not otherwise validated here.</li>
 * <li>{@code x.pe}: peer addresses {@code host:port}, where host is a dotted-quad IPv4 address, a
 * bracketed IPv6 address ({@code [2001:db8::1]:6881}) or a DNS host name, and port is 1-65535.
 * An invalid address is an error. Kept in order, duplicates dropped.</li>
 * <li>{@code so}: comma-separated file indices and inclusive ranges ({@code 0,2,4-6}). Ranges are
 * expanded and merged; more than {@value #MAX_SELECTED_FILES} selected indices in total is an
 * error (so {@code so=0-2147483647} fails cleanly rather than exhausting memory). Several
 * {@code so} parameters are united.</li>
 * </ul>
 * Instances are immutable; {@link #equals} compares every parsed field.
 */
public final class MagnetLink {

    /** Longest magnet link accepted, in characters (64 KiB). */
    public static final int MAX_LENGTH = 64 * 1024;

    /** Most file indices a {@code so} parameter may select in total. */
    public static final int MAX_SELECTED_FILES = 1_000_000;

    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";
    /** Multihash prefix: function sha2-256 (0x12), digest length 32 (0x20). */
    private static final String SHA256_MULTIHASH = "1220";

    private final InfoHash infoHashV1;
    private final InfoHash infoHashV2;
    private final String displayName;
    private final List<String> trackers;
    private final List<String> webSeeds;
    private final List<String> peers;
    private final IndexRanges selectOnly;

    private MagnetLink(InfoHash infoHashV1, InfoHash infoHashV2, String displayName, List<String> trackers,
            List<String> webSeeds, List<String> peers, IndexRanges selectOnly) {
        this.infoHashV1 = infoHashV1;
        this.infoHashV2 = infoHashV2;
        this.displayName = displayName;
        this.trackers = trackers;
        this.webSeeds = webSeeds;
        this.peers = peers;
        this.selectOnly = selectOnly;
    }

    /**
     * Parses a magnet link.
     *
     * @param uri the link, e.g. {@code magnet:?xt=urn:btih:...&dn=...&tr=...}
     * @return the parsed link
     * @throws MetainfoException if the link is not a magnet link, is too long, has no BitTorrent
     *         {@code xt}, or has a malformed or contradictory parameter; the message names the
     *         parameter
     */
    public static MagnetLink parse(String uri) throws MetainfoException {
        Objects.requireNonNull(uri, "uri");
        if (uri.length() > MAX_LENGTH) {
            throw new MetainfoException("magnet: link is " + uri.length() + " characters long, more than the "
                    + MAX_LENGTH + " limit");
        }
        String link = uri.strip();
        for (int i = 0; i < link.length(); i++) {
            char c = link.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new MetainfoException(String.format(
                        "magnet: control character U+%04X at index %d; it must be percent-encoded", (int) c, i));
            }
        }
        if (!link.regionMatches(true, 0, "magnet:?", 0, 8)) {
            throw new MetainfoException("not a magnet link: " + MetainfoException.quote(link)
                    + " does not start with 'magnet:?'");
        }
        int hash = link.indexOf('#');
        String query = link.substring(8, hash < 0 ? link.length() : hash);

        InfoHash v1 = null;
        InfoHash v2 = null;
        String v1Text = null;
        String v2Text = null;
        String dn = null;
        LinkedHashSet<String> tr = new LinkedHashSet<>();
        LinkedHashSet<String> ws = new LinkedHashSet<>();
        LinkedHashSet<String> pe = new LinkedHashSet<>();
        List<int[]> ranges = new ArrayList<>();
        String soText = null;

        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = baseKey(param.substring(0, eq));
            String rawValue = param.substring(eq + 1);
            switch (key) {
                case "xt" -> {
                    String xt = percentDecode("xt", rawValue, false);
                    InfoHash h = parseXt(xt);
                    if (h == null) {
                        continue;
                    }
                    if (h.kind() == InfoHash.Kind.V1) {
                        if (v1 != null && !v1.equals(h)) {
                            throw disagree(xt, v1Text);
                        }
                        v1 = h;
                        v1Text = xt;
                    } else {
                        if (v2 != null && !v2.equals(h)) {
                            throw disagree(xt, v2Text);
                        }
                        v2 = h;
                        v2Text = xt;
                    }
                }
                case "dn" -> {
                    String value = percentDecode("dn", rawValue, true);
                    if (dn == null && !value.isEmpty()) {
                        dn = value;
                    }
                }
                case "tr" -> addNonEmpty(tr, percentDecode("tr", rawValue, false));
                case "ws" -> addNonEmpty(ws, percentDecode("ws", rawValue, false));
                case "x.pe" -> {
                    String peer = percentDecode("x.pe", rawValue, false);
                    if (!peer.isEmpty()) {
                        validatePeer(peer);
                        pe.add(peer);
                    }
                }
                case "so" -> {
                    String so = percentDecode("so", rawValue, false);
                    if (!so.isEmpty()) {
                        parseSelectOnly(so, ranges);
                        soText = soText == null ? so : soText + "," + so;
                    }
                }
                default -> {
                    // unknown parameters (as, xs, kt, mt, ...) are ignored
                }
            }
        }
        if (v1 == null && v2 == null) {
            throw new MetainfoException(
                    "magnet: no BitTorrent xt parameter (xt=urn:btih:... or xt=urn:btmh:...) in "
                            + MetainfoException.quote(link));
        }
        IndexRanges so = IndexRanges.of(ranges, soText);
        return new MagnetLink(v1, v2, dn, List.copyOf(tr), List.copyOf(ws), List.copyOf(pe), so);
    }

    private static MetainfoException disagree(String xt, String earlier) {
        return new MetainfoException("magnet: xt " + MetainfoException.quote(xt) + " disagrees with the earlier xt "
                + MetainfoException.quote(earlier));
    }

    private static void addNonEmpty(Set<String> set, String value) {
        if (!value.isEmpty()) {
            set.add(value);
        }
    }

    /** Lower-cases a key and strips an index suffix: {@code TR.1 -> tr}, {@code x.pe -> x.pe}. */
    static String baseKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        int dot = k.lastIndexOf('.');
        if (dot > 0 && dot < k.length() - 1) {
            boolean digits = true;
            for (int i = dot + 1; i < k.length(); i++) {
                char c = k.charAt(i);
                digits &= c >= '0' && c <= '9';
            }
            if (digits) {
                return k.substring(0, dot);
            }
        }
        return k;
    }

    /**
     * Percent-decodes a parameter value as UTF-8; invalid UTF-8 becomes U+FFFD.
     *
     * @param param the parameter name, for the error message
     * @param plusIsSpace whether an unescaped {@code +} means a space ({@code %2B} is always a plus)
     */
    static String percentDecode(String param, String raw, boolean plusIsSpace) throws MetainfoException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 1 < raw.length() ? InfoHash.hexValue(raw.charAt(i + 1)) : -1;
                int lo = i + 2 < raw.length() ? InfoHash.hexValue(raw.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new MetainfoException("magnet: " + param + " " + MetainfoException.quote(raw)
                            + " has a malformed percent-escape at index " + i
                            + " ('%' must be followed by two hex digits)");
                }
                bytes.write((hi << 4) | lo);
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
                i++;
            } else {
                int end = i + 1;
                while (end < raw.length() && raw.charAt(end) != '%' && !(plusIsSpace && raw.charAt(end) == '+')) {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** @return the info-hash of a BitTorrent xt, or null for an xt of another network */
    private static InfoHash parseXt(String xt) throws MetainfoException {
        if (xt.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
            String h = xt.substring(BTIH.length());
            try {
                if (h.length() == 40) {
                    return InfoHash.parseHex(InfoHash.Kind.V1, h);
                }
                if (h.length() == 32) {
                    return InfoHash.parseBase32V1(h);
                }
            } catch (MetainfoException e) {
                throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt)
                        + " is not 40 hex or 32 base32 characters: " + e.getMessage(), e);
            }
            throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt)
                    + " is not 40 hex or 32 base32 characters (it has " + h.length() + ")");
        }
        if (xt.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
            String mh = xt.substring(BTMH.length());
            for (int i = 0; i < mh.length(); i++) {
                if (InfoHash.hexValue(mh.charAt(i)) < 0) {
                    throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt)
                            + " is not a hex multihash (non-hex character at index " + i + " of the hash)");
                }
            }
            if (mh.length() < 4) {
                throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt)
                        + " is too short for a multihash (expected '1220' and 64 hex characters)");
            }
            String code = mh.substring(0, 2);
            String length = mh.substring(2, 4);
            if (!code.equals("12")) {
                throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt) + " uses multihash function 0x"
                        + code.toLowerCase(Locale.ROOT) + "; only 0x12 (sha2-256) is used by BitTorrent v2");
            }
            if (!length.equals("20") || mh.length() != 4 + 64) {
                throw new MetainfoException("magnet: xt " + MetainfoException.quote(xt)
                        + " has a sha2-256 multihash of the wrong length (declared 0x" + length.toLowerCase(Locale.ROOT)
                        + " bytes, " + (mh.length() - 4) + " hex digits given; expected 0x20 bytes, 64 hex digits)");
            }
            return InfoHash.parseHex(InfoHash.Kind.V2, mh.substring(4));
        }
        return null;
    }

    // ---------------------------------------------------------------- x.pe

    private static void validatePeer(String peer) throws MetainfoException {
        String host;
        String port;
        if (peer.startsWith("[")) {
            int close = peer.indexOf(']');
            if (close < 0 || close + 1 >= peer.length() || peer.charAt(close + 1) != ':') {
                throw badPeer(peer, "must be [IPv6]:port");
            }
            host = peer.substring(1, close);
            port = peer.substring(close + 2);
            if (!isIpv6(host)) {
                throw badPeer(peer, "has an invalid IPv6 address");
            }
        } else {
            int colon = peer.lastIndexOf(':');
            if (colon < 0) {
                throw badPeer(peer, "has no ':port'");
            }
            host = peer.substring(0, colon);
            port = peer.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw badPeer(peer, "has an IPv6 address without brackets (write [address]:port)");
            }
            if (isDigitsAndDots(host)) {
                if (!isIpv4(host)) {
                    throw badPeer(peer, "has an invalid IPv4 address");
                }
            } else if (!isHostName(host)) {
                throw badPeer(peer, "has an invalid host name");
            }
        }
        int p = parsePort(port);
        if (p < 1 || p > 65535) {
            throw badPeer(peer, "has port " + MetainfoException.quote(port) + " outside 1-65535");
        }
    }

    private static MetainfoException badPeer(String peer, String what) {
        return new MetainfoException("magnet: x.pe " + MetainfoException.quote(peer) + " " + what);
    }

    /** @return the port, or -1 if it is not 1-5 ASCII digits */
    private static int parsePort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigitsAndDots(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Strict dotted quad: four decimal octets 0-255, no leading zeros (which some parsers read as octal). */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4291 text form, without a zone id; an embedded IPv4 address may end it. */
    static boolean isIpv6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        if (dbl < 0) {
            return countIpv6Groups(s, true) == 8;
        }
        String head = s.substring(0, dbl);
        String tail = s.substring(dbl + 2);
        int h = head.isEmpty() ? 0 : countIpv6Groups(head, false);
        int t = tail.isEmpty() ? 0 : countIpv6Groups(tail, true);
        return h >= 0 && t >= 0 && h + t <= 7;
    }

    /** @return the number of 16-bit groups in a ':'-separated run, or -1 if malformed */
    private static int countIpv6Groups(String run, boolean ipv4AllowedAtEnd) {
        String[] groups = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (ipv4AllowedAtEnd && i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g)) {
                    return -1;
                }
                count += 2;
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return -1;
            }
            for (int j = 0; j < g.length(); j++) {
                if (InfoHash.hexValue(g.charAt(j)) < 0) {
                    return -1;
                }
            }
            count++;
        }
        return count;
    }

    /** RFC 1123 host name: labels of letters, digits and inner hyphens, 1-63 characters, 253 in all. */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-'
                    || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- so

    private static void parseSelectOnly(String so, List<int[]> ranges) throws MetainfoException {
        for (String item : so.split(",", -1)) {
            if (item.isEmpty()) {
                throw new MetainfoException("magnet: so " + MetainfoException.quote(so) + " has an empty entry");
            }
            int dash = item.indexOf('-');
            int from;
            int to;
            if (dash < 0) {
                from = to = parseIndex(so, item);
            } else {
                from = parseIndex(so, item.substring(0, dash));
                to = parseIndex(so, item.substring(dash + 1));
                if (from > to) {
                    throw new MetainfoException("magnet: so " + MetainfoException.quote(so) + " has the range '" + item
                            + "' whose start is after its end");
                }
            }
            if ((long) to - from + 1 > MAX_SELECTED_FILES) {
                throw tooMany(so, (long) to - from + 1);
            }
            ranges.add(new int[] {from, to});
        }
    }

    private static MetainfoException tooMany(String so, long count) {
        return new MetainfoException("magnet: so " + MetainfoException.quote(so) + " selects " + count
                + " files, more than the " + MAX_SELECTED_FILES + " limit");
    }

    private static int parseIndex(String so, String s) throws MetainfoException {
        boolean digits = !s.isEmpty() && s.length() <= 10;
        for (int i = 0; digits && i < s.length(); i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        long v = digits ? Long.parseLong(s) : -1;
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MetainfoException("magnet: so " + MetainfoException.quote(so) + " has "
                    + MetainfoException.quote(s) + ", which is not a file index 0-" + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** An immutable set of non-negative ints stored as sorted, disjoint, non-adjacent inclusive ranges. */
    private static final class IndexRanges extends AbstractSet<Integer> {
        static final IndexRanges EMPTY = new IndexRanges(new int[0], new int[0], 0);

        private final int[] starts;
        private final int[] ends;
        private final int size;

        private IndexRanges(int[] starts, int[] ends, int size) {
            this.starts = starts;
            this.ends = ends;
            this.size = size;
        }

        static IndexRanges of(List<int[]> ranges, String soText) throws MetainfoException {
            if (ranges.isEmpty()) {
                return EMPTY;
            }
            ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
            int[] starts = new int[ranges.size()];
            int[] ends = new int[ranges.size()];
            int n = 0;
            long total = 0;
            for (int[] r : ranges) {
                if (n > 0 && (long) r[0] <= (long) ends[n - 1] + 1) {
                    if (r[1] > ends[n - 1]) {
                        total += r[1] - ends[n - 1];
                        ends[n - 1] = r[1];
                    }
                } else {
                    starts[n] = r[0];
                    ends[n] = r[1];
                    total += (long) r[1] - r[0] + 1;
                    n++;
                }
                if (total > MAX_SELECTED_FILES) {
                    throw tooMany(soText, total);
                }
            }
            return new IndexRanges(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), (int) total);
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Integer i)) {
                return false;
            }
            int pos = Arrays.binarySearch(starts, i);
            if (pos >= 0) {
                return true;
            }
            int before = -pos - 2;
            return before >= 0 && i <= ends[before];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                private int range;
                private long next = starts.length > 0 ? starts[0] : 0;

                @Override
                public boolean hasNext() {
                    return range < starts.length;
                }

                @Override
                public Integer next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int value = (int) next;
                    if (next == ends[range]) {
                        range++;
                        next = range < starts.length ? starts[range] : 0;
                    } else {
                        next++;
                    }
                    return value;
                }
            };
        }

        String toParameter() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < starts.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(starts[i]);
                if (ends[i] != starts[i]) {
                    out.append('-').append(ends[i]);
                }
            }
            return out.toString();
        }

        boolean sameRanges(IndexRanges other) {
            return Arrays.equals(starts, other.starts) && Arrays.equals(ends, other.ends);
        }

        int rangesHash() {
            return 31 * Arrays.hashCode(starts) + Arrays.hashCode(ends);
        }
    }

    // ---------------------------------------------------------------- getters

    /** @return the v1 (SHA-1) info-hash, or null for a v2-only link */
    public InfoHash infoHashV1() {
        return infoHashV1;
    }

    /** @return the v2 (SHA-256) info-hash, or null for a v1-only link */
    public InfoHash infoHashV2() {
        return infoHashV2;
    }

    /** @return the display name ({@code dn}), decoded but otherwise verbatim and untrusted, or null */
    public String displayName() {
        return displayName;
    }

    /** @return the tracker URLs ({@code tr}) in link order, without duplicates; unmodifiable */
    public List<String> trackers() {
        return trackers;
    }

    /** @return the web-seed URLs ({@code ws}) in link order, without duplicates; unmodifiable */
    public List<String> webSeeds() {
        return webSeeds;
    }

    /**
     * @return the peer addresses ({@code x.pe}) as validated {@code host:port} strings (IPv6 hosts in
     *         brackets) in link order, without duplicates; unmodifiable
     */
    public List<String> peers() {
        return peers;
    }

    /**
     * @return the file indices selected by {@code so} (BEP 53), iterated in ascending order; empty when
     *         the link has no {@code so} (meaning: download every file); unmodifiable. The set is
     *         backed by ranges, so {@code contains} is cheap even for a large selection.
     */
    public Set<Integer> selectOnly() {
        return selectOnly;
    }

    /**
     * The canonical form of this link: {@code xt} (v1 as lower-case hex, then v2 as {@code btmh}),
     * {@code dn}, each {@code tr}, {@code ws} and {@code x.pe}, then {@code so} with merged ranges.
     * Values are percent-encoded (UTF-8) except for unreserved characters and {@code : / @ ,}.
     * Parsing the result gives an equal link.
     *
     * @return the canonical magnet URI
     */
    public String toUri() {
        StringBuilder out = new StringBuilder("magnet:?");
        String sep = "";
        if (infoHashV1 != null) {
            out.append("xt=").append(BTIH).append(infoHashV1.hex());
            sep = "&";
        }
        if (infoHashV2 != null) {
            out.append(sep).append("xt=").append(BTMH).append(SHA256_MULTIHASH).append(infoHashV2.hex());
        }
        if (displayName != null) {
            out.append("&dn=").append(encode(displayName));
        }
        for (String t : trackers) {
            out.append("&tr=").append(encode(t));
        }
        for (String w : webSeeds) {
            out.append("&ws=").append(encode(w));
        }
        for (String p : peers) {
            out.append("&x.pe=").append(encode(p));
        }
        if (!selectOnly.isEmpty()) {
            out.append("&so=").append(selectOnly.toParameter());
        }
        return out.toString();
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~:/@,".indexOf(c) >= 0;
            if (keep) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MagnetLink m
                && Objects.equals(infoHashV1, m.infoHashV1)
                && Objects.equals(infoHashV2, m.infoHashV2)
                && Objects.equals(displayName, m.displayName)
                && trackers.equals(m.trackers)
                && webSeeds.equals(m.webSeeds)
                && peers.equals(m.peers)
                && selectOnly.sameRanges(m.selectOnly);
    }

    @Override
    public int hashCode() {
        return Objects.hash(infoHashV1, infoHashV2, displayName, trackers, webSeeds, peers, selectOnly.rangesHash());
    }

    /** @return {@link #toUri()} */
    @Override
    public String toString() {
        return toUri();
    }
}
