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
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

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
 * stampede resume  2                        format version
 * checksum         32 bytes                 SHA-256 of the bencoding of this dictionary without 'checksum'
 * info-hash        20 bytes                 v1 and hybrid torrents
 * info-hash2       32 bytes                 v2 and hybrid torrents
 * version          "v1" | "v2" | "hybrid"
 * piece count      integer
 * pieces           bitfield, as in the peer protocol: piece 0 is the high bit of the first byte; spare bits 0
 * files            one list [size, mtime, priority] per file of the torrent, in order; size -1 for a file that
 *                  did not exist (and for padding files), mtime in nanoseconds since the epoch
 * </pre>
 * The decoder is strict, so the dictionary read is canonical and its checksum is computed over the same bytes the
 * writer hashed. Format 1 (no checksum, mtime in milliseconds) is still read, for its file priorities, but its pieces
 * are never trusted: they are all rechecked, and the next save writes format 2. It is written atomically
 * ({@link #save(Path)}): a crash leaves either the old file or the new one, never a mix.
 *
 * <h2>Trust</h2>
 * Resume data is a hint about the files, not a proof; what it records as verified is trusted only as far as these
 * checks go:
 * <ol>
 * <li>The checksum: a file damaged, truncated or edited by hand without recomputing it is refused as a whole
 * ({@link #parse}). Anyone can recompute a SHA-256, so this guards against accidents, not against a forger.</li>
 * <li>The torrent: info-hashes, version, piece and file counts must be the torrent's ({@link #mismatch}), else
 * nothing is trusted (and its priorities are not applied).</li>
 * <li>The files: each file's size and modification time must be exactly as recorded, to the nanosecond the file
 * system keeps; the pieces of a file that differs are rechecked, and so are pieces recorded as verified whose files
 * are too short for them ({@link #validate}). Other files keep their trusted pieces.</li>
 * <li>A spot check of the content ({@link #spotCheckSample}): at each load, a random sample of the pieces still
 * trusted is hashed, {@link #SPOT_CHECK_MIN_PIECES} pieces or 1% of them, whichever is more, but no more than
 * {@link #SPOT_CHECK_MAX_BYTES} bytes of them (always at least one piece). If one of them does not match the
 * torrent, none of the pieces it records is trusted and every piece is rechecked (its file priorities still
 * apply).</li>
 * </ol>
 * The limits, honestly: the spot check catches a bitfield that claims pieces largely absent or wrong (a forged
 * all-ones bitfield over zeros fails at the first piece sampled), but when only {@code b} of {@code n} trusted
 * pieces were changed behind the storage's back with the modification times put back, a sample of {@code k} finds
 * one with a probability of about {@code 1 - (1 - b/n)^k}: certain when every piece changed, 8% for one piece of 100
 * with 8 sampled, less for one piece of a large torrent. A changed piece that is not sampled counts as verified
 * until a full check ({@link FileStorage#check(ProgressListener)}); peers hash what they download from us, so they
 * would refuse it rather than spread it. What a download reports as verified is the pieces hashed in this run plus
 * those trusted through all four checks.
 */
public final class ResumeData {

    /** Format version written, the only one whose pieces are trusted. */
    public static final int FORMAT = 2;
    /** The first format: no checksum, times in milliseconds. Read for its file priorities; its pieces are rechecked. */
    public static final int FORMAT_1 = 1;
    /** Largest resume file read. */
    public static final int MAX_SIZE = 64 * 1024 * 1024;
    /** The fewest pieces a load spot-checks (or all the trusted pieces, when there are fewer). */
    public static final int SPOT_CHECK_MIN_PIECES = 8;
    /** The most bytes a load reads to spot-check pieces (but always at least one piece). */
    public static final long SPOT_CHECK_MAX_BYTES = 128L * 1024 * 1024;
    /** Four tokens per file ([size, mtime, priority]) and a few more. */
    private static final BencodeLimits LIMITS = new BencodeLimits(8, 4 * Torrent.MAX_FILES + 64, MAX_SIZE);
    private static final String CHECKSUM = "checksum";
    private static final BString CHECKSUM_KEY = BString.of(CHECKSUM);

    private final int format;
    private final byte[] infoHashV1;
    private final byte[] infoHashV2;
    private final Torrent.Version version;
    private final int pieceCount;
    private final BitSet pieces;
    private final long[] fileSizes;
    private final long[] fileTimes;
    private final int[] priorities;

    /** Resume data in the current format; {@code fileTimes} in nanoseconds since the epoch. */
    ResumeData(Torrent torrent, BitSet pieces, long[] fileSizes, long[] fileTimes, int[] priorities) {
        this(FORMAT, torrent.infoHashV1() == null ? null : torrent.infoHashV1().bytes(),
                torrent.infoHashV2() == null ? null : torrent.infoHashV2().bytes(), torrent.version(),
                torrent.pieceCount(), pieces, fileSizes, fileTimes, priorities);
    }

    private ResumeData(int format, byte[] infoHashV1, byte[] infoHashV2, Torrent.Version version, int pieceCount,
            BitSet pieces, long[] fileSizes, long[] fileTimes, int[] priorities) {
        this.format = format;
        this.infoHashV1 = infoHashV1;
        this.infoHashV2 = infoHashV2;
        this.version = version;
        this.pieceCount = pieceCount;
        this.pieces = (BitSet) pieces.clone();
        this.fileSizes = fileSizes.clone();
        this.fileTimes = fileTimes.clone();
        this.priorities = priorities.clone();
    }

    /** The format read: {@link #FORMAT}, or {@link #FORMAT_1} for resume data whose pieces are not trusted. */
    public int format() {
        return format;
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

    /** The recorded modification time of a file, in nanoseconds since the epoch (to the millisecond in format 1). */
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

    /**
     * Parses encoded resume data: format 2, whose checksum must match, or format 1.
     *
     * @throws ResumeDataException if it is not bencode, not resume data, of another format, of a wrong checksum, or
     *                             a field is missing or of the wrong type or size
     */
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
        if (format == FORMAT) {
            BString sum = d.getString(CHECKSUM);
            if (sum == null || sum.length() != 32) {
                throw new ResumeDataException("'" + CHECKSUM + "' missing or not 32 bytes");
            }
            if (!MessageDigest.isEqual(sum.bytes(), checksum(d))) {
                throw new ResumeDataException("checksum mismatch: the file was damaged or edited after it was saved");
            }
        } else if (format != FORMAT_1) {
            throw new ResumeDataException("format " + format + " is neither " + FORMAT + " nor " + FORMAT_1);
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
            try {
                times[i] = format == FORMAT ? time.value() : Math.multiplyExact(time.value(), 1_000_000L);
            } catch (ArithmeticException e) {
                throw new ResumeDataException("files[" + i + "]: mtime " + time.value() + " out of range", e);
            }
            prios[i] = (int) prio.value();
        }
        return new ResumeData(format.intValue(), h1, h2, version, pieceCount, pieces, sizes, times, prios);
    }

    /** The SHA-256 of the bencoding of {@code d} without its checksum entry. */
    private static byte[] checksum(BDict d) {
        BDict.Builder b = BDict.builder();
        d.entries().forEach((k, v) -> {
            if (!k.equals(CHECKSUM_KEY)) {
                b.put(k, v);
            }
        });
        return sha256(BencodeEncoder.encode(b.build()));
    }

    private static byte[] sha256(byte[] bytes) {
        return Hashing.digest("SHA-256").digest(bytes);
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

    /**
     * The bencoded form, in format 2 with its checksum (see the class comment).
     *
     * @throws IllegalStateException for resume data read from format 1, which is not written again: its pieces were
     *                               never checked
     */
    public byte[] encode() {
        if (format != FORMAT) {
            throw new IllegalStateException("resume data of format " + format + " is read, not written");
        }
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
        b.put(CHECKSUM, sha256(BencodeEncoder.encode(b.build())));
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
     * What resume data allows, before the spot check.
     *
     * @param trusted        pieces to take as verified without hashing, if the spot check of a sample of them passes
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

        /**
         * Nothing trusted, every piece rechecked.
         *
         * @param why a sentence saying why, to which "; all N pieces are rechecked" is added
         */
        static Validation recheckAll(int pieceCount, String why, boolean matchesTorrent) {
            BitSet all = new BitSet(pieceCount);
            all.set(0, pieceCount);
            return new Validation(new BitSet(), all, why + "; all " + pieceCount + " pieces are rechecked",
                    matchesTorrent);
        }
    }

    /** Why this resume data is not for {@code torrent}, or null if it is. */
    public String mismatch(Torrent torrent) {
        byte[] t1 = torrent.infoHashV1() == null ? null : torrent.infoHashV1().bytes();
        byte[] t2 = torrent.infoHashV2() == null ? null : torrent.infoHashV2().bytes();
        if (!Arrays.equals(infoHashV1, t1) || !Arrays.equals(infoHashV2, t2)) {
            return "it is for info-hash " + hex(infoHashV1 != null ? infoHashV1 : infoHashV2) + ", not for "
                    + torrent.name() + " (" + hex(t1 != null ? t1 : t2) + ")";
        }
        if (version != torrent.version() || pieceCount != torrent.pieceCount()
                || fileSizes.length != torrent.files().size()) {
            return "it has " + versionName(version) + ", " + pieceCount + " pieces, " + fileSizes.length
                    + " files; the torrent " + versionName(torrent.version()) + ", " + torrent.pieceCount()
                    + " pieces, " + torrent.files().size() + " files";
        }
        return null;
    }

    /**
     * Decides what to trust for {@code torrent} with its files under {@code downloadRoot}, before the spot check:
     * nothing for another torrent or format 1; else the recorded pieces except those of files whose size or
     * modification time is not exactly as recorded, and those whose files are too short for them. Looks only at
     * the files' attributes: no reading, no hashing.
     */
    public Validation validate(Torrent torrent, Path downloadRoot) throws StorageException {
        String other = mismatch(torrent);
        if (other != null) {
            return Validation.recheckAll(torrent.pieceCount(), "resume data not used: " + other, false);
        }
        if (format != FORMAT) {
            return Validation.recheckAll(pieceCount, "resume data not used: it is of format " + format
                    + ", written by an earlier Stampede without a checksum", true);
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
            String change = change(fileSizes[f], fileTimes[f], st[0], st[1]);
            if (change != null) {
                changed++;
                if (first == null) {
                    first = "file " + torrent.files().get(f).displayPath() + " " + change;
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
            List<String> why = new ArrayList<>(2);
            if (changed > 0) {
                why.add(changed == 1 ? first
                        : changed + " files changed since it was saved (first: " + first + ")");
            }
            if (tooShort > 0) {
                why.add(tooShort + (tooShort == 1 ? " piece it records as verified lies" : " pieces it records as "
                        + "verified lie") + " beyond the end of their files");
            }
            int n = recheck.cardinality();
            problem = "resume data partly used: " + String.join("; ", why) + "; " + n
                    + (n == 1 ? " piece is" : " pieces are") + " rechecked";
        }
        return new Validation(trusted, recheck, problem, true);
    }

    /**
     * How a file differs from what was recorded, or null if it does not.
     *
     * @return e.g. "changed size (recorded 1048576, found 0)"
     */
    private static String change(long recordedSize, long recordedTime, long size, long time) {
        if (recordedSize == size && (size < 0 || recordedTime == time)) {
            return null;
        }
        if (size < 0) {
            return "is missing (recorded " + recordedSize + " bytes)";
        }
        if (recordedSize < 0) {
            return "appeared (recorded as absent, found " + size + " bytes)";
        }
        if (recordedSize != size) {
            return "changed size (recorded " + recordedSize + ", found " + size + ")";
        }
        return "was modified (recorded " + instant(recordedTime) + ", found " + instant(time) + ")";
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /**
     * How many of {@code trusted} pieces a load spot-checks: {@link #SPOT_CHECK_MIN_PIECES} or 1%, whichever is
     * more, no more than {@link #SPOT_CHECK_MAX_BYTES} bytes of pieces of {@code pieceLength} (but at least one), and
     * no more than there are.
     */
    static int spotCheckCount(int trusted, long pieceLength) {
        long n = Math.max(SPOT_CHECK_MIN_PIECES, (trusted + 99L) / 100);
        n = Math.min(n, Math.max(1, SPOT_CHECK_MAX_BYTES / pieceLength));
        return (int) Math.min(n, trusted);
    }

    /**
     * The pieces to spot-check: {@link #spotCheckCount} of {@code trusted}, drawn uniformly without repetition.
     *
     * @param random a new seed per load, so that which pieces are looked at cannot be known in advance
     */
    static BitSet spotCheckSample(BitSet trusted, long pieceLength, RandomGenerator random) {
        int[] candidates = trusted.stream().toArray();
        int k = spotCheckCount(candidates.length, pieceLength);
        BitSet sample = new BitSet();
        for (int i = 0; i < k; i++) { // a partial Fisher-Yates shuffle
            int j = i + random.nextInt(candidates.length - i);
            int chosen = candidates[j];
            candidates[j] = candidates[i];
            candidates[i] = chosen;
            sample.set(chosen);
        }
        return sample;
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

    /**
     * A regular file's size and modification time in nanoseconds since the epoch (as precise as the file system
     * keeps it); {-1, 0} if absent or not a regular file.
     */
    static long[] stat(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return new long[] { -1, 0 };
            }
            return new long[] { a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS) };
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
