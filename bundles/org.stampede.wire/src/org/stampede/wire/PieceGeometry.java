package org.stampede.wire;

/**
 * How a torrent's content is cut into pieces, as far as the wire protocol needs it to check indices and block
 * ranges: every piece is {@code pieceLength} bytes except the last, which holds the rest of {@code totalLength}.
 * <p>
 * This is the layout of v1 and hybrid torrents (for a hybrid torrent, {@code totalLength} includes the BEP 47 padding
 * files). v2-only torrents, whose every file ends with a short piece, are not described by it yet.
 *
 * @param pieceCount number of pieces, {@code ceil(totalLength / pieceLength)}, at most {@link #MAX_PIECES}
 * @param pieceLength bytes per piece, at least 1
 * @param totalLength bytes of the whole piece space, at least 1
 */
public record PieceGeometry(int pieceCount, int pieceLength, long totalLength) {

    /** Most pieces a torrent may have (the limit the metainfo parser applies, 2^22). */
    public static final int MAX_PIECES = 1 << 22;

    /** @throws IllegalArgumentException if the values do not describe a piece layout */
    public PieceGeometry {
        if (pieceLength < 1 || totalLength < 1) {
            throw new IllegalArgumentException("piece length " + pieceLength + " and total length " + totalLength
                    + " must be positive");
        }
        long count = (totalLength + pieceLength - 1) / pieceLength;
        if (count != pieceCount || count > MAX_PIECES) {
            throw new IllegalArgumentException(pieceCount + " pieces do not fit " + totalLength + " bytes in pieces of "
                    + pieceLength + " (or more than " + MAX_PIECES + ")");
        }
    }

    /** @return the geometry of {@code totalLength} bytes in pieces of {@code pieceLength} */
    public static PieceGeometry of(long totalLength, int pieceLength) {
        if (pieceLength < 1) {
            throw new IllegalArgumentException("piece length " + pieceLength + " must be positive");
        }
        long count = (totalLength + pieceLength - 1) / pieceLength;
        return new PieceGeometry((int) Math.min(count, Integer.MAX_VALUE), pieceLength, totalLength);
    }

    /**
     * @param index a piece index, {@code 0 <= index < pieceCount}
     * @return its length in bytes: {@code pieceLength}, or less for the last piece
     */
    public int pieceSize(int index) {
        if (index == pieceCount - 1) {
            return (int) (totalLength - (long) index * pieceLength);
        }
        return pieceLength;
    }

    /** @return bytes of a bitfield message's payload: {@code ceil(pieceCount / 8)} */
    public int bitfieldLength() {
        return (pieceCount + 7) >>> 3;
    }
}
