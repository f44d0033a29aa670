package org.stampede.wire;

import java.nio.ByteBuffer;

/**
 * Writes messages in their wire form: a 4-byte big-endian length prefix, the id byte and the payload. Stateless;
 * nothing is allocated except by {@link #encode(Message)}. Destination buffers must be in big-endian order (the
 * {@link ByteBuffer} default).
 * <p>
 * A piece message can be sent without copying its block: write {@link #encodeHeader(Message.Piece, ByteBuffer) its
 * 13-byte header} and then the block buffer itself.
 */
public final class MessageEncoder {

    /** Bytes of a piece message before its block: length prefix, id, index, begin. */
    public static final int PIECE_HEADER_LENGTH = 13;

    private MessageEncoder() {
    }

    /**
     * @return the number of bytes {@code m} takes on the wire, length prefix included
     * @throws IllegalArgumentException for {@link Message.Unknown}, which cannot be sent
     */
    public static int encodedLength(Message m) {
        return 4 + switch (m) {
            case Message.KeepAlive k -> 0;
            case Message.Choke c -> 1;
            case Message.Unchoke u -> 1;
            case Message.Interested i -> 1;
            case Message.NotInterested n -> 1;
            case Message.HaveAll h -> 1;
            case Message.HaveNone h -> 1;
            case Message.Have h -> 5;
            case Message.SuggestPiece s -> 5;
            case Message.AllowedFast a -> 5;
            case Message.Request r -> 13;
            case Message.Cancel c -> 13;
            case Message.RejectRequest r -> 13;
            case Message.Port p -> 3;
            case Message.Bitfield b -> 1 + b.length();
            case Message.Piece p -> 9 + p.length();
            case Message.Extended e -> 2 + e.payload().remaining();
            case Message.Unknown u -> throw new IllegalArgumentException("an unknown message cannot be encoded: " + u);
        };
    }

    /**
     * Writes {@code m} at {@code dst}'s position, which advances by {@link #encodedLength(Message)}. Payload buffers
     * are read without moving their positions.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has too little room
     * @throws IllegalArgumentException for {@link Message.Unknown}
     */
    public static void encode(Message m, ByteBuffer dst) {
        int length = encodedLength(m) - 4;
        dst.putInt(length);
        if (length == 0) {
            return;
        }
        dst.put((byte) m.id());
        switch (m) {
            case Message.Have h -> dst.putInt(h.index());
            case Message.SuggestPiece s -> dst.putInt(s.index());
            case Message.AllowedFast a -> dst.putInt(a.index());
            case Message.Request r -> dst.putInt(r.index()).putInt(r.begin()).putInt(r.length());
            case Message.Cancel c -> dst.putInt(c.index()).putInt(c.begin()).putInt(c.length());
            case Message.RejectRequest r -> dst.putInt(r.index()).putInt(r.begin()).putInt(r.length());
            case Message.Port p -> dst.putShort((short) p.port());
            case Message.Bitfield b -> dst.put(dst.position(), b.bits(), b.bits().position(), b.length())
                    .position(dst.position() + b.length());
            case Message.Piece p -> dst.putInt(p.index()).putInt(p.begin())
                    .put(dst.position(), p.data(), p.data().position(), p.length())
                    .position(dst.position() + p.length());
            case Message.Extended e -> dst.put((byte) e.extendedId())
                    .put(dst.position(), e.payload(), e.payload().position(), e.payload().remaining())
                    .position(dst.position() + e.payload().remaining());
            default -> {
                // choke, unchoke, interested, not interested, have all, have none: the id is all
            }
        }
    }

    /** @return a new array holding {@code m}'s wire form */
    public static byte[] encode(Message m) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(m));
        encode(m, b);
        return b.array();
    }

    /**
     * Writes the first {@value #PIECE_HEADER_LENGTH} bytes of {@code p}'s wire form (length prefix, id, index,
     * begin); its block follows as the remaining bytes of {@link Message.Piece#data()}.
     */
    public static void encodeHeader(Message.Piece p, ByteBuffer dst) {
        encodeHeader(p.index(), p.begin(), p.length(), dst);
    }

    /**
     * Writes the {@value #PIECE_HEADER_LENGTH}-byte header of a piece message for a block of {@code length} bytes at
     * {@code begin} in piece {@code index}, for a sender that puts the block right after it in the same buffer.
     */
    public static void encodeHeader(int index, int begin, int length, ByteBuffer dst) {
        dst.putInt(9 + length).put((byte) Message.PIECE).putInt(index).putInt(begin);
    }
}
