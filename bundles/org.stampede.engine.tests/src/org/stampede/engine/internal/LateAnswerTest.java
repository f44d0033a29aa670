package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.BlockState;
import org.stampede.engine.AddOptions;
import org.stampede.wire.Message;

/**
 * A peer may send a block after we cancelled our request for it: the cancel and the block crossed on the wire
 * (BEP 3 cancels are advisory). That is no protocol violation, even when the block has not come from anyone else.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LateAnswerTest {
    @TempDir
    Path dir;
    private final long requestTimeout = RequestScheduler.requestTimeoutMillis;

    @AfterEach
    void restore() {
        RequestScheduler.requestTimeoutMillis = requestTimeout;
    }

    /** Test strategies plus a picker that asks only for blocks nobody has been asked for: no endgame duplicates. */
    private static StrategyRegistry strategies() {
        return TestStrategies.withBlockPicker("missing-only", s -> s == BlockState.MISSING);
    }

    @Test
    void requestsThatTimedOutGoToAnotherPeerRatherThanBackToTheSlowOne() throws Exception {
        try (ScriptedSession s = new ScriptedSession(dir, 16 * 1024, 2, strategies(),
                AddOptions.defaults().withStrategies("missing-only", "unchoke-all"))) {
            ScriptedSession.Peer slow = s.peer("127.0.0.11", false); // first in line for every fill
            ScriptedSession.Peer other = s.peer("127.0.0.12", false);
            slow.unchoke();
            assertEquals(2, slow.requests().size(), "the slow peer was not asked for both blocks");
            other.unchoke();
            RequestScheduler.requestTimeoutMillis = 1;
            Thread.sleep(20);
            s.session.tick();
            assertEquals(2, other.requests().size(), "the other peer was not asked instead");
            assertEquals(List.of(), slow.requests(), "the slow peer was asked again");
        }
    }

    @Test
    void aBlockArrivingAfterItsRequestTimedOutDoesNotCloseTheConnection() throws Exception {
        try (ScriptedSession s = new ScriptedSession(dir, 16 * 1024, 2, strategies(),
                AddOptions.defaults().withStrategies("missing-only", "unchoke-all"))) {
            ScriptedSession.Peer slow = s.peer("127.0.0.11", false);
            ScriptedSession.Peer other = s.peer("127.0.0.12", false);
            slow.unchoke();
            List<Message.Request> asked = slow.requests();
            assertEquals(2, asked.size(), "the slow peer was not asked for both blocks");
            other.unchoke(); // nothing left to ask it for
            RequestScheduler.requestTimeoutMillis = 1;
            Thread.sleep(20);
            s.session.tick(); // the slow peer's requests time out and go to the other peer
            assertTrue(slow.channel.sent.stream().anyMatch(Message.Cancel.class::isInstance), "nothing cancelled");
            assertEquals(2, other.requests().size(), "the other peer was not asked instead");
            slow.answer(asked.get(0)); // the block crossed the cancel on the wire
            assertTrue(slow.channel.open, "the slow peer was disconnected for a late answer");
        }
    }
}
