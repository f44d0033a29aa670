package org.stampede.metainfo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeException;
import org.stampede.bencode.BencodeLimits;
import org.stampede.metainfo.PathSanitizer.SafePath;

/** Turns torrent bytes into a {@link Torrent}; one instance per parse. */
final class TorrentParser {
    /** Limits for torrent files: libtorrent's depth; a million tokens (about 200,000 files) bounds memory to ~50 MB. */
    static final BencodeLimits LIMITS = new BencodeLimits(100, 1_000_000, Torrent.MAX_TORRENT_SIZE);

    private final byte[] data;

    byte[] infoBytes;
    Torrent.Version version;
    InfoHash infoHashV1;
    InfoHash infoHashV2;
    String name;
    /** The name as the torrent states it, before sanitising (hybrid torrents compare it with the file tree). */
    private byte[] rawName;
    long pieceLength;
    int pieceCount;
    long totalLength;
    boolean multiFile;
    final List<TorrentFile> files = new ArrayList<>();
    final List<List<String>> trackers = new ArrayList<>();
    final List<String> webSeeds = new ArrayList<>();
    boolean isPrivate;
    String comment;
    String createdBy;
    Long creationDate;
    byte[] piecesV1;
    /** v2: the hash of every piece, 32 bytes each (see {@link Torrent#pieceHashV2(int)}). */
    byte[] piecesV2;
    /** v2: the piece layer of each file larger than a piece, by its pieces root. */
    private final Map<java.nio.ByteBuffer, byte[]> layersByRoot = new java.util.HashMap<>();
    final List<String> warnings = new ArrayList<>();

    TorrentParser(byte[] data) {
        this.data = data;
    }

    /** A file as the torrent states it, before path sanitising. */
    private record RawFile(List<byte[]> path, long length, String attr, List<byte[]> symlink, byte[] piecesRoot,
            String where) {
        boolean padding() {
            return attr != null && attr.indexOf('p') >= 0;
        }
    }

