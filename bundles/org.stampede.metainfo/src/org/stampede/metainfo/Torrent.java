package org.stampede.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed torrent file (metainfo): BEP 3 (v1), BEP 52 (v2 and hybrid), BEP 12 announce tiers, BEP 27 private,
 * BEP 47 padding files and attributes, BEP 19 url-list web seeds.
 * <p>
 * Info-hashes are computed over the original bytes of the {@code info} dictionary, never over a re-encoding, so a
 * torrent written by a lenient client keeps its identity. Every file path has passed {@link PathSanitizer}: no
 * path of a parsed torrent can name anything outside the download folder.
 * <p>
 * Instances are immutable. Use {@link #parse(byte[])} or {@link #read(Path)}.
 */
public final class Torrent {

    /** Which BitTorrent protocol versions a torrent supports. */
    public enum Version {
        V1, V2, HYBRID;

        public boolean hasV1() {
            return this != V2;
        }

        public boolean hasV2() {
            return this != V1;
        }
    }

    /** Largest torrent file accepted, in bytes. */
    public static final int MAX_TORRENT_SIZE = 64 * 1024 * 1024;
    /** Most pieces accepted (libtorrent's default limit is 2^21). */
    public static final int MAX_PIECES = 1 << 22;
    /** Largest piece length accepted, as libtorrent: 1 GiB. */
    public static final long MAX_PIECE_LENGTH = 1L << 30;
    /** Most files accepted in one torrent. */
    public static final int MAX_FILES = 1 << 20;

    final byte[] infoBytes;
    final Version version;
    final InfoHash infoHashV1;
    final InfoHash infoHashV2;
    final String name;
    final long pieceLength;
    final int pieceCount;
    final long totalLength;
    final List<TorrentFile> files;
    final List<List<String>> trackers;
    final List<String> webSeeds;
    final boolean isPrivate;
    final String comment;
    final String createdBy;
    final Long creationDate;
    final byte[] piecesV1;
    final byte[] piecesV2;
    final List<String> warnings;
    final boolean multiFile;

    Torrent(TorrentParser p) {
        this.infoBytes = p.infoBytes;
        this.version = p.version;
        this.infoHashV1 = p.infoHashV1;
        this.infoHashV2 = p.infoHashV2;
        this.name = p.name;
        this.pieceLength = p.pieceLength;
        this.pieceCount = p.pieceCount;
        this.totalLength = p.totalLength;
        this.files = Collections.unmodifiableList(new ArrayList<>(p.files));
        this.trackers = p.trackers.stream().map(List::copyOf).toList();
        this.webSeeds = List.copyOf(p.webSeeds);
        this.isPrivate = p.isPrivate;
        this.comment = p.comment;
        this.createdBy = p.createdBy;
        this.creationDate = p.creationDate;
        this.piecesV1 = p.piecesV1;
        this.piecesV2 = p.piecesV2;
        this.warnings = List.copyOf(p.warnings);
        this.multiFile = p.multiFile;
    }

    /** Parses a torrent from its bytes. */
    public static Torrent parse(byte[] data) throws MetainfoException {
        return new TorrentParser(data).parse();
    }

    /** Reads and parses a torrent file; the file's size is checked before it is read. */
    public static Torrent read(Path file) throws MetainfoException, IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_TORRENT_SIZE) {
                throw new MetainfoException(file + ": " + size + " bytes is larger than the " + MAX_TORRENT_SIZE
                        + " bytes a torrent file may have");
            }
            byte[] data;
            try (InputStream in = Files.newInputStream(file)) {
                data = in.readNBytes(MAX_TORRENT_SIZE + 1);
            }
            if (data.length > MAX_TORRENT_SIZE) {
                throw new MetainfoException(file + ": larger than " + MAX_TORRENT_SIZE + " bytes");
            }
            return parse(data);
        } catch (NoSuchFileException e) {
            throw new MetainfoException(file + ": no such file", e);
        }
    }

    public Version version() {
        return version;
    }

    /** The SHA-1 info-hash, or null for a v2-only torrent. */
    public InfoHash infoHashV1() {
        return infoHashV1;
    }

    /** The full SHA-256 info-hash, or null for a v1-only torrent. */
    public InfoHash infoHashV2() {
        return infoHashV2;
    }

    /**
     * The safe name: the file name of a single-file torrent, else the root folder's name. Sanitised as a path
     * component (see {@link PathSanitizer}); {@code .stampede}, where the client keeps its state in a download
     * folder, becomes {@code .stampede_} (with a warning).
     */
    public String name() {
        return name;
    }

    public long pieceLength() {
        return pieceLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** Bytes of content, padding files not counted. */
    public long totalLength() {
        return totalLength;
    }

    /** Whether this torrent has one file stored directly under the download folder (no root folder). */
    public boolean isSingleFile() {
        return !multiFile;
    }

    public List<TorrentFile> files() {
        return files;
    }

    /** Tracker URLs by tier (BEP 12); a torrent with only {@code announce} has one tier of one. */
    public List<List<String>> trackers() {
        return trackers;
    }

    /** BEP 19 web seeds ({@code url-list}). */
    public List<String> webSeeds() {
        return webSeeds;
    }

    /** BEP 27: peers only from the torrent's trackers. */
    public boolean isPrivate() {
        return isPrivate;
    }

    public String comment() {
        return comment;
    }

    public String createdBy() {
        return createdBy;
    }

    /** Seconds since the epoch, or null. */
    public Long creationDate() {
        return creationDate;
    }

    /** The exact bytes of the info dictionary as they stood in the torrent file. */
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    /** The v1 SHA-1 hash of piece {@code index} (v1 and hybrid torrents). */
    public byte[] pieceHashV1(int index) {
        if (piecesV1 == null) {
            throw new IllegalStateException("a v2-only torrent has no v1 piece hashes");
        }
        java.util.Objects.checkIndex(index, pieceCount);
        byte[] h = new byte[20];
        System.arraycopy(piecesV1, index * 20, h, 0, 20);
        return h;
    }

    /**
     * The BEP 52 hash of piece {@code index} (v2 and hybrid torrents): the SHA-256 merkle root over the piece's
     * 16 KiB blocks, as listed in the file's {@code piece layers}; for a file of one piece, the file's
     * {@code pieces root}. All zeros for a piece whose hash the torrent does not give (a hybrid file that does not
     * start on a piece boundary).
     */
    public byte[] pieceHashV2(int index) {
        if (piecesV2 == null) {
            throw new IllegalStateException("a v1-only torrent has no v2 piece hashes");
        }
        java.util.Objects.checkIndex(index, pieceCount);
        byte[] h = new byte[Merkle.HASH];
        System.arraycopy(piecesV2, index * Merkle.HASH, h, 0, Merkle.HASH);
        return h;
    }

    /** What parsing accepted but changed or ignored (sanitised paths, dropped tracker URLs). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Torrent[" + name + ", " + version + ", " + (infoHashV1 != null ? infoHashV1 : infoHashV2) + "]";
    }
}
