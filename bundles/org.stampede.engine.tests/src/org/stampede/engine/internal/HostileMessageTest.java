package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.MessageEncoder;

/**
 * A hand-written peer breaks the peer wire protocol against a seeding engine, one way per test: the engine closes
 * that connection, and a well-behaved Stampede engine then downloads the whole torrent from the same seeder.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileMessageTest {
    @TempDir
    Path dir;
    private Swarm swarm;

    @BeforeEach
    void seed() throws Exception {
        swarm = Swarm.small(dir);
    }

    @AfterEach
    void close() {
        if (swarm != null) {
            swarm.close();
        }
    }

    /** A connection to the seeder with the handshakes done and the seeder's first messages read. */
    private RawPeer connected(boolean fast, boolean extensions) throws Exception {
        RawPeer peer = RawPeer.connect(swarm.seederAddress());
        peer.handshake(swarm.infoHash(), swarm.geometry(), fast, extensions);
        if (extensions) {
            peer.await(Message.Extended.class, RawPeer.WAIT);
        }
        if (fast) {
            peer.await(Message.HaveAll.class, RawPeer.WAIT);
        } else {
            peer.await(Message.Bitfield.class, RawPeer.WAIT);
        }
        return peer;
    }

    /** Sends {@code bytes} on a fresh connection and expects the seeder to hang up, then to serve others. */
    private void closesAndKeepsServing(byte[] bytes) throws Exception {
        try (RawPeer peer = connected(false, false)) {
            peer.send(bytes);
            assertTrue(peer.closedWithin(RawPeer.WAIT), "the engine kept the connection open");
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    private static byte[] request(int index, int begin, int length) {
        return RawPeer.frame(13, ByteBuffer.allocate(13).put((byte) Message.REQUEST).putInt(index).putInt(begin)
                .putInt(length).array());
    }

    @Test
    void aLengthPrefixOfTwoGigabytesClosesTheConnectionBeforeAnyPayload() throws Exception {
        // only the 4-byte prefix is sent: an engine that tried to buffer the frame would wait for 2 GiB instead
        closesAndKeepsServing(RawPeer.frame(Integer.MAX_VALUE));
    }

    @Test
    void aLengthPrefixJustOverTheFrameLimitClosesTheConnectionBeforeAnyPayload() throws Exception {
        closesAndKeepsServing(RawPeer.frame(MessageDecoder.MAX_FRAME_LENGTH + 1));
    }

    @Test
    void aNegativeLengthPrefixClosesTheConnection() throws Exception {
        closesAndKeepsServing(RawPeer.frame(-5));
    }

    @Test
    void aPieceFrameLongerThanOneBlockClosesTheConnectionBeforeItsPayload() throws Exception {
        // within the frame limit, but too long for its id: refused at the id byte, the 32 KiB never sent
        closesAndKeepsServing(RawPeer.frame(9 + 32 * 1024, (byte) Message.PIECE));
    }

    @Test
    void aBitfieldOfTheWrongSizeClosesTheConnection() throws Exception {
        // 10 pieces need 2 bytes
        closesAndKeepsServing(RawPeer.frame(4, (byte) Message.BITFIELD, (byte) 0xff, (byte) 0xc0, (byte) 0));
    }

    @Test
    void aBitfieldWithSpareBitsSetClosesTheConnection() throws Exception {
        // pieces 0-9 are the top 10 bits; the low 6 bits of the second byte must be zero
        closesAndKeepsServing(RawPeer.frame(3, (byte) Message.BITFIELD, (byte) 0xff, (byte) 0xc1));
    }

    @Test
    void aHaveOfAPieceOutOfRangeClosesTheConnection() throws Exception {
        closesAndKeepsServing(MessageEncoder.encode(new Message.Have(swarm.torrent.pieceCount())));
    }

    @Test
    void aHaveOfANegativePieceClosesTheConnection() throws Exception {
        closesAndKeepsServing(RawPeer.frame(5, (byte) Message.HAVE, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff));
    }

    @Test
    void aRequestForAPieceOutOfRangeClosesTheConnection() throws Exception {
        closesAndKeepsServing(request(swarm.torrent.pieceCount(), 0, 16384));
    }

    @Test
    void aRequestLargerThan16KiBClosesTheConnection() throws Exception {
        closesAndKeepsServing(request(0, 0, 32768));
    }

    @Test
    void aRequestPastTheEndOfAPieceClosesTheConnection() throws Exception {
        closesAndKeepsServing(request(0, 65536 - 8192, 16384));
    }

    @Test
    void aRequestPastTheEndOfTheShortLastPieceClosesTheConnection() throws Exception {
        // the last piece has 1000 bytes
        closesAndKeepsServing(request(swarm.torrent.pieceCount() - 1, 0, 16384));
    }

    @Test
    void aRequestWithANegativeOffsetClosesTheConnection() throws Exception {
        closesAndKeepsServing(request(0, -16384, 16384));
    }

    @Test
    void aRequestWhileChokedWithoutFastIsIgnoredAndTheConnectionStays() throws Exception {
        try (RawPeer peer = connected(false, false)) {
            peer.send(new Message.Request(0, 0, 16384)); // choked: we are not even interested yet
            peer.send(Message.Interested.INSTANCE);
            peer.await(Message.Unchoke.class, RawPeer.WAIT);
            // had the engine queued the early request, it would answer it now (it serves uploads 4 times a second)
            Message.Piece early = peer.poll(Message.Piece.class, Duration.ofSeconds(2));
            assertNull(early, "the engine answered a request it received while choking us");
            peer.send(new Message.Request(1, 0, 16384));
            Message.Piece answer = peer.await(Message.Piece.class, RawPeer.WAIT);
            assertEquals(1, answer.index());
            assertEquals(0, answer.begin());
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void aRequestWhileChokedWithFastIsRejected() throws Exception {
        try (RawPeer peer = connected(true, false)) {
            peer.send(new Message.Request(2, 16384, 16384));
            Message.RejectRequest reject = peer.await(Message.RejectRequest.class, RawPeer.WAIT);
            assertEquals(new Message.RejectRequest(2, 16384, 16384), reject);
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void aFastMessageWithoutFastNegotiatedClosesTheConnection() throws Exception {
        closesAndKeepsServing(MessageEncoder.encode(Message.HaveAll.INSTANCE));
    }

    @Test
    void aGarbageExtensionHandshakeClosesTheConnection() throws Exception {
        try (RawPeer peer = connected(false, true)) {
            peer.send(new Message.Extended(0,
                    ByteBuffer.wrap("d1:md6:ut_pexi1e".getBytes(StandardCharsets.US_ASCII)))); // cut short
            assertTrue(peer.closedWithin(RawPeer.WAIT), "the engine kept the connection open");
        }
        swarm.aStampedeLeecherStillDownloadsEverything();
    }

    @Test
    void anExtendedMessageWithoutExtensionsNegotiatedClosesTheConnection() throws Exception {
        closesAndKeepsServing(MessageEncoder.encode(new Message.Extended(0, ByteBuffer.wrap(new byte[] {'d', 'e'}))));
    }

    @Test
    void pieceDataNobodyAskedForClosesTheConnection() throws Exception {
        // the engine under attack is a downloader with nothing yet; the seeder then proves it still downloads
        EngineImpl engine = swarm.newEngine(Swarm.settings(InetAddress.getLoopbackAddress()));
        TorrentHandle leech = swarm.addEmpty(engine, AddOptions.defaults());
        try (RawPeer peer = RawPeer.connect(engine.listenAddress())) {
            peer.handshake(swarm.infoHash(), swarm.geometry(), false, false);
            byte[] block = new byte[16384];
            new Random(3).nextBytes(block);
            peer.send(new Message.Piece(0, 0, ByteBuffer.wrap(block)));
            assertTrue(peer.closedWithin(RawPeer.WAIT), "the engine kept the connection open");
        }
        leech.connect(swarm.seederAddress());
        swarm.assertComplete(leech, 60);
    }
}
