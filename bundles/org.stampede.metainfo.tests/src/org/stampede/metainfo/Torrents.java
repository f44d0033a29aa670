package org.stampede.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeEncoder;

/**
 * Builds torrent bytes for the tests. A torrent is first a tree of mutable Java values (so that a test can break
 * one field of an otherwise valid torrent) and is then encoded with {@link BDict#builder()}:
 * {@code Map} (keys {@code String} or {@code byte[]}) becomes a dict, {@code List} a list, {@code String} and
 * {@code byte[]} a string, {@code Long}/{@code Integer} an integer, and a {@link BValue} stays as it is.
 * <p>
 * The hashes (SHA-1 pieces, BEP 52 merkle roots and piece layers) are computed here straightforwardly, without
 * the production code, so that they are an independent reference.
 */
final class Torrents {
    static final int KIB16 = 16 * 1024;

    private Torrents() {
    }

    /** A file of a torrent to build: its path components and content. */
    record F(List<String> path, byte[] data) {
        static F of(byte[] data, String... path) {
            return new F(List.of(path), data);
        }
    }

    // ------------------------------------------------------------------ values

    /** A mutable map of alternating keys and values, in that order. */
    static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> dict(Object m, Object key) {
        return (Map<Object, Object>) ((Map<Object, Object>) m).get(key);
    }

    /** The info dict of a torrent map. */
    static Map<Object, Object> info(Map<Object, Object> torrent) {
        return dict(torrent, "info");
    }