    Torrent parse() throws MetainfoException {
        try {
            BValue rootValue = BencodeDecoder.lenient().withLimits(LIMITS).decode(data);
            if (!(rootValue instanceof BDict root)) {
                throw new MetainfoException("torrent: the top level is not a dictionary");
            }
            parseRoot(root);
            return new Torrent(this);
        } catch (BencodeException e) {
            throw new MetainfoException("torrent: malformed bencode: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // PathSanitizer.SafePath refused what the sanitiser produced: reject the torrent rather than crash
            throw new MetainfoException("torrent: a file path cannot be made safe: " + e.getMessage(), e);
        }
    }

    private void parseRoot(BDict root) throws MetainfoException {
        BDict info = root.getDict("info");
        if (info == null) {
            throw new MetainfoException("torrent: no 'info' dictionary");
        }
        infoBytes = Arrays.copyOfRange(data, info.start(), info.end());

        Long metaVersion = info.getLong("meta version");
        if (metaVersion != null && metaVersion != 1 && metaVersion != 2) {
            throw new MetainfoException("info.meta version: unsupported version " + metaVersion);
        }
        boolean hasV2 = metaVersion != null && metaVersion == 2 && info.containsKey("file tree");
        boolean hasV1 = info.containsKey("pieces");
        if (!hasV1 && !hasV2) {
            throw new MetainfoException("info: has neither 'pieces' (v1) nor 'meta version' 2 with 'file tree' (v2)");
        }
        version = hasV1 && hasV2 ? Torrent.Version.HYBRID : hasV1 ? Torrent.Version.V1 : Torrent.Version.V2;

        name = parseName(info);
        pieceLength = parsePieceLength(info, hasV2);

        List<RawFile> v1Files = hasV1 ? parseV1Files(info) : null;
        List<RawFile> v2Files = hasV2 ? parseV2Files(info, root.getDict("piece layers")) : null;

        if (hasV1) {
            BString pieces = info.getString("pieces");
            if (pieces == null) {
                throw new MetainfoException("info.pieces: must be a string");
            }
            if (pieces.length() % 20 != 0) {
                throw new MetainfoException("info.pieces: length " + pieces.length() + " is not a multiple of 20");
            }
            long stream = 0;
            for (RawFile f : v1Files) {
                stream = addLength(stream, f.length, f.where);
            }
            long expected = ceilDiv(stream, pieceLength);
            if (expected > Torrent.MAX_PIECES) {
                throw new MetainfoException("info: " + expected + " pieces is more than the " + Torrent.MAX_PIECES
                        + " allowed");
            }
            if (pieces.length() / 20 != expected) {
                throw new MetainfoException("info.pieces: has " + pieces.length() / 20 + " hashes but "
                        + stream + " bytes in pieces of " + pieceLength + " need " + expected);
            }
            pieceCount = (int) expected;
            piecesV1 = pieces.bytes();
        }
        if (hasV2) {
            long count = 0;
            for (RawFile f : v2Files) {
                count += ceilDiv(f.length, pieceLength);
                if (count > Torrent.MAX_PIECES) {
                    throw new MetainfoException("info.file tree: more than " + Torrent.MAX_PIECES + " pieces");
                }
            }
            if (hasV1 && count != pieceCount) {
                throw new MetainfoException("hybrid torrent: v1 has " + pieceCount + " pieces but v2 has " + count);
            }
            pieceCount = (int) count;
        }
        if (pieceCount == 0) {
            throw new MetainfoException("info: the torrent has no data (every file is empty)");
        }

        List<RawFile> chosen;
        if (hasV1 && hasV2) {
            chosen = mergeHybrid(v1Files, v2Files);
        } else {
            chosen = hasV1 ? v1Files : v2Files;
        }
        buildFiles(chosen, !hasV1);
        if (hasV2) {
            piecesV2 = v2PieceHashes();
        }

        MessageDigest sha1 = digest("SHA-1");
        if (hasV1) {
            infoHashV1 = InfoHash.v1(sha1.digest(infoBytes));
        }
        if (hasV2) {
            infoHashV2 = InfoHash.v2(Merkle.sha256().digest(infoBytes));
        }

        isPrivate = Long.valueOf(1).equals(optionalLong(info, "private"));
        parseTrackers(root);
        parseWebSeeds(root);
        comment = optionalText(root, "comment.utf-8", optionalText(root, "comment", null));
        createdBy = optionalText(root, "created by", null);
        creationDate = optionalLong(root, "creation date");
    }

    /**
     * The folder of a download folder where the client keeps its state ({@code <dir>/.stampede/}: resume data, the
     * control file). A torrent of this name (in any case) would write its data there, and the client its state into
     * the data: it is renamed {@code .stampede_}, as a Windows device name gets a {@code _}.
     */
    private static final String STATE_FOLDER = ".stampede";

    private String parseName(BDict info) throws MetainfoException {
        BString raw = stringOrNull(info, "name.utf-8");
        if (raw == null || !raw.isValidUtf8()) {
            raw = info.getString("name");
        }
        if (raw == null) {
            throw new MetainfoException("info.name: missing");
        }
        rawName = raw.bytes();
        try {
            SafePath safe = PathSanitizer.sanitize(List.of(raw.bytes()));
            if (safe.components().size() != 1) {
                throw new MetainfoException("info.name: " + MetainfoException.quote(raw.asString()) + " is not a single name");
            }
            if (!safe.fixes().isEmpty()) {
                warnings.add("info.name: " + String.join("; ", safe.fixes()));
            }
            String name = safe.components().get(0);
            if (name.equalsIgnoreCase(STATE_FOLDER)) {
                warnings.add("info.name: " + MetainfoException.quote(name) + " is the folder where Stampede keeps its "
                        + "state in a download folder (resume data, control file): renamed "
                        + MetainfoException.quote(name + "_"));
                name = name + "_";
            }
            return name;
        } catch (MetainfoException e) {
            throw new MetainfoException("info.name: " + e.getMessage(), e);
        }
    }

    private static long parsePieceLength(BDict info, boolean v2) throws MetainfoException {
        Long pl = info.getLong("piece length");
        if (pl == null) {
            throw new MetainfoException("info.piece length: missing");
        }
        if (pl <= 0) {
            throw new MetainfoException("info.piece length: " + pl + " is not positive");
        }
        if (pl > Torrent.MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length: " + pl + " is larger than " + Torrent.MAX_PIECE_LENGTH);
        }
        if (v2 && (pl < Merkle.BLOCK || Long.bitCount(pl) != 1)) {
            throw new MetainfoException("info.piece length: " + pl
                    + " must be a power of two of at least 16 KiB in a v2 torrent (BEP 52)");
        }
        return pl;
    }

    private List<RawFile> parseV1Files(BDict info) throws MetainfoException {
        List<RawFile> out = new ArrayList<>();
        BList list = info.getList("files");
        if (list == null) {
            Long length = info.getLong("length");
            if (length == null) {
                throw new MetainfoException("info: has neither 'length' nor 'files'");
            }
            if (length < 0) {
                throw new MetainfoException("info.length: " + length + " is negative");
            }
            multiFile = false;
            out.add(new RawFile(null, length, optionalText(info, "attr", null), symlinkOf(info, "info"), null,
                    "info"));
            return out;
        }
        multiFile = true;
        if (list.size() == 0) {
            throw new MetainfoException("info.files: is empty");
        }
        if (list.size() > Torrent.MAX_FILES) {
            throw new MetainfoException("info.files: " + list.size() + " files is more than " + Torrent.MAX_FILES);
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "info.files[" + i + "]";
            try {
                out.add(v1File(list.get(i), where));
            } catch (BencodeException e) {
                throw new MetainfoException(where + ": " + e.getMessage(), e); // a field of the wrong type
            }
        }
        return out;
    }

    private RawFile v1File(BValue entry, String where) throws MetainfoException {
        if (!(entry instanceof BDict f)) {
            throw new MetainfoException(where + ": is not a dictionary");
        }
        Long length = f.getLong("length");
        if (length == null) {
            throw new MetainfoException(where + ".length: missing");
        }
        if (length < 0) {
            throw new MetainfoException(where + ".length: " + length + " is negative");
        }
        BList path = listOrNull(f, "path.utf-8");
        if (path == null || !allValidUtf8(path)) {
            path = f.getList("path");
        }
        if (path == null) {
            throw new MetainfoException(where + ".path: missing");
        }
        return new RawFile(components(path, where + ".path"), length, optionalText(f, "attr", null),
                symlinkOf(f, where), null, where);
    }

    private List<RawFile> parseV2Files(BDict info, BDict pieceLayers) throws MetainfoException {
        BDict tree = info.getDict("file tree");
        List<RawFile> out = new ArrayList<>();
        walkTree(tree, new ArrayList<>(), out, pieceLayers, 0);
        if (out.isEmpty()) {
            throw new MetainfoException("info.file tree: has no files");
        }
        // A v2 torrent is single-file when its tree holds one file named like the torrent.
        if (!info.containsKey("pieces")) {
            multiFile = !(out.size() == 1 && out.get(0).path.size() == 1);
        }
        return out;
    }

    private void walkTree(BDict node, List<byte[]> prefix, List<RawFile> out, BDict layers, int depth)
            throws MetainfoException {
        String where = "info.file tree/" + display(prefix);
        for (Map.Entry<BString, BValue> e : node.entries().entrySet()) {
            BString key = e.getKey();
            if (!(e.getValue() instanceof BDict child)) {
                throw new MetainfoException(where + ": entry " + MetainfoException.quote(key.asString()) + " is not a dictionary");
            }
            if (key.length() == 0) {
                throw new MetainfoException(where + ": a file entry ('') where a name was expected");
            }
            List<byte[]> path = new ArrayList<>(prefix);
            path.add(key.bytes());
            BValue leaf = child.get("");
            if (leaf != null) {
                if (child.entries().size() != 1) {
                    throw new MetainfoException(where + display(List.of(key.bytes()))
                            + ": is both a file and a folder");
                }
                if (!(leaf instanceof BDict fileDict)) {
                    throw new MetainfoException(where + display(List.of(key.bytes())) + ": file entry is not a dictionary");
                }
                if (out.size() >= Torrent.MAX_FILES) {
                    throw new MetainfoException("info.file tree: more than " + Torrent.MAX_FILES + " files");
                }
                try {
                    out.add(v2File(fileDict, path, layers));
                } catch (BencodeException ex) {
                    throw new MetainfoException("info.file tree/" + display(path) + ": " + ex.getMessage(), ex);
                }
            } else {
                if (child.entries().isEmpty()) {
                    throw new MetainfoException("info.file tree/" + display(path) + ": empty folder");
                }
                walkTree(child, path, out, layers, depth + 1);
            }
        }
    }

    private RawFile v2File(BDict f, List<byte[]> path, BDict layers) throws MetainfoException {
        String where = "info.file tree/" + display(path);
        Long length = f.getLong("length");
        if (length == null) {
            throw new MetainfoException(where + ".length: missing");
        }
        if (length < 0) {
            throw new MetainfoException(where + ".length: " + length + " is negative");
        }
        String attr = optionalText(f, "attr", null);
        byte[] root = null;
        boolean padding = attr != null && attr.indexOf('p') >= 0;
        if (length > 0 && !padding) {
            BString r = f.getString("pieces root");
            if (r == null || r.length() != Merkle.HASH) {
                throw new MetainfoException(where + ".pieces root: must be a 32-byte string");
            }
            root = r.bytes();
            if (length > pieceLength) {
                checkPieceLayer(where, root, length, layers);
            }
        }
        return new RawFile(path, length, attr, symlinkOf(f, where), root, where);
    }

    private void checkPieceLayer(String where, byte[] root, long length, BDict layers) throws MetainfoException {
        if (layers == null) {
            throw new MetainfoException("piece layers: missing, but " + where + " is larger than a piece");
        }
        BString layer = null;
        for (Map.Entry<BString, BValue> e : layers.entries().entrySet()) {
            if (e.getKey().length() == Merkle.HASH && Arrays.equals(e.getKey().bytes(), root)) {
                if (!(e.getValue() instanceof BString s)) {
                    throw new MetainfoException("piece layers: entry for " + where + " is not a string");
                }
                layer = s;
                break;
            }
        }
        if (layer == null) {
            throw new MetainfoException("piece layers: no layer for " + where);
        }
        long pieces = ceilDiv(length, pieceLength);
        if (layer.length() != pieces * Merkle.HASH) {
            throw new MetainfoException("piece layers: layer for " + where + " has " + layer.length()
                    + " bytes, expected " + pieces * Merkle.HASH);
        }
        byte[] bytes = layer.bytes();
        byte[] computed = Merkle.rootFromPieceLayer(Merkle.sha256(), bytes, (int) pieces, pieceLength);
        if (!Arrays.equals(computed, root)) {
            throw new MetainfoException("piece layers: layer for " + where + " does not hash to its pieces root");
        }
        layersByRoot.put(java.nio.ByteBuffer.wrap(root), bytes);
    }

    /** The v2 hash of every piece: from the file's piece layer, or its pieces root for a file of one piece. */
    private byte[] v2PieceHashes() {
        byte[] out = new byte[pieceCount * Merkle.HASH];
        for (TorrentFile f : files) {
            byte[] root = f.piecesRoot();
            if (root == null || f.padding() || f.length() == 0 || f.offset() % pieceLength != 0) {
                continue;
            }
            long first = f.offset() / pieceLength;
            long count = ceilDiv(f.length(), pieceLength);
            if (first + count > pieceCount) {
                continue;
            }
            byte[] hashes = count == 1 ? root : layersByRoot.get(java.nio.ByteBuffer.wrap(root));
            if (hashes != null) {
                System.arraycopy(hashes, 0, out, (int) first * Merkle.HASH, (int) count * Merkle.HASH);
            }
        }
        return out;
    }

    /** Hybrid: the v1 list (with its padding files) must describe the same files as the v2 tree. */
    private List<RawFile> mergeHybrid(List<RawFile> v1, List<RawFile> v2) throws MetainfoException {
        List<RawFile> merged = new ArrayList<>(v1.size());
        int j = 0;
        for (RawFile f : v1) {
            if (f.padding()) {
                merged.add(f);
                continue;
            }
            // v2 trees leave empty files out of nothing; skip v2 padding entries if any.
            while (j < v2.size() && v2.get(j).padding()) {
                j++;
            }
            if (j >= v2.size()) {
                throw new MetainfoException("hybrid torrent: " + f.where + " has no counterpart in the file tree");
            }
            RawFile g = v2.get(j++);
            List<byte[]> v1Path = f.path == null ? List.of(rawName) : f.path;
            if (f.length != g.length || !samePath(v1Path, g.path)) {
                throw new MetainfoException("hybrid torrent: " + f.where + " (" + display(v1Path) + ", " + f.length
                        + " bytes) differs from " + g.where + " (" + g.length + " bytes)");
            }
            merged.add(new RawFile(f.path, f.length, f.attr, f.symlink, g.piecesRoot, f.where));
        }
        while (j < v2.size() && v2.get(j).padding()) {
            j++;
        }
        if (j != v2.size()) {
            throw new MetainfoException("hybrid torrent: " + v2.get(j).where + " is missing from info.files");
        }
        return merged;
    }

    private byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private void buildFiles(List<RawFile> raw, boolean alignToPieces) throws MetainfoException {
        List<List<byte[]>> toSanitize = new ArrayList<>();
        for (RawFile f : raw) {
            if (!f.padding()) {
                toSanitize.add(multiFile ? f.path : List.of(nameBytes()));
            }
        }
        List<SafePath> safe = PathSanitizer.sanitizeAll(toSanitize);
        int s = 0;
        long offset = 0;
        for (RawFile f : raw) {
            List<String> path;
            List<String> fixes;
            SafePath sp = null;
            if (f.padding()) {
                path = List.of(".pad", Long.toString(f.length));
                fixes = List.of();
            } else {
                sp = safe.get(s++);
                path = sp.components();
                fixes = sp.fixes();
                for (String fix : fixes) {
                    warnings.add(String.join("/", path) + ": " + fix);
                }
                totalLength = addLength(totalLength, f.length, f.where);
            }
            List<String> symlink = null;
            if (f.symlink != null && sp != null) {
                symlink = PathSanitizer.sanitizeSymlinkTarget(f.symlink, sp).components();
            }
            String attr = f.attr == null ? "" : f.attr;
            files.add(new TorrentFile(path, f.length, offset, f.padding(), attr.indexOf('x') >= 0,
                    attr.indexOf('h') >= 0, symlink, f.piecesRoot, fixes));
            offset = addLength(offset, f.length, f.where);
            if (alignToPieces && offset % pieceLength != 0) {
                offset = addLength(offset, pieceLength - offset % pieceLength, f.where);
            }
        }
    }

    private List<byte[]> symlinkOf(BDict f, String where) throws MetainfoException {
        String attr = optionalText(f, "attr", null);
        if (attr == null || attr.indexOf('l') < 0) {
            return null;
        }
        BList target = f.getList("symlink path");
        if (target == null) {
            throw new MetainfoException(where + ": symlink attribute without 'symlink path'");
        }
        return components(target, where + ".symlink path");
    }

    private void parseTrackers(BDict root) {
        Set<String> seen = new LinkedHashSet<>();
        BValue announceList = root.get("announce-list");
        if (announceList instanceof BList tiers) {
            for (BValue tierValue : tiers) {
                if (!(tierValue instanceof BList tier)) {
                    warnings.add("announce-list: ignored a tier that is not a list");
                    continue;
                }
                List<String> urls = new ArrayList<>();
                for (BValue u : tier) {
                    String url = trackerUrl(u);
                    if (url != null && seen.add(url)) {
                        urls.add(url);
                    }
                }
                if (!urls.isEmpty()) {
                    trackers.add(urls);
                }
            }
        }
        if (trackers.isEmpty()) {
            String url = trackerUrl(root.get("announce"));
            if (url != null) {
                trackers.add(List.of(url));
            }
        }
    }

    private String trackerUrl(BValue v) {
        if (!(v instanceof BString s)) {
            return null;
        }
        String url = s.asString().trim();
        if (url.isEmpty()) {
            return null;
        }
        if (!isUrl(url)) {
            warnings.add("ignored tracker " + MetainfoException.quote(url) + ": not an http, https or udp URL");
            return null;
        }
        return url;
    }

    static boolean isUrl(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("udp://")
                || lower.startsWith("ws://") || lower.startsWith("wss://"))) {
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private void parseWebSeeds(BDict root) {
        BValue v = root.get("url-list");
        List<BValue> values = v instanceof BList l ? l.values() : v == null ? List.of() : List.of(v);
        Set<String> seen = new LinkedHashSet<>();
        for (BValue u : values) {
            if (u instanceof BString s) {
                String url = s.asString().trim();
                String lower = url.toLowerCase(java.util.Locale.ROOT);
                if (!url.isEmpty() && (lower.startsWith("http://") || lower.startsWith("https://")) && isUrl(url)) {
                    // BEP 19: in a multi-file torrent the URL names the folder the torrent's name is
                    // appended to; normalise it to end in '/', as libtorrent does.
                    if (multiFile && !url.endsWith("/")) {
                        url = url + "/";
                    }
                    if (seen.add(url)) {
                        webSeeds.add(url);
                    }
                } else if (!url.isEmpty()) {
                    warnings.add("ignored web seed " + MetainfoException.quote(url) + ": not an http or https URL");
                }
            }
        }
    }

    private static List<byte[]> components(BList list, String where) throws MetainfoException {
        if (list.size() == 0) {
            throw new MetainfoException(where + ": is empty");
        }
        List<byte[]> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof BString s)) {
                throw new MetainfoException(where + "[" + i + "]: is not a string");
            }
            out.add(s.bytes());
        }
        return out;
    }

    private static boolean allValidUtf8(BList list) {
        for (BValue v : list) {
            if (!(v instanceof BString s) || !s.isValidUtf8()) {
                return false;
            }
        }
        return true;
    }

    private static boolean samePath(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A path for error messages: control and bidi characters escaped, cut at 200 characters. */
    static String display(List<byte[]> path) {
        StringBuilder sb = new StringBuilder();
        for (byte[] c : path) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            String text = new String(c, StandardCharsets.UTF_8);
            for (int i = 0; i < text.length() && sb.length() < 200; i++) {
                char ch = text.charAt(i);
                boolean bidi = ch == 0x061C || ch == 0x200E || ch == 0x200F || (ch >= 0x202A && ch <= 0x202E)
                        || (ch >= 0x2066 && ch <= 0x2069);
                if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || bidi) {
                    sb.append(String.format("\\u%04x", (int) ch));
                } else {
                    sb.append(ch);
                }
            }
        }
        return sb.length() >= 200 ? sb.substring(0, 200) + "..." : sb.toString();
    }

    private static long addLength(long a, long b, String where) throws MetainfoException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new MetainfoException(where + ": total length overflows");
        }
    }

    static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    private static BString stringOrNull(BDict d, String key) {
        return d.get(key) instanceof BString s ? s : null;
    }

    private static BList listOrNull(BDict d, String key) {
        return d.get(key) instanceof BList l ? l : null;
    }

    /** Optional text fields are informative: a value of the wrong type is ignored, as other clients do. */
    private static String optionalText(BDict d, String key, String fallback) {
        return d.get(key) instanceof BString s ? s.asString() : fallback;
    }

    private static Long optionalLong(BDict d, String key) {
        return d.get(key) instanceof BInteger i ? i.value() : null;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }

}
