package org.stampede.metainfo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeEncoder;

/**
 * Creates v1, v2 and hybrid torrents (BEP 3, 52, 47) from a file or a folder, hashing pieces in parallel on all
 * cores. Files are ordered by their path components (the order a v2 file tree requires); in hybrid torrents every
 * file but the last is followed by a BEP 47 padding file so that v1 and v2 pieces line up.
 *
 * <pre>
 * byte[] torrent = TorrentCreator.forSource(dir).version(Torrent.Version.HYBRID).tracker("udp://t:1/announce")
 *         .progress((done, total) -&gt; ...).create();
 * </pre>
 */
public final class TorrentCreator {

    /** Receives hashing progress; called from the hashing threads, so it must be thread-safe and quick. */
    @ConsumerType
    @FunctionalInterface
    public interface Progress {
        void update(long bytesHashed, long bytesTotal);
    }

    /** Smallest piece length accepted: one 16 KiB block. */
    public static final long MIN_PIECE_LENGTH = 16 * 1024;
    /** Largest piece length accepted when creating (each hashing thread holds one piece in memory). */
    public static final long MAX_PIECE_LENGTH = 64L * 1024 * 1024;

    private final Path source;
    private Torrent.Version version = Torrent.Version.HYBRID;
    private long pieceLength;
    private final List<List<String>> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private boolean isPrivate;
    private String comment;
    private String createdBy = "Stampede";
    private Long creationDate = System.currentTimeMillis() / 1000;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Progress progress = (done, total) -> {
    };

    private TorrentCreator(Path source) {
        this.source = Objects.requireNonNull(source);
    }

    public static TorrentCreator forSource(Path fileOrFolder) {
        return new TorrentCreator(fileOrFolder);
    }

    public TorrentCreator version(Torrent.Version v) {
        this.version = Objects.requireNonNull(v);
        return this;
    }

    /** A power of two from 16 KiB to 64 MiB, or 0 to choose one from the total size. */
    public TorrentCreator pieceLength(long bytes) {
        this.pieceLength = bytes;
        return this;
    }

    /** Adds a tier with one tracker. */
    public TorrentCreator tracker(String url) {
        return trackerTier(List.of(url));
    }

    /** Adds a tier of trackers (BEP 12). */
    public TorrentCreator trackerTier(List<String> urls) {
        trackers.add(List.copyOf(urls));
        return this;
    }

    public TorrentCreator webSeed(String url) {
        webSeeds.add(url);
        return this;
    }

    public TorrentCreator privateFlag(boolean value) {
        this.isPrivate = value;
        return this;
    }

    public TorrentCreator comment(String text) {
        this.comment = text;
        return this;
    }

    public TorrentCreator createdBy(String text) {
        this.createdBy = text;
        return this;
    }

    /** Seconds since the epoch, or null to leave the date out (reproducible output). */
    public TorrentCreator creationDate(Long seconds) {
        this.creationDate = seconds;
        return this;
    }

