package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.stampede.wire.Message;
import org.stampede.wire.MessageEncoder;

/** The direct buffers blocks are served from: bounded, reused, and holding a whole piece message. */
class BlockPoolTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void acquireMakesFramesUpToTheCapacityThenReturnsNull() {
        BlockPool pool = new BlockPool(3);
        for (int i = 0; i < 3; i++) {
            assertNotNull(pool.acquire());
        }
        assertNull(pool.acquire());
        assertEquals(3, pool.made());
    }

    @Test
    void aReleasedFrameIsReusedInsteadOfANewOne() {
        BlockPool pool = new BlockPool(2);
        BlockPool.Frame first = pool.acquire();
        first.release();
        assertSame(first, pool.acquire());
        assertEquals(1, pool.made());
    }

    @Test
    void anEncodedFrameHoldsThePieceMessageOfItsBlock() {
        BlockPool.Frame frame = new BlockPool(1).acquire();
        byte[] block = bytes(1000);
        frame.block(block.length).put(block);
        frame.encode(4, 16_384, block.length);
        byte[] wire = new byte[frame.message.remaining()];
        frame.message.duplicate().get(wire);
        assertArrayEquals(MessageEncoder.encode(new Message.Piece(4, 16_384, ByteBuffer.wrap(block))), wire);
    }

    @Test
    void aFullLengthBlockFitsAFrame() {
        BlockPool.Frame frame = new BlockPool(1).acquire();
        assertEquals(BlockPool.BLOCK, frame.block(BlockPool.BLOCK).remaining());
        frame.encode(0, 0, BlockPool.BLOCK);
        assertEquals(MessageEncoder.PIECE_HEADER_LENGTH + BlockPool.BLOCK, frame.message.remaining());
    }

    @Test
    void theDefaultSendPieceSendsACopyAndReleasesTheFrame() {
        BlockPool pool = new BlockPool(1);
        BlockPool.Frame frame = pool.acquire();
        byte[] block = bytes(300);
        frame.block(block.length).put(block);
        frame.encode(2, 32_768, block.length);
        ScriptedSession.Channel channel = new ScriptedSession.Channel(new InetSocketAddress("127.0.0.1", 1));
        channel.sendPiece(frame);
        assertSame(frame, pool.acquire()); // released
        frame.block(block.length).put(new byte[block.length]); // reused: the sent message must not change
        Message.Piece sent = (Message.Piece) channel.sent.poll();
        assertEquals(2, sent.index());
        assertEquals(32_768, sent.begin());
        byte[] got = new byte[sent.length()];
        sent.data().duplicate().get(got);
        assertArrayEquals(block, got);
        assertTrue(channel.sent.isEmpty());
    }
}
