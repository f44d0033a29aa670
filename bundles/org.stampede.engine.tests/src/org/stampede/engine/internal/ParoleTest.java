package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.wire.Message;

/**
 * Parole, on one torrent session with two scripted peers: a slow liar (one block per round, random bytes) and a
 * fast honest peer (every block asked of it, each round). Both pick from the lowest free block, so without parole
 * every piece the liar touches is shared with the honest peer, fails with two sources, and nobody can be blamed:
 * the liar would never be caught. On parole each downloads pieces alone, and the liar's own bad piece gets it banned.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParoleTest {
    @TempDir
    Path dir;

    @Test
    void sourcesOfASharedBadPieceGoOnParoleAndOnlyTheLiarIsBanned() throws Exception {
        try (ScriptedSession s = new ScriptedSession(dir, 256 * 1024, 6)) {
            ScriptedSession.Peer liar = s.peer("127.0.0.11", true);
            ScriptedSession.Peer honest = s.peer("127.0.0.12", false);
            ArrayDeque<Message.Request> liarBacklog = new ArrayDeque<>();
            liar.unchoke(); // it gets blocks 0-7 of piece 0, the honest peer the rest of the piece and more
            honest.unchoke();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (s.session.bytesLeft() > 0) {
                assertTrue(System.nanoTime() < deadline, () -> "not complete in 60 s: " + s.session.bytesLeft()
                        + " bytes left; liar banned: " + s.engine.isBanned(liar.address()));
                if (!liar.gone()) {
                    liarBacklog.addAll(liar.requests());
                    if (!liarBacklog.isEmpty()) {
                        liar.answer(liarBacklog.poll());
                    }
                }
                if (!honest.gone()) {
                    for (Message.Request r : honest.requests()) {
                        honest.answer(r);
                    }
                }
                Thread.sleep(5); // writes and hash checks run on the disk threads
            }
            assertTrue(s.engine.isBanned(liar.address()), "the liar was not banned");
            assertFalse(s.engine.isBanned(honest.address()), "the honest peer was banned");
            assertTrue(honest.connection.hashFailures > 0,
                    "no piece was shared by the liar and the honest peer: nothing was tested");
        }
    }
}