    public TorrentCreator threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = n;
        return this;
    }

    public TorrentCreator progress(Progress listener) {
        this.progress = Objects.requireNonNull(listener);
        return this;
    }

    /** One file to hash: where it is on disk and its path in the torrent. */
    private record Input(Path file, List<String> path, long length, boolean executable) {
    }

    /** Hashes everything and returns the encoded torrent. */
    public byte[] create() throws IOException, MetainfoException {
        for (List<String> tier : trackers) {
            if (tier.isEmpty()) {
                throw new MetainfoException("tracker tier " + (trackers.indexOf(tier) + 1) + " is empty");
            }
            for (String url : tier) {
                if (!TorrentParser.isUrl(url)) {
                    throw new MetainfoException("tracker '" + url + "' is not an http, https or udp URL");
                }
            }
        }
        for (String url : webSeeds) {
            if (!TorrentParser.isUrl(url) || url.regionMatches(true, 0, "udp", 0, 3)) {
                throw new MetainfoException("web seed '" + url + "' is not an http or https URL");
            }
        }
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new MetainfoException(source + ": no such file or folder");
        }
        Path real = source.toRealPath();
        String name = real.getFileName() == null ? "" : real.getFileName().toString();
        if (name.isEmpty()) {
            throw new MetainfoException(source + ": cannot make a torrent of a file system root");
        }
        boolean multi = Files.isDirectory(real);
        List<Input> inputs = multi ? scan(real) : List.of(new Input(real, List.of(name), Files.size(real),
                Files.isExecutable(real)));
        long total = 0;
        for (Input in : inputs) {
            total += in.length;
        }
        if (total == 0) {
            throw new MetainfoException(source + ": has no data (no files, or only empty ones)");
        }
        long pl = pieceLength == 0 ? autoPieceLength(total) : pieceLength;
        if (pl < MIN_PIECE_LENGTH || pl > MAX_PIECE_LENGTH || Long.bitCount(pl) != 1) {
            throw new MetainfoException("piece length " + pl + " must be a power of two from 16 KiB to 64 MiB");
        }
        Layout layout = new Layout(inputs, pl, version);
        if (layout.pieces > Torrent.MAX_PIECES) {
            throw new MetainfoException(layout.pieces + " pieces is more than " + Torrent.MAX_PIECES
                    + "; choose a larger piece length");
        }
        hash(layout, total);
        return BencodeEncoder.encode(buildTorrent(name, multi, layout));
    }

    static long autoPieceLength(long total) {
        long pl = MIN_PIECE_LENGTH;
        while (total / pl > 2048 && pl < 16L * 1024 * 1024) {
            pl <<= 1;
        }
        return pl;
    }

    private static List<Input> scan(Path root) throws IOException, MetainfoException {
        List<Input> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    List<String> comps = new ArrayList<>();
                    for (Path c : root.relativize(p)) {
                        comps.add(c.toString());
                    }
                    out.add(new Input(p, comps, Files.size(p), Files.isExecutable(p)));
                }
            }
        }
        if (out.isEmpty()) {
            throw new MetainfoException(root + ": the folder has no files");
        }
        out.sort(Comparator.comparing(Input::path, TorrentCreator::comparePaths));
        return out;
    }

    /** Component by component, by UTF-8 bytes: the order of keys in a bencoded v2 file tree. */
    static int comparePaths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Arrays.compareUnsigned(a.get(i).getBytes(StandardCharsets.UTF_8),
                    b.get(i).getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Where every file and padding run sits in the piece stream. */
    private static final class Layout {
        final List<Input> inputs;
        final long pieceLength;
        final boolean v1;
        final boolean v2;
        final boolean aligned;
        /** Offset of each file in the stream (aligned to pieces when v2 is present). */
        final long[] fileStart;
        /** First piece of each file (aligned layouts). */
        final int[] firstPiece;
        final long streamLength;
        /** Indices of the files that have data, and their first pieces (strictly increasing). */
        final int[] nonEmptyFile;
        final int[] nonEmptyFirstPiece;
        final int pieces;
        final byte[] v1Hashes;
        /** v2: the piece-layer hash of every piece (or, for a file of one piece, its pieces root). */
        final byte[] v2Hashes;

        Layout(List<Input> inputs, long pl, Torrent.Version version) {
            this.inputs = inputs;
            this.pieceLength = pl;
            this.v1 = version.hasV1();
            this.v2 = version.hasV2();
            this.aligned = v2;
            fileStart = new long[inputs.size()];
            firstPiece = new int[inputs.size()];
            long pos = 0;
            long pieceCount = 0;
            for (int i = 0; i < inputs.size(); i++) {
                fileStart[i] = pos;
                firstPiece[i] = (int) Math.min(Integer.MAX_VALUE, pieceCount);
                long len = inputs.get(i).length;
                pos += len;
                if (aligned) {
                    pieceCount += TorrentParser.ceilDiv(len, pl);
                    if (pos % pl != 0 && i < inputs.size() - 1) {
                        pos += pl - pos % pl;
                    }
                }
            }
            streamLength = pos;
            nonEmptyFile = java.util.stream.IntStream.range(0, inputs.size())
                    .filter(i -> inputs.get(i).length > 0).toArray();
            nonEmptyFirstPiece = Arrays.stream(nonEmptyFile).map(i -> firstPiece[i]).toArray();
            long n = aligned ? pieceCount : TorrentParser.ceilDiv(pos, pl);
            pieces = (int) Math.min(Integer.MAX_VALUE, n);
            v1Hashes = v1 && n <= Torrent.MAX_PIECES ? new byte[pieces * 20] : null;
            v2Hashes = v2 && n <= Torrent.MAX_PIECES ? new byte[pieces * Merkle.HASH] : null;
        }

        /** The file that holds piece {@code p} in an aligned layout. */
        int fileOfPiece(int p) {
            int i = Arrays.binarySearch(nonEmptyFirstPiece, p);
            return nonEmptyFile[i >= 0 ? i : -i - 2];
        }
    }

    private void hash(Layout layout, long total) throws IOException {
        FileChannel[] channels = new FileChannel[layout.inputs.size()];
        int workers = Math.max(1, Math.min(threads, layout.pieces));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "stampede-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < channels.length; i++) {
                if (layout.inputs.get(i).length > 0) {
                    channels[i] = FileChannel.open(layout.inputs.get(i).file, StandardOpenOption.READ);
                }
            }
            AtomicInteger next = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            progress.update(0, total);
            List<Future<Void>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    PieceHasher hasher = new PieceHasher(layout, channels);
                    for (int p = next.getAndIncrement(); p < layout.pieces; p = next.getAndIncrement()) {
                        long bytes = hasher.hashPiece(p);
                        progress.update(done.addAndGet(bytes), total);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    next.set(Integer.MAX_VALUE);
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("hashing failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while hashing", e);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(e.getFile() + ": vanished while hashing", e);
        } finally {
            pool.shutdownNow();
            for (FileChannel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** Per-thread state: one piece buffer and the digests. */
    private static final class PieceHasher {
        private static final byte[] ZEROS = new byte[64 * 1024];
        private final Layout layout;
        private final FileChannel[] channels;
        private final byte[] buffer;
        private final ByteBuffer view;
        private final MessageDigest sha1;
        private final MessageDigest sha256 = Merkle.sha256();
        private final byte[] leaves;

        PieceHasher(Layout layout, FileChannel[] channels) {
            this.layout = layout;
            this.channels = channels;
            this.buffer = new byte[(int) layout.pieceLength];
            this.view = ByteBuffer.wrap(buffer);
            try {
                this.sha1 = layout.v1 ? MessageDigest.getInstance("SHA-1") : null;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            this.leaves = layout.v2 ? new byte[(int) (layout.pieceLength / Merkle.BLOCK) * Merkle.HASH] : null;
        }

        /** Hashes piece {@code p}; returns how many bytes of file data it covered. */
        long hashPiece(int p) throws IOException {
            long pl = layout.pieceLength;
            if (layout.aligned) {
                int f = layout.fileOfPiece(p);
                Input in = layout.inputs.get(f);
                long within = (p - layout.firstPiece[f]) * pl;
                int len = (int) Math.min(pl, in.length - within);
                read(f, within, 0, len);
                if (layout.v1) {
                    sha1.update(buffer, 0, len);
                    boolean lastFile = f == layout.inputs.size() - 1;
                    if (!lastFile) {
                        updateZeros(sha1, pl - len);
                    }
                    digestInto(sha1, layout.v1Hashes, p * 20, 20);
                }
                hashV2(p, in, len);
                return len;
            }
            long start = p * pl;
            int len = (int) Math.min(pl, layout.streamLength - start);
            int filled = 0;
            int f = fileAt(start);
            while (filled < len) {
                Input in = layout.inputs.get(f);
                long within = start + filled - layout.fileStart[f];
                int n = (int) Math.min(len - filled, in.length - within);
                if (n > 0) {
                    read(f, within, filled, n);
                    filled += n;
                }
                f++;
            }
            sha1.update(buffer, 0, len);
            digestInto(sha1, layout.v1Hashes, p * 20, 20);
            return len;
        }

        private void hashV2(int p, Input in, int len) {
            if (!layout.v2) {
                return;
            }
            int blocks = (int) TorrentParser.ceilDiv(len, Merkle.BLOCK);
            for (int b = 0; b < blocks; b++) {
                int off = b * Merkle.BLOCK;
                sha256.update(buffer, off, Math.min(Merkle.BLOCK, len - off));
                digestInto(sha256, leaves, b * Merkle.HASH, Merkle.HASH);
            }
            long blocksPerPiece = layout.pieceLength / Merkle.BLOCK;
            byte[] node;
            if (in.length <= layout.pieceLength) {
                // a file of one piece: its root spans the next power of two of its blocks
                node = Merkle.root(sha256, leaves, blocks, Merkle.ceilPow2(blocks), new byte[Merkle.HASH]);
            } else {
                node = Merkle.root(sha256, leaves, blocks, blocksPerPiece, new byte[Merkle.HASH]);
            }
            System.arraycopy(node, 0, layout.v2Hashes, p * Merkle.HASH, Merkle.HASH);
        }

        private int fileAt(long streamOffset) {
            int i = Arrays.binarySearch(layout.fileStart, streamOffset);
            if (i < 0) {
                i = -i - 2;
            }
            // several files can start at the same offset (empty files): take the last one
            while (i + 1 < layout.fileStart.length && layout.fileStart[i + 1] == streamOffset) {
                i++;
            }
            while (layout.inputs.get(i).length == 0) {
                i++;
            }
            return i;
        }

        private void read(int file, long position, int at, int len) throws IOException {
            FileChannel ch = channels[file];
            view.limit(at + len).position(at);
            long pos = position;
            while (view.hasRemaining()) {
                int n = ch.read(view, pos);
                if (n < 0) {
                    throw new EOFException(layout.inputs.get(file).file + ": shorter than when the hashing began");
                }
                pos += n;
            }
        }

        private static void updateZeros(MessageDigest md, long n) {
            while (n > 0) {
                int k = (int) Math.min(n, ZEROS.length);
                md.update(ZEROS, 0, k);
                n -= k;
            }
        }

        private static void digestInto(MessageDigest md, byte[] out, int offset, int len) {
            try {
                md.digest(out, offset, len);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private BDict buildTorrent(String name, boolean multi, Layout layout) {
        BDict.Builder info = BDict.builder();
        info.put("name", name);
        info.put("piece length", layout.pieceLength);
        if (isPrivate) {
            info.put("private", 1);
        }
        BDict.Builder layers = BDict.builder();
        java.util.Set<BString> layerRoots = new java.util.HashSet<>(); // files with equal content share one layer
        if (layout.v2) {
            info.put("meta version", 2);
            TreeNode tree = new TreeNode();
            for (int i = 0; i < layout.inputs.size(); i++) {
                Input in = layout.inputs.get(i);
                BDict.Builder leaf = BDict.builder().put("length", in.length);
                byte[] root = null;
                if (in.length > 0) {
                    int first = layout.firstPiece[i];
                    int count = (int) TorrentParser.ceilDiv(in.length, layout.pieceLength);
                    if (count == 1) {
                        root = Arrays.copyOfRange(layout.v2Hashes, first * Merkle.HASH, (first + 1) * Merkle.HASH);
                    } else {
                        byte[] layer = Arrays.copyOfRange(layout.v2Hashes, first * Merkle.HASH,
                                (first + count) * Merkle.HASH);
                        root = Merkle.rootFromPieceLayer(Merkle.sha256(), layer, count, layout.pieceLength);
                        if (layerRoots.add(BString.of(root))) {
                            layers.put(BString.of(root), BString.of(layer));
                        }
                    }
                    leaf.put("pieces root", root);
                }
                if (in.executable) {
                    leaf.put("attr", "x");
                }
                tree.add(in.path, BDict.builder().put("", leaf.build()).build());
            }
            info.put("file tree", tree.toBencode());
        }
        if (layout.v1) {
            if (multi) {
                List<BValue> files = new ArrayList<>();
                for (int i = 0; i < layout.inputs.size(); i++) {
                    Input in = layout.inputs.get(i);
                    BDict.Builder f = BDict.builder().put("length", in.length).put("path", pathList(in.path));
                    if (in.executable) {
                        f.put("attr", "x");
                    }
                    files.add(f.build());
                    if (layout.aligned && i < layout.inputs.size() - 1 && in.length % layout.pieceLength != 0) {
                        long pad = layout.pieceLength - in.length % layout.pieceLength;
                        files.add(BDict.builder().put("attr", "p").put("length", pad)
                                .put("path", pathList(List.of(".pad", Long.toString(pad)))).build());
                    }
                }
                info.put("files", BList.of(files));
            } else {
                info.put("length", layout.inputs.get(0).length);
                if (layout.inputs.get(0).executable) {
                    info.put("attr", "x");
                }
            }
            info.put("pieces", layout.v1Hashes);
        }

        BDict.Builder root = BDict.builder();
        if (!trackers.isEmpty()) {
            root.put("announce", trackers.get(0).get(0));
            int count = trackers.stream().mapToInt(List::size).sum();
            if (count > 1) {
                List<BValue> tiers = new ArrayList<>();
                for (List<String> tier : trackers) {
                    tiers.add(BList.of(tier.stream().map(s -> (BValue) BString.of(s)).toList()));
                }
                root.put("announce-list", BList.of(tiers));
            }
        }
        if (comment != null) {
            root.put("comment", comment);
        }
        if (createdBy != null) {
            root.put("created by", createdBy);
        }
        if (creationDate != null) {
            root.put("creation date", BInteger.of(creationDate));
        }
        root.put("info", info.build());
        if (layout.v2) {
            BDict built = layers.build();
            if (!built.isEmpty()) {
                root.put("piece layers", built);
            }
        }
        if (webSeeds.size() == 1) {
            root.put("url-list", webSeeds.get(0));
        } else if (webSeeds.size() > 1) {
            root.put("url-list", BList.of(webSeeds.stream().map(s -> (BValue) BString.of(s)).toList()));
        }
        return root.build();
    }

    private static BList pathList(List<String> path) {
        return BList.of(path.stream().map(s -> (BValue) BString.of(s)).toList());
    }

    /** Builds the nested dictionaries of a v2 file tree. */
    private static final class TreeNode {
        private final java.util.TreeMap<BString, Object> children = new java.util.TreeMap<>();

        void add(List<String> path, BDict leaf) {
            TreeNode node = this;
            for (int i = 0; i < path.size() - 1; i++) {
                node = (TreeNode) node.children.computeIfAbsent(BString.of(path.get(i)), k -> new TreeNode());
            }
            node.children.put(BString.of(path.get(path.size() - 1)), leaf);
        }

        BDict toBencode() {
            BDict.Builder b = BDict.builder();
            for (var e : children.entrySet()) {
                b.put(e.getKey(), e.getValue() instanceof TreeNode t ? t.toBencode() : (BDict) e.getValue());
            }
            return b.build();
        }
    }
}
