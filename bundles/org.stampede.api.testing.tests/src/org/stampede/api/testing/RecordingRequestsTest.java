package org.stampede.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The request collector accepts and refuses blocks as the engine does, and records every offer. */
class RecordingRequestsTest {
    private final TestTorrent torrent = new TestTorrent(4, 2);

    @Test
    void acceptedBlockBecomesRequestedInTheTorrentAndOutstandingAtThePeer() {
        TestPeer peer = TestPeer.seed(4);
        RecordingRequests r = new RecordingRequests(torrent, peer, 4);
        assertTrue(r.request(2, 1));
        assertEquals(1, torrent.requestCount(2, 1));
        assertEquals(1, peer.outstandingRequests());
        assertEquals(List.of("2:1"), r.acceptedBlocks());
    }

    @Test
    void blocksBeyondTheCapacityAreRefused() {
        RecordingRequests r = new RecordingRequests(torrent, TestPeer.seed(4), 1);
        assertTrue(r.request(0, 0));
        assertFalse(r.request(0, 1));
        assertEquals(0, r.remaining());
        assertEquals(2, r.offered().size());
    }

    @Test
    void pieceThePeerLacksIsRefused() {
        RecordingRequests r = new RecordingRequests(torrent, new TestPeer(MutablePieceSet.of(4, 1)), 4);
        assertFalse(r.request(0, 0));
        assertTrue(r.request(1, 0));
    }

    @Test
    void chokingPeerServesOnlyItsAllowedFastPieces() {
        TestPeer peer = TestPeer.seed(4).peerChoking(true).fast(3);
        RecordingRequests r = new RecordingRequests(torrent, peer, 4);
        assertFalse(r.request(0, 0));
        assertTrue(r.request(3, 0));
    }

    @Test
    void receivedBlockIsRefused() {
        torrent.received(1, 0);
        assertFalse(new RecordingRequests(torrent, TestPeer.seed(4), 4).request(1, 0));
    }

    @Test
    void blockRequestedFromAnotherPeerIsRefusedOutsideEndgameOnly() {
        torrent.requested(1, 0);
        assertFalse(new RecordingRequests(torrent, TestPeer.seed(4), 4).request(1, 0));
        torrent.endgame(true);
        assertTrue(new RecordingRequests(torrent, TestPeer.seed(4), 4).request(1, 0));
        assertEquals(2, torrent.requestCount(1, 0));
    }

    @Test
    void blockAlreadyRequestedFromThisPeerIsRefusedEvenInEndgame() {
        TestPeer peer = TestPeer.seed(4);
        torrent.endgame(true);
        RecordingRequests r = new RecordingRequests(torrent, peer, 4);
        assertTrue(r.request(1, 0));
        assertFalse(r.request(1, 0));
    }

    @Test
    void refusedPieceIsRefusedAndOthersAreNot() {
        RecordingRequests r = new RecordingRequests(torrent, TestPeer.seed(4), 4).refusePiece(2);
        assertFalse(r.request(2, 0));
        assertTrue(r.request(3, 0));
        assertEquals(3, r.firstAcceptedPiece());
    }

    @Test
    void offeredAndAcceptedPiecesAreDistinctAndInOrder() {
        RecordingRequests r = new RecordingRequests(torrent, new TestPeer(MutablePieceSet.of(4, 1, 3)), 4);
        r.request(3, 1);
        r.request(0, 0);
        r.request(1, 0);
        r.request(3, 0);
        assertEquals(Set.of(3, 0, 1), r.offeredPieces());
        assertEquals(List.of(3, 0, 1), List.copyOf(r.offeredPieces()));
        assertEquals(List.of(3, 1), r.acceptedPieces());
    }

    @Test
    void blockOutsideItsPieceIsAPickerBug() {
        RecordingRequests r = new RecordingRequests(torrent, TestPeer.seed(4), 4);
        assertThrows(IndexOutOfBoundsException.class, () -> r.request(0, 2));
    }

    @Test
    void nothingAcceptedHasNoFirstPiece() {
        assertEquals(-1, new RecordingRequests(torrent, TestPeer.seed(4), 0).firstAcceptedPiece());
    }
}
