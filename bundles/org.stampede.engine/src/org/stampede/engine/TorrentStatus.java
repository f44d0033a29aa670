package org.stampede.engine;

/**
 * A snapshot of one torrent, for the command line and the UI.
 *
 * @param state        what the torrent is doing
 * @param have         pieces verified
 * @param wanted       pieces still wanted
 * @param pieces       pieces in the torrent
 * @param bytesDone    bytes of the wanted data verified; while {@link State#CHECKING}, the part of it checked so far
 * @param bytesWanted  bytes of data wanted in all (skipped files not counted)
 * @param downloadRate payload bytes per second
 * @param uploadRate   payload bytes per second
 * @param downloaded   payload bytes received this session
 * @param uploaded     payload bytes sent this session
 * @param peers        connected peers
 * @param seeds        connected peers that have everything
 * @param picker       name of the piece picker in use
 * @param choker       name of the choker in use
 * @param error        the last error, or null
 */
public record TorrentStatus(State state, int have, int wanted, int pieces, long bytesDone, long bytesWanted,
        long downloadRate, long uploadRate, long downloaded, long uploaded, int peers, int seeds, String picker,
        String choker, String error) {

    public enum State {
        CHECKING, DOWNLOADING, SEEDING, FINISHED, PAUSED, STOPPED, ERROR,
        /** Waiting for a slot of the queue (the active downloads or seeds limit); it starts by itself. */
        QUEUED
    }

    /**
     * Fraction of the wanted data verified, 0 to 1; while {@link State#CHECKING}, the fraction checked so far (as
     * libtorrent's progress of the torrent's current task). The first status in another state has the pieces the
     * check verified.
     */
    public double progress() {
        return bytesWanted == 0 ? 1.0 : (double) bytesDone / bytesWanted;
    }

    /** Seconds until done at the current rate, or -1 when unknown. */
    public long etaSeconds() {
        long left = bytesWanted - bytesDone;
        return left <= 0 ? 0 : downloadRate <= 0 ? -1 : left / downloadRate;
    }
}
