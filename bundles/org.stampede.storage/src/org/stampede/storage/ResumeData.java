package org.stampede.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BList;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.bencode.BencodeException;
import org.stampede.bencode.BencodeLimits;
import org.stampede.metainfo.Torrent;

/**
 * What a torrent's storage knew when it was saved, so that the next start need not hash everything again: the
 * torrent's identity, the verified pieces, each file's size and modification time, and the file priorities.
 * Immutable.
 *
 * <h2>Format</h2>
 * A bencoded dictionary:
 * <pre>
 * stampede resume  1                        format version
 * info-hash        20 bytes                 v1 and hybrid torrents
 * info-hash2       32 bytes                 v2 and hybrid torrents
 * version          "v1" | "v2" | "hybrid"
 * piece count      integer
 * pieces           bitfield, as in the peer protocol: piece 0 is the high bit of the first byte; spare bits 0
 * files            one list [size, mtime, priority] per file of the torrent, in order; size -1 for a file that
 *                  did not exist (and for padding files), mtime in milliseconds since the epoch
 * </pre>
 * It is written atomically ({@link #save(Path)}): a crash leaves either the old file or the new one, never a mix.
 *
 * <h2>Trust</h2>
 * {@link #validate(Torrent, Path)} trusts the verified pieces only for the same torrent (info-hashes, version, piece
 * and file counts), and only for files whose size and modification time are exactly as recorded; pieces of a file
 * that changed are rechecked, and so are pieces the resume data claims but whose files are too short for them.
 */
public final class ResumeData {

    /** Format version written and accepted. */
    public static final int FORMAT = 1;
    /** Largest resume file read. */
    public static final int MAX_SIZE = 64 * 1024 * 1024;
    /** Four tokens per file ([size, mtime, priority]) and a few more. */
    private static final BencodeLimits LIMITS = new BencodeLimits(8, 4 * Torrent.MAX_FILES + 64, MAX_SIZE);

    private final byte[] infoHashV1;
    private final byte[] infoHashV2;
    private final Torrent.Version version;
    private final int pieceCount;
    private final BitSet pieces;
    private final long[] fileSizes;
    private final long[] fileTimes;
    private final int[] priorities;

    ResumeData(Torrent torrent, BitSet pieces, long[] fileSizes, long[] fileTimes, int[] priorities) {
        this(torrent.infoHashV1() == null ? null : torrent.infoHashV1().bytes(),
                torrent.infoHashV2() == null ? null : torrent.infoHashV2().bytes(), torrent.version(),
                torrent.pieceCount(), pieces, fileSizes, fileTimes, priorities);
    }

    private ResumeData(byte[] infoHashV1, byte[] infoHashV2, Torrent.Version version, int pieceCount, BitSet pieces,
            long[] fileSizes, long[] fileTimes, int[] priorities) {
        this.infoHashV1 = infoHashV1;
        this.infoHashV2 = infoHashV2;
        this.version = version;
        this.pieceCount = pieceCount;
        this.pieces = (BitSet) pieces.clone();
        this.fileSizes = fileSizes.clone();
        this.fileTimes = fileTimes.clone();
        this.priorities = priorities.clone();
    }

