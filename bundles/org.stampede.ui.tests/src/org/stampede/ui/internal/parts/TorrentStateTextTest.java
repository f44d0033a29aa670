package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.stampede.engine.TorrentStatus;

/** The Torrents view's State column says why a torrent stopped on an error (the hardening issue, item 1). */
class TorrentStateTextTest {
    private static TorrentStatus status(TorrentStatus.State state, String error) {
        return new TorrentStatus(state, 10, 20, 20, 10, 20, 0, 0, 0, 0, 0, 0, "rarest-first", "tit-for-tat", error);
    }

    @Test
    void anErroredTorrentShowsItsReason() {
        assertEquals("Error: cannot write piece 3: /dl/a.bin: No space left on device", TorrentsPart.state(status(
                TorrentStatus.State.ERROR, "cannot write piece 3: /dl/a.bin: No space left on device")));
    }

    @Test
    void otherStatesShowTheStateOnlyEvenWithAWarning() {
        assertEquals("Downloading", TorrentsPart.state(status(TorrentStatus.State.DOWNLOADING,
                "resume data not used: the files changed")));
        assertEquals("Paused", TorrentsPart.state(status(TorrentStatus.State.PAUSED, null)));
        assertEquals("Error", TorrentsPart.state(status(TorrentStatus.State.ERROR, null)));
    }
}
