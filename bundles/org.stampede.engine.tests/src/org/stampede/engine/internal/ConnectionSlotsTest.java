package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;

/**
 * Connection slots cannot be held by connections that give nothing (the hardening issue, item 4): idle sockets
 * beyond the engine's limit, and handshaked peers that only send keep-alives in every slot of a torrent. A peer that
 * handshakes still gets in, and a real leecher downloads everything, while they hold on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionSlotsTest {
    private static final int MAX_PEERS = 20;
    private static final int MAX_PER_TORRENT = 5;

    @TempDir
    Path dir;
    private Swarm swarm;
    private long handshakeTimeout;
    private long grace;
    private final List<RawPeer> sockets = new ArrayList<>();

    @BeforeEach
    void seed() throws Exception {
        handshakeTimeout = WireConnection.handshakeTimeoutMillis;
        grace = PeerTurnover.graceMillis;
        EngineSettings s = Swarm.settings(InetAddress.getLoopbackAddress());
        EngineSettings limited = new EngineSettings(s.bindAddress(), s.listenPort(), MAX_PER_TORRENT, MAX_PEERS,
                s.uploadSlots(), s.downloadLimit(), s.uploadLimit(), s.stateDir(), s.defaultPicker(),
                s.defaultChoker(), s.defaultSeedChoker(), s.activeDownloads(), s.activeSeeds());
        swarm = Swarm.seeding(dir, 9 * 65536 + 1000, 65536, limited, AddOptions.defaults());
    }

    @AfterEach
    void close() throws IOException {
        WireConnection.handshakeTimeoutMillis = handshakeTimeout;
        PeerTurnover.graceMillis = grace;
        for (RawPeer s : sockets) {
            s.close();
        }
        if (swarm != null) {
            swarm.close();
        }
    }

    @Test
    void idleSocketsBeyondTheEnginesLimitNeverKeepAHandshakingPeerOut() throws Exception {
        WireConnection.handshakeTimeoutMillis = 600_000; // the idle sockets stay until evicted or the test ends
        for (int i = 0; i < 3 * MAX_PEERS; i++) {
            sockets.add(RawPeer.connect(swarm.seederAddress())); // silent: never a byte
        }
        int open = 0;
        for (RawPeer s : sockets) {
            if (!s.closedWithin(Duration.ofMillis(50))) {
                open++;
            }
        }
        assertTrue(open <= swarm.seeder.halfOpenLimit(), open + " silent connections still open, with a budget of "
                + swarm.seeder.halfOpenLimit() + " for connections waiting for their handshake");
        try (RawPeer peer = RawPeer.connect(swarm.seederAddress())) {
            Handshake theirs = peer.handshake(swarm.infoHash(), swarm.geometry(), true, false);
            assertArrayEquals(swarm.infoHash(), theirs.infoHash(),
                    "the engine answered with another torrent");
            assertTrue(peer.poll(Message.HaveAll.class, RawPeer.WAIT) != null,
                    "a peer that handshook behind " + 3 * MAX_PEERS + " idle sockets was not served");
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void peersThatOnlySendKeepAlivesMakeRoomForALeecherOnceTheyHaveHadTheirChance() throws Exception {
        PeerTurnover.graceMillis = 600_000;
        List<RawPeer> idle = new ArrayList<>();
        for (int i = 0; i < MAX_PER_TORRENT; i++) {
            RawPeer p = RawPeer.connect(swarm.seederAddress());
            sockets.add(p);
            p.handshake(swarm.infoHash(), swarm.geometry(), true, false);
            idle.add(p);
        }
        // one more is refused while the others are new: they have not had the time to be useful
        try (RawPeer early = RawPeer.connect(swarm.seederAddress())) {
            early.send(RawPeer.handshakeFor(swarm.infoHash(), true, false).encode());
            assertTrue(early.closedWithin(RawPeer.WAIT), "a sixth peer got a slot of a torrent limited to five "
                    + "while none of the five had had its chance");
        }
        PeerTurnover.graceMillis = 0; // as if the grace had passed: they have had their chance and traded nothing
        for (RawPeer p : idle) {
            p.send(Message.KeepAlive.INSTANCE);
        }
        // a real leecher, dialing in, downloads everything: one of the idle ones makes room for it
        TorrentHandle h = swarm.addEmpty(swarm.newEngine(Swarm.settings(InetAddress.getLoopbackAddress())),
                AddOptions.defaults());
        h.connect(swarm.seederAddress());
        swarm.assertComplete(h, 60);
        int closed = 0;
        for (RawPeer p : idle) {
            if (p.closedWithin(Duration.ofMillis(100))) {
                closed++;
            }
        }
        assertEquals(1, closed, "one idle peer, no more, makes room for the leecher");
    }
}