    public Torrent.Version version() {
        return version;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** The pieces recorded as verified; a new set each call. */
    public BitSet verifiedPieces() {
        return (BitSet) pieces.clone();
    }

    /** The recorded file priorities, in file order. */
    public int[] filePriorities() {
        return priorities.clone();
    }

    /** The recorded size of a file, -1 if it did not exist. */
    public long fileSize(int file) {
        return fileSizes[file];
    }

    /** The recorded modification time of a file, in milliseconds. */
    public long fileModified(int file) {
        return fileTimes[file];
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads resume data from a file.
     *
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws ResumeDataException if it is larger than {@link #MAX_SIZE} or not valid resume data
     */
    public static ResumeData load(Path file) throws IOException, ResumeDataException {
        long size = Files.size(file);
        if (size > MAX_SIZE) {
            throw new ResumeDataException(size + " bytes, more than the " + MAX_SIZE + " resume data may have");
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes(MAX_SIZE + 1);
        }
        if (data.length > MAX_SIZE) {
            throw new ResumeDataException("more than the " + MAX_SIZE + " bytes resume data may have");
        }
        return parse(data);
    }

    /** Parses encoded resume data. */
    public static ResumeData parse(byte[] data) throws ResumeDataException {
        try {
            BValue v = BencodeDecoder.strict().withLimits(LIMITS).decode(data);
            if (!(v instanceof BDict d)) {
                throw new ResumeDataException("not a dictionary");
            }
            return fromDict(d);
        } catch (BencodeException e) {
            throw new ResumeDataException("malformed: " + e.getMessage(), e);
        }
    }

    private static ResumeData fromDict(BDict d) throws ResumeDataException {
        Long format = d.getLong("stampede resume");
        if (format == null) {
            throw new ResumeDataException("'stampede resume' missing: not Stampede resume data");
        }
        if (format != FORMAT) {
            throw new ResumeDataException("format " + format + " is not the supported " + FORMAT);
        }
        Torrent.Version version = parseVersion(d.getText("version"));
        byte[] h1 = hash(d, "info-hash", 20, version.hasV1());
        byte[] h2 = hash(d, "info-hash2", 32, version.hasV2());
        long count = required(d, "piece count");
        if (count < 1 || count > Torrent.MAX_PIECES) {
            throw new ResumeDataException("piece count " + count + " is not 1 to " + Torrent.MAX_PIECES);
        }
        int pieceCount = (int) count;
        BString field = d.getString("pieces");
        if (field == null) {
            throw new ResumeDataException("'pieces' missing");
        }
        byte[] bits = field.bytes();
        if (bits.length != (pieceCount + 7) / 8) {
            throw new ResumeDataException("'pieces' has " + bits.length + " bytes; " + pieceCount + " pieces need "
                    + (pieceCount + 7) / 8);
        }
        BitSet pieces = fromBitfield(bits);
        if (pieces.length() > pieceCount) {
            throw new ResumeDataException("'pieces' has spare bits set after piece " + (pieceCount - 1));
        }
        BList files = d.getList("files");
        if (files == null) {
            throw new ResumeDataException("'files' missing");
        }
        int n = files.size();
        if (n > Torrent.MAX_FILES) {
            throw new ResumeDataException(n + " files, more than " + Torrent.MAX_FILES);
        }
        long[] sizes = new long[n];
        long[] times = new long[n];
        int[] prios = new int[n];
        for (int i = 0; i < n; i++) {
            if (!(files.get(i) instanceof BList entry) || entry.size() != 3
                    || !(entry.get(0) instanceof BInteger size) || !(entry.get(1) instanceof BInteger time)
                    || !(entry.get(2) instanceof BInteger prio)) {
                throw new ResumeDataException("files[" + i + "] is not a list [size, mtime, priority]");
            }
            if (size.value() < -1 || prio.value() < 0 || prio.value() > 7) {
                throw new ResumeDataException("files[" + i + "]: size " + size.value() + " or priority " + prio.value()
                        + " out of range");
            }
            sizes[i] = size.value();
            times[i] = time.value();
            prios[i] = (int) prio.value();
        }
        return new ResumeData(h1, h2, version, pieceCount, pieces, sizes, times, prios);
    }

    private static Torrent.Version parseVersion(String text) throws ResumeDataException {
        if (text == null) {
            throw new ResumeDataException("'version' missing");
        }
        for (Torrent.Version v : Torrent.Version.values()) {
            if (versionName(v).equals(text)) {
                return v;
            }
        }
        throw new ResumeDataException("'version' " + text.substring(0, Math.min(text.length(), 20))
                + " is not v1, v2 or hybrid");
    }

    private static String versionName(Torrent.Version v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] hash(BDict d, String key, int length, boolean present) throws ResumeDataException {
        BString s = d.getString(key);
        if (!present) {
            if (s != null) {
                throw new ResumeDataException("'" + key + "' present but the version has none");
            }
            return null;
        }
        if (s == null || s.length() != length) {
            throw new ResumeDataException("'" + key + "' must be " + length + " bytes");
        }
        return s.bytes();
    }

    private static long required(BDict d, String key) throws ResumeDataException {
        Long v = d.getLong(key);
        if (v == null) {
            throw new ResumeDataException("'" + key + "' missing");
        }
        return v;
    }

    static BitSet fromBitfield(byte[] bits) {
        BitSet out = new BitSet(bits.length * 8);
        for (int i = 0; i < bits.length; i++) {
            int b = bits[i] & 0xff;
            for (int j = 0; j < 8; j++) {
                if ((b & (0x80 >>> j)) != 0) {
                    out.set(i * 8 + j);
                }
            }
        }
        return out;
    }

    static byte[] toBitfield(BitSet pieces, int count) {
        byte[] out = new byte[(count + 7) / 8];
        for (int p = pieces.nextSetBit(0); p >= 0 && p < count; p = pieces.nextSetBit(p + 1)) {
            out[p >>> 3] |= (byte) (0x80 >>> (p & 7));
        }
        return out;
    }

    // ---------------------------------------------------------------- writing

    /** The bencoded form (see the class comment). */
    public byte[] encode() {
        BDict.Builder b = BDict.builder();
        b.put("stampede resume", FORMAT);
        if (infoHashV1 != null) {
            b.put("info-hash", infoHashV1);
        }
        if (infoHashV2 != null) {
            b.put("info-hash2", infoHashV2);
        }
        b.put("version", versionName(version));
        b.put("piece count", pieceCount);
        b.put("pieces", toBitfield(pieces, pieceCount));
        List<BValue> files = new ArrayList<>(fileSizes.length);
        for (int i = 0; i < fileSizes.length; i++) {
            files.add(BList.of(BInteger.of(fileSizes[i]), BInteger.of(fileTimes[i]), BInteger.of(priorities[i])));
        }
        b.put("files", BList.of(files));
        return BencodeEncoder.encode(b.build());
    }

    /**
     * Writes to {@code file} atomically: to {@code <file>.tmp} in the same folder, forced to disk, then renamed
     * over {@code file}, then the folder forced. A crash at any point leaves the old file or the new one whole; a
     * stale {@code .tmp} is overwritten by the next save. One writer per file at a time.
     */
    public void save(Path file) throws IOException {
        writeAtomically(file, encode(), () -> {
        });
    }

    /** A step between writing the temporary file and renaming it; tests use it to fail there. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    static void writeAtomically(Path target, byte[] bytes, Step beforeRename) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        boolean renamed = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            beforeRename.run();
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            renamed = true;
        } finally {
            if (!renamed) {
                Files.deleteIfExists(tmp);
            }
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename durable (POSIX); not possible on every platform
        } catch (IOException e) {
            // the rename is still atomic; only its durability after a power cut is up to the file system
        }
    }

    // ---------------------------------------------------------------- trust

    /**
     * What resume data allows.
     *
     * @param trusted        pieces to take as verified without hashing
     * @param recheck        pieces to hash
     * @param problem        why not everything was trusted, or null
     * @param matchesTorrent whether the resume data is for the torrent (then its priorities apply)
     */
    public record Validation(BitSet trusted, BitSet recheck, String problem, boolean matchesTorrent) {

        public Validation {
            trusted = (BitSet) trusted.clone();
            recheck = (BitSet) recheck.clone();
        }

        @Override
        public BitSet trusted() {
            return (BitSet) trusted.clone();
        }

        @Override
        public BitSet recheck() {
            return (BitSet) recheck.clone();
        }

        /** Nothing trusted, every piece rechecked. */
        static Validation recheckAll(int pieceCount, String problem) {
            BitSet all = new BitSet(pieceCount);
            all.set(0, pieceCount);
            return new Validation(new BitSet(), all, problem + "; all " + pieceCount + " pieces are rechecked",
                    false);
        }
    }

    /** Why this resume data is not for {@code torrent}, or null if it is. */
    public String mismatch(Torrent torrent) {
        byte[] t1 = torrent.infoHashV1() == null ? null : torrent.infoHashV1().bytes();
        byte[] t2 = torrent.infoHashV2() == null ? null : torrent.infoHashV2().bytes();
        if (!Arrays.equals(infoHashV1, t1) || !Arrays.equals(infoHashV2, t2)) {
            return "resume data is for info-hash " + hex(infoHashV1 != null ? infoHashV1 : infoHashV2)
                    + ", not for " + torrent.name() + " (" + hex(t1 != null ? t1 : t2) + ")";
        }
        if (version != torrent.version() || pieceCount != torrent.pieceCount()
                || fileSizes.length != torrent.files().size()) {
            return "resume data has " + versionName(version) + ", " + pieceCount + " pieces, " + fileSizes.length
                    + " files; the torrent " + versionName(torrent.version()) + ", " + torrent.pieceCount()
                    + " pieces, " + torrent.files().size() + " files";
        }
        return null;
    }

    /**
     * Decides what to trust for {@code torrent} with its files under {@code downloadRoot}: looks at each file's size
     * and modification time (no reading, no hashing).
     */
    public Validation validate(Torrent torrent, Path downloadRoot) throws StorageException {
        String other = mismatch(torrent);
        if (other != null) {
            return Validation.recheckAll(torrent.pieceCount(), other);
        }
        Path[] paths = FileStorage.resolvePaths(torrent, downloadRoot);
        PieceMap map = new PieceMap(torrent);
        long[] size = new long[paths.length];
        BitSet recheck = new BitSet(pieceCount);
        int changed = 0;
        String first = null;
        for (int f = 0; f < paths.length; f++) {
            if (!map.hasData(f)) {
                continue;
            }
            long[] st = stat(paths[f]);
            size[f] = st[0];
            if (st[0] != fileSizes[f] || st[1] != fileTimes[f]) {
                changed++;
                if (first == null) {
                    first = torrent.files().get(f).displayPath() + ": " + describe(fileSizes[f], fileTimes[f])
                            + " then, " + describe(st[0], st[1]) + " now";
                }
                recheck.set(map.firstPiece(f), map.lastPiece(f) + 1);
            }
        }
        BitSet trusted = (BitSet) pieces.clone();
        trusted.andNot(recheck);
        int tooShort = 0;
        for (int p = trusted.nextSetBit(0); p >= 0; p = trusted.nextSetBit(p + 1)) {
            if (!onDisk(map, p, size)) {
                trusted.clear(p);
                recheck.set(p);
                tooShort++;
            }
        }
        String problem = null;
        if (changed > 0 || tooShort > 0) {
            problem = (changed > 0 ? changed + " file(s) changed since the resume data was saved (first: " + first
                    + ")" : "") + (changed > 0 && tooShort > 0 ? "; " : "")
                    + (tooShort > 0 ? tooShort + " piece(s) recorded as verified lie beyond the end of their files"
                            : "")
                    + "; " + recheck.cardinality() + " piece(s) are rechecked";
        }
        return new Validation(trusted, recheck, problem, true);
    }

    /** Whether every file of {@code piece} is at least as long as the piece needs. */
    private static boolean onDisk(PieceMap map, int piece, long[] size) {
        long start = map.pieceStart(piece);
        long end = start + map.pieceSize(piece);
        for (int s = map.spanAt(start); s < map.spanCount(); s++) {
            int f = map.spanFile(s);
            if (map.offset(f) >= end) {
                break;
            }
            if (!map.padding(f) && size[f] < Math.min(end, map.offset(f) + map.length(f)) - map.offset(f)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(long size, long time) {
        return size < 0 ? "absent" : size + " bytes, modified " + java.time.Instant.ofEpochMilli(time);
    }

    /** A regular file's size and modification time in milliseconds; {-1, 0} if absent or not a regular file. */
    static long[] stat(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return new long[] { -1, 0 };
            }
            return new long[] { a.size(), a.lastModifiedTime().toMillis() };
        } catch (IOException e) {
            return new long[] { -1, 0 };
        }
    }

    private static String hex(byte[] b) {
        if (b == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }
}
