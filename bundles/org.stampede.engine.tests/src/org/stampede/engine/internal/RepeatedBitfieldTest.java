package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.wire.Message;

/**
 * Real clients send a bitfield more than once (aria2 sends it, then its allowed-fast set, then the same bitfield
 * again); libtorrent takes the last one. So does the engine: the connection stays, the later bitfield replaces the
 * earlier one, and each piece counts once in the availability.
 */
class RepeatedBitfieldTest {
    @TempDir
    Path dir;

    private static byte[] bits(int count, int... pieces) {
        byte[] b = new byte[(count + 7) / 8];
        for (int i : pieces) {
            b[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return b;
    }

    @Test
    void aRepeatedBitfieldKeepsTheConnectionAndReplacesTheFirstWithoutCountingPiecesTwice() throws Exception {
        try (ScriptedSession s = new ScriptedSession(dir, 16 * 1024, 4)) {
            ScriptedSession.Peer p = s.peer("127.0.0.21", false); // has sent a bitfield of every piece
            s.session.onMessage(p.connection, new Message.Have(2));
            s.session.onMessage(p.connection, Message.Bitfield.of(bits(4, 0, 1, 2, 3)));
            assertTrue(p.channel.open, "a repeated bitfield closed the connection");
            for (int i = 0; i < 4; i++) {
                assertEquals(1, s.session.state.availability(i), "piece " + i + " counted once");
            }

            s.session.onMessage(p.connection, Message.Bitfield.of(bits(4, 1, 3)));
            assertTrue(p.channel.open);
            assertEquals(0, s.session.state.availability(0), "the later bitfield replaces the earlier one");
            assertEquals(1, s.session.state.availability(1));
            assertEquals(0, s.session.state.availability(2));
            assertEquals(1, s.session.state.availability(3));

            p.unchoke();
            var asked = p.requests();
            assertFalse(asked.isEmpty(), "nothing was requested after the bitfields");
            assertTrue(asked.stream().allMatch(r -> r.index() == 1 || r.index() == 3),
                    "only pieces the peer has now are asked for: " + asked);
        }
    }
}
