package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.wire.Handshake;

/**
 * Connections that never become useful peers: a handshake for a torrent the engine does not have, a handshake
 * trickled in too slowly, a flood of connections beyond the engine's limit. The engine closes or refuses them, and a
 * well-behaved Stampede engine then downloads the whole torrent from it.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileConnectionTest {
    @TempDir
    Path dir;
    private Swarm swarm;
    private long handshakeTimeout;

    @BeforeEach
    void seed() throws Exception {
        handshakeTimeout = WireConnection.handshakeTimeoutMillis;
        swarm = Swarm.small(dir);
    }

    @AfterEach
    void close() {
        WireConnection.handshakeTimeoutMillis = handshakeTimeout;
        if (swarm != null) {
            swarm.close();
        }
    }

    @Test
    void aHandshakeForAnotherTorrentIsClosedUnanswered() throws Exception {
        byte[] other = swarm.infoHash();
        other[0] ^= 1;
        try (RawPeer peer = RawPeer.connect(swarm.seederAddress())) {
            peer.send(RawPeer.handshakeFor(other, true, true).encode());
            assertTrue(peer.closedWithin(RawPeer.WAIT), "the engine kept the connection open");
            assertEquals(0, peer.discarded(), "the engine answered a handshake for a torrent it does not serve");
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void aHandshakeTrickledInSlowerThanTheHandshakeTimeoutIsClosedBeforeItCompletes() throws Exception {
        WireConnection.handshakeTimeoutMillis = 1000;
        byte[] handshake = RawPeer.handshakeFor(swarm.infoHash(), false, false).encode();
        boolean closed = false;
        try (RawPeer peer = RawPeer.connect(swarm.seederAddress())) {
            // one byte every 200 ms: never idle long enough for a read timeout, 13 s for the 67 bytes
            for (int i = 0; i < Handshake.LENGTH - 1 && !closed; i++) {
                try {
                    peer.send(new byte[] {handshake[i]});
                    closed = peer.closedWithin(Duration.ofMillis(200));
                } catch (IOException e) {
                    closed = true; // reset by the engine
                }
            }
        }
        assertTrue(closed, "the engine still waited for the handshake after " + (Handshake.LENGTH - 1)
                + " bytes trickled in over 13 s, with a handshake timeout of 1 s");
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void aFloodOfConnectionsBeyondMaxPeersIsRefusedAndAPeerCanDownloadAfterwards() throws Exception {
        WireConnection.handshakeTimeoutMillis = 600_000; // silent connections stay until refused or the test ends
        int maxPeers = swarm.seeder.settings().maxPeers();
        int flood = maxPeers + 100;
        List<RawPeer> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < flood; i++) {
                sockets.add(RawPeer.connect(swarm.seederAddress())); // silent: never a byte
            }
            int refused = 0;
            long deadline = System.nanoTime() + RawPeer.WAIT.toNanos();
            boolean[] closed = new boolean[flood];
            while (refused < flood - maxPeers && System.nanoTime() < deadline) {
                for (int i = 0; i < flood; i++) {
                    if (!closed[i] && sockets.get(i).closedNow()) {
                        closed[i] = true;
                        refused++;
                    }
                }
            }
            assertTrue(refused >= flood - maxPeers, refused + " of " + flood + " connections refused with a limit "
                    + "of " + maxPeers);
        } finally {
            for (RawPeer s : sockets) {
                s.close();
            }
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }
}
