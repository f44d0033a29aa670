package org.stampede.metainfo;

import java.util.List;

/**
 * One file of a torrent, in the torrent's order.
 *
 * @param path       safe path components relative to the torrent's root folder; for a single-file torrent,
 *                   the one component is the file name (the torrent's name)
 * @param length     length in bytes
 * @param offset     offset of the file's first byte in the torrent's v1 byte stream (for v2-only torrents,
 *                   in the stream where every file starts on a piece boundary)
 * @param padding    a BEP 47 padding file (attribute {@code p}): never written to disk
 * @param executable BEP 47 attribute {@code x}
 * @param hidden     BEP 47 attribute {@code h}
 * @param symlinkTarget BEP 47 symlink ({@code l}): safe target path relative to the torrent root, else null
 * @param piecesRoot BEP 52 merkle root of the file (32 bytes), null for v1-only torrents and empty files
 * @param fixes      what path sanitising changed, empty when the path was used as it was
 */
public record TorrentFile(List<String> path, long length, long offset, boolean padding, boolean executable,
        boolean hidden, List<String> symlinkTarget, byte[] piecesRoot, List<String> fixes) {

    public TorrentFile {
        path = List.copyOf(path);
        fixes = List.copyOf(fixes);
        symlinkTarget = symlinkTarget == null ? null : List.copyOf(symlinkTarget);
    }

    /** The path joined with '/', for display. */
    public String displayPath() {
        return String.join("/", path);
    }

    @Override
    public byte[] piecesRoot() {
        return piecesRoot == null ? null : piecesRoot.clone();
    }
}
