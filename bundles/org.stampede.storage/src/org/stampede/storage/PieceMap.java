package org.stampede.storage;

import java.util.Arrays;
import java.util.List;

import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentFile;

/**
 * Where pieces lie in the files of a torrent. Immutable.
 * <p>
 * Pieces and files share one byte stream: piece {@code p} starts at {@code p * pieceLength}, file {@code f} at
 * {@code TorrentFile.offset()}. In a v1 or hybrid torrent the files follow each other without gaps (padding files
 * included), and only the last piece is short. In a v2-only torrent every file starts on a piece boundary, each
 * piece lies in one file, and the last piece of each file is short; the gaps after files belong to no piece.
 * <p>
 * A <em>span</em> is a file with data (length above 0), padding included; spans are numbered in stream order.
 */
final class PieceMap {
    final long pieceLength;
    final int pieceCount;
    /** v2-only: pieces end with their file. */
    final boolean alignedFiles;
    final int fileCount;
    private final long[] offset;
    private final long[] length;
    private final boolean[] padding;
    /** File index of each span. */
    private final int[] spanFile;
    /** Stream offset of each span, strictly increasing. */
    private final long[] spanStart;
    private final long streamEnd;

    PieceMap(Torrent torrent) {
        List<TorrentFile> files = torrent.files();
        this.pieceLength = torrent.pieceLength();
        this.pieceCount = torrent.pieceCount();
        this.alignedFiles = torrent.version() == Torrent.Version.V2;
        this.fileCount = files.size();
        this.offset = new long[fileCount];
        this.length = new long[fileCount];
        this.padding = new boolean[fileCount];
        int spans = 0;
        for (int i = 0; i < fileCount; i++) {
            TorrentFile f = files.get(i);
            offset[i] = f.offset();
            length[i] = f.length();
            padding[i] = f.padding();
            if (f.length() > 0) {
                spans++;
            }
        }
        this.spanFile = new int[spans];
        this.spanStart = new long[spans];
        long end = 0;
        for (int i = 0, s = 0; i < fileCount; i++) {
            if (length[i] > 0) {
                spanFile[s] = i;
                spanStart[s] = offset[i];
                s++;
                end = Math.max(end, offset[i] + length[i]);
            }
        }
        this.streamEnd = end;
    }

    long offset(int file) {
        return offset[file];
    }

    long length(int file) {
        return length[file];
    }

    boolean padding(int file) {
        return padding[file];
    }

    /** A file with bytes on disk: not padding, not empty. */
    boolean hasData(int file) {
        return length[file] > 0 && !padding[file];
    }

    int spanCount() {
        return spanFile.length;
    }

    int spanFile(int span) {
        return spanFile[span];
    }

    /** The span holding stream byte {@code at} (which must lie in a piece). */
    int spanAt(long at) {
        int i = Arrays.binarySearch(spanStart, at);
        return i >= 0 ? i : -i - 2;
    }

    long pieceStart(int piece) {
        return piece * pieceLength;
    }

    int pieceSize(int piece) {
        long start = pieceStart(piece);
        long end = streamEnd;
        if (alignedFiles) {
            int f = spanFile[spanAt(start)];
            end = offset[f] + length[f];
        }
        return (int) Math.min(pieceLength, end - start);
    }

    /** The first piece with bytes of {@code file}, or -1 if it has none. */
    int firstPiece(int file) {
        return length[file] == 0 ? -1 : (int) (offset[file] / pieceLength);
    }

    /** The last piece with bytes of {@code file}, or -1 if it has none. */
    int lastPiece(int file) {
        return length[file] == 0 ? -1 : (int) ((offset[file] + length[file] - 1) / pieceLength);
    }

    /** Whether {@code piece} has bytes of a file with data for which {@code wanted} says yes. */
    boolean anyFile(int piece, java.util.function.IntPredicate wanted) {
        long start = pieceStart(piece);
        long end = start + pieceSize(piece);
        for (int s = spanAt(start); s < spanFile.length && spanStart[s] < end; s++) {
            int f = spanFile[s];
            if (!padding[f] && wanted.test(f)) {
                return true;
            }
        }
        return false;
    }
}