    @SuppressWarnings("unchecked")
    static BValue toBencode(Object v) {
        return switch (v) {
            case BValue b -> b;
            case String s -> BString.of(s);
            case byte[] b -> BString.of(b);
            case Long l -> BInteger.of(l);
            case Integer i -> BInteger.of(i);
            case List<?> l -> BList.of(l.stream().map(Torrents::toBencode).toList());
            case Map<?, ?> m -> {
                BDict.Builder b = BDict.builder();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    BString key = e.getKey() instanceof byte[] raw ? BString.of(raw) : BString.of((String) e.getKey());
                    b.put(key, toBencode(e.getValue()));
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException("cannot encode " + v.getClass());
        };
    }

    static byte[] encode(Object v) {
        return BencodeEncoder.encode(toBencode(v));
    }

    static Torrent parse(Object torrent) throws MetainfoException {
        return Torrent.parse(encode(torrent));
    }

    /** Concatenates strings (as ISO-8859-1, so every char is one byte) and byte arrays: raw bencode by hand. */
    static byte[] raw(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic pseudo-random content. */
    static byte[] content(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ hashes

    static MessageDigest md(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] sha1(byte[] data) {
        return md("SHA-1").digest(data);
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest md = md("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /** SHA-1 of every piece of {@code stream}, concatenated (the v1 {@code pieces} string). */
    static byte[] v1Pieces(byte[] stream, long pieceLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageDigest md = md("SHA-1");
        for (long off = 0; off < stream.length; off += pieceLength) {
            md.update(stream, (int) off, (int) Math.min(pieceLength, stream.length - off));
            out.writeBytes(md.digest());
        }
        return out.toByteArray();
    }

    /**
     * A naive BEP 52 merkle root of {@code data[off, off+len)}: SHA-256 of each 16 KiB block (the last one as it
     * is), then 32 zero bytes as leaves up to {@code width} leaves, then pairs hashed level by level.
     */
    static byte[] naiveMerkle(byte[] data, int off, int len, int width) {
        List<byte[]> level = new ArrayList<>();
        for (int b = off; b < off + len; b += KIB16) {
            level.add(sha256(Arrays.copyOfRange(data, b, Math.min(b + KIB16, off + len))));
        }
        if (level.size() > width) {
            throw new IllegalArgumentException(level.size() + " leaves do not fit in " + width);
        }
        while (level.size() < width) {
            level.add(new byte[32]);
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(sha256(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return level.get(0);
    }

    /** The pieces root of a whole file: its blocks padded to the next power of two. */
    static byte[] piecesRoot(byte[] file) {
        int blocks = (file.length + KIB16 - 1) / KIB16;
        int width = 1;
        while (width < blocks) {
            width *= 2;
        }
        return naiveMerkle(file, 0, file.length, width);
    }

    /** The piece layer of a file: the root of each piece's subtree of pieceLength/16 KiB leaves. */
    static byte[] pieceLayer(byte[] file, int pieceLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < file.length; off += pieceLength) {
            out.writeBytes(naiveMerkle(file, off, Math.min(pieceLength, file.length - off), pieceLength / KIB16));
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ torrents

    /** {@code {"info": info}} */
    static Map<Object, Object> torrent(Map<Object, Object> info) {
        return map("info", info);
    }

    /** A v1 single-file torrent. */
    static Map<Object, Object> v1Single(String name, byte[] data, long pieceLength) {
        return torrent(map("name", name, "piece length", pieceLength, "length", (long) data.length, "pieces",
                v1Pieces(data, pieceLength)));
    }

    /** A v1 multi-file torrent, files in the given order. */
    static Map<Object, Object> v1Multi(String name, long pieceLength, F... files) {
        List<Object> list = list();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (F f : files) {
            list.add(map("length", (long) f.data.length, "path", new ArrayList<Object>(f.path)));
            stream.writeBytes(f.data);
        }
        return torrent(map("name", name, "piece length", pieceLength, "files", list, "pieces",
                v1Pieces(stream.toByteArray(), pieceLength)));
    }

    /** Component by component, by unsigned UTF-8 bytes: the order of a v2 file tree. */
    static final Comparator<F> TREE_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.path.size(), b.path.size()); i++) {
            int c = Arrays.compareUnsigned(utf8(a.path.get(i)), utf8(b.path.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.path.size(), b.path.size());
    };

    /** The leaf of a v2 file: {@code {"": {length, pieces root}}}. */
    static Map<Object, Object> v2Leaf(byte[] data) {
        Map<Object, Object> leaf = map("length", (long) data.length);
        if (data.length > 0) {
            leaf.put("pieces root", piecesRoot(data));
        }
        return map("", leaf);
    }

    /** The v2 file tree of {@code files} (the encoder sorts the keys). */
    static Map<Object, Object> fileTree(F... files) {
        Map<Object, Object> tree = map();
        for (F f : files) {
            Map<Object, Object> node = tree;
            for (int i = 0; i < f.path.size() - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<Object, Object> child = (Map<Object, Object>) node.computeIfAbsent(f.path.get(i), k -> map());
                node = child;
            }
            node.put(f.path.getLast(), v2Leaf(f.data));
        }
        return tree;
    }

    /** The piece layers of the files larger than a piece. */
    static Map<Object, Object> pieceLayers(int pieceLength, F... files) {
        Map<Object, Object> layers = map();
        for (F f : files) {
            if (f.data.length > pieceLength) {
                layers.put(piecesRoot(f.data), pieceLayer(f.data, pieceLength));
            }
        }
        return layers;
    }

    /** A v2-only torrent; a single file named {@code name} makes a single-file torrent. */
    static Map<Object, Object> v2(String name, int pieceLength, F... files) {
        Map<Object, Object> t = torrent(map("name", name, "piece length", (long) pieceLength, "meta version", 2L,
                "file tree", fileTree(files)));
        Map<Object, Object> layers = pieceLayers(pieceLength, files);
        if (!layers.isEmpty()) {
            t.put("piece layers", layers);
        }
        return t;
    }

    /**
     * A hybrid torrent: the v2 tree, and a v1 file list in tree order where every file but the last is followed by
     * a padding file up to the next piece boundary; v1 pieces are over that zero-padded stream. One file whose
     * path is {@code [name]} makes a single-file torrent.
     */
    static Map<Object, Object> hybrid(String name, int pieceLength, F... files) {
        F[] sorted = files.clone();
        Arrays.sort(sorted, TREE_ORDER);
        Map<Object, Object> t = v2(name, pieceLength, sorted);
        Map<Object, Object> info = info(t);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Object> list = list();
        for (int i = 0; i < sorted.length; i++) {
            F f = sorted[i];
            stream.writeBytes(f.data);
            list.add(map("length", (long) f.data.length, "path", new ArrayList<Object>(f.path)));
            int pad = (pieceLength - f.data.length % pieceLength) % pieceLength;
            if (i < sorted.length - 1 && pad > 0) {
                stream.writeBytes(new byte[pad]);
                list.add(map("attr", "p", "length", (long) pad, "path", list(".pad", Integer.toString(pad))));
            }
        }
        if (sorted.length == 1 && sorted[0].path.equals(List.of(name))) {
            info.put("length", (long) sorted[0].data.length);
        } else {
            info.put("files", list);
        }
        info.put("pieces", v1Pieces(stream.toByteArray(), pieceLength));
        return t;
    }
}
