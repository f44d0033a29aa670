package org.stampede.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Decodes and validates one message frame of a connection whose handshake is done. It knows the torrent's
 * {@link PieceGeometry} and which extensions both handshakes enabled; it has no other state, so one instance can serve
 * a connection for its lifetime and is safe to share between threads.
 * <p>
 * <b>Limits on frame lengths</b> (the length prefix counts the id byte and the payload), enforced by
 * {@link #checkLength(int)} as soon as the 4-byte prefix is known and by {@link #checkHeader(int, int)} as soon as the
 * id byte is known, that is before any payload is buffered:
 * <ul>
 * <li>no frame is longer than {@value #MAX_FRAME_LENGTH} bytes (1 MiB), whatever its id; a negative length is an
 * error;</li>
 * <li>choke, unchoke, interested, not interested, have all, have none: exactly 1; have, suggest piece, allowed fast:
 * exactly 5; request, cancel, reject request: exactly 13; port: exactly 3;</li>
 * <li>bitfield: exactly {@code 1 + ceil(pieceCount / 8)} (at most 1 + 2^19 for the largest torrents);</li>
 * <li>piece: 10 to {@code 9 + }{@value #MAX_BLOCK_LENGTH} (a block of 1 byte to 16 KiB);</li>
 * <li>extended: 2 to {@value #MAX_FRAME_LENGTH} (BEP 9 metadata pieces need 16 KiB and a small dictionary, a
 * 1 MiB cap leaves room for large PEX or other extension messages and still bounds memory per connection);</li>
 * <li>unknown ids: up to {@value #MAX_FRAME_LENGTH}; their payload is skipped, never buffered.</li>
 * </ul>
 * <b>Rules on contents</b> checked by {@link #decode}: piece indices below {@code pieceCount} (have, request, piece,
 * cancel, suggest, reject, allowed fast); offsets not negative and {@code begin + length} within the piece, whose last
 * instance is shorter; request, cancel and reject lengths 1 to 16 KiB; bitfield spare bits zero. Fast-extension
 * messages are refused unless both sides set the BEP 6 bit, extended messages unless both set the BEP 10 bit (BEP 6
 * and BEP 10 say the connection must then be closed).
 * <p>
 * What is not checked here, because it depends on the conversation rather than on one frame: that a bitfield, have
 * all or have none comes only first; that a piece or a reject answers an outstanding request; how many requests a
 * peer has queued. The engine's peer connection enforces those.
 */
public final class MessageDecoder {

    /** Largest block a request, cancel, reject or piece may carry: 16 KiB, as every client uses. */
    public static final int MAX_BLOCK_LENGTH = 16 * 1024;
    /** Largest length prefix accepted for any frame: 1 MiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 20;
    /** Largest length prefix of a piece message: id, index, begin and a 16 KiB block. */
    public static final int MAX_PIECE_FRAME_LENGTH = 9 + MAX_BLOCK_LENGTH;

    private final PieceGeometry geometry;
    private final boolean fast;
    private final boolean extensions;

    /**
     * @param geometry the torrent's pieces
     * @param fast whether both handshakes set the fast extension bit (BEP 6)
     * @param extensions whether both handshakes set the extension protocol bit (BEP 10)
     */
    public MessageDecoder(PieceGeometry geometry, boolean fast, boolean extensions) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.fast = fast;
        this.extensions = extensions;
    }

    /** @return a decoder for what both handshakes enable */
    public static MessageDecoder negotiated(PieceGeometry geometry, Handshake ours, Handshake theirs) {
        return new MessageDecoder(geometry, ours.supportsFast() && theirs.supportsFast(),
                ours.supportsExtensions() && theirs.supportsExtensions());
    }

    /** @return the torrent's pieces */
    public PieceGeometry geometry() {
        return geometry;
    }

    /** @return whether fast-extension messages are accepted */
    public boolean fastExtension() {
        return fast;
    }

    /** @return whether extended messages are accepted */
    public boolean extensionProtocol() {
        return extensions;
    }

    /**
     * Checks a length prefix the moment it is read: 0 (keep-alive) to {@value #MAX_FRAME_LENGTH}.
     *
     * @throws ProtocolException if it is negative (above 2^31 - 1 unsigned) or larger than the maximum
     */
    public static void checkLength(int length) throws ProtocolException {
        if (length < 0) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length)
                    + " is negative as a signed 32-bit integer (BEP 3 lengths are at most 2^31 - 1)");
        }
        if (length > MAX_FRAME_LENGTH) {
            throw new ProtocolException("frame length " + length + " exceeds the maximum of " + MAX_FRAME_LENGTH
                    + " bytes");
        }
    }

    /**
     * Checks a frame's length against its id the moment the id is read, before its payload is buffered.
     *
     * @param length the length prefix, already accepted by {@link #checkLength(int)}, at least 1
     * @param id the id byte, 0 to 255
     * @return true for a known id; false for an unknown id, whose payload the caller skips (BEP 3: ignore it)
     * @throws ProtocolException if the length is wrong for the id, or the id belongs to an extension not negotiated
     */
    public boolean checkHeader(int length, int id) throws ProtocolException {
        switch (id) {
            case Message.CHOKE, Message.UNCHOKE, Message.INTERESTED, Message.NOT_INTERESTED ->
                exactLength(id, length, 1);
            case Message.HAVE -> exactLength(id, length, 5);
            case Message.REQUEST, Message.CANCEL -> exactLength(id, length, 13);
            case Message.PORT -> exactLength(id, length, 3);
            case Message.BITFIELD -> {
                if (length != 1 + geometry.bitfieldLength()) {
                    throw new ProtocolException("bitfield: " + (length - 1) + " bytes for " + geometry.pieceCount()
                            + " pieces, expected " + geometry.bitfieldLength() + " (BEP 3: ceil(pieces / 8))");
                }
            }
            case Message.PIECE -> {
                if (length < 10) {
                    throw new ProtocolException("piece: length " + length + " leaves no block (at least 10)");
                }
                if (length > MAX_PIECE_FRAME_LENGTH) {
                    throw new ProtocolException("piece: block of " + (length - 9) + " bytes larger than 16 KiB");
                }
            }
            case Message.SUGGEST_PIECE, Message.ALLOWED_FAST -> {
                requireFast(id);
                exactLength(id, length, 5);
            }
            case Message.HAVE_ALL, Message.HAVE_NONE -> {
                requireFast(id);
                exactLength(id, length, 1);
            }
            case Message.REJECT_REQUEST -> {
                requireFast(id);
                exactLength(id, length, 13);
            }
            case Message.EXTENDED -> {
                if (!extensions) {
                    throw new ProtocolException("extended message without the extension protocol (BEP 10) negotiated");
                }
                if (length < 2) {
                    throw new ProtocolException("extended: length 1 has no extended message id (BEP 10)");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes one frame: the id byte and the payload, from {@code frame}'s position to its limit (the length prefix
     * is already consumed and {@link #checkLength checked}). The buffer's position and limit are not changed.
     * <p>
     * The frame is handed over: {@link Message.Bitfield}, {@link Message.Piece} and {@link Message.Extended} keep
     * views of its bytes rather than copies, so the caller must not change them afterwards. A frame with an unknown
     * id gives {@link Message.Unknown}.
     *
     * @throws ProtocolException if the frame breaks a rule listed in the class description
     */
    public Message decode(ByteBuffer frame) throws ProtocolException {
        int p = frame.position();
        int length = frame.remaining();
        if (length < 1) {
            throw new ProtocolException("empty frame passed as a message (a keep-alive has no frame)");
        }
        checkLength(length);
        int id = frame.get(p) & 0xff;
        if (!checkHeader(length, id)) {
            return new Message.Unknown(id, length);
        }
        return switch (id) {
            case Message.CHOKE -> Message.Choke.INSTANCE;
            case Message.UNCHOKE -> Message.Unchoke.INSTANCE;
            case Message.INTERESTED -> Message.Interested.INSTANCE;
            case Message.NOT_INTERESTED -> Message.NotInterested.INSTANCE;
            case Message.HAVE_ALL -> Message.HaveAll.INSTANCE;
            case Message.HAVE_NONE -> Message.HaveNone.INSTANCE;
            case Message.HAVE -> new Message.Have(index("have", intAt(frame, p + 1)));
            case Message.SUGGEST_PIECE -> new Message.SuggestPiece(index("suggest piece", intAt(frame, p + 1)));
            case Message.ALLOWED_FAST -> new Message.AllowedFast(index("allowed fast", intAt(frame, p + 1)));
            case Message.REQUEST -> {
                int index = intAt(frame, p + 1), begin = intAt(frame, p + 5), len = intAt(frame, p + 9);
                checkRequest("request", index, begin, len);
                yield new Message.Request(index, begin, len);
            }
            case Message.CANCEL -> {
                int index = intAt(frame, p + 1), begin = intAt(frame, p + 5), len = intAt(frame, p + 9);
                checkRequest("cancel", index, begin, len);
                yield new Message.Cancel(index, begin, len);
            }
            case Message.REJECT_REQUEST -> {
                int index = intAt(frame, p + 1), begin = intAt(frame, p + 5), len = intAt(frame, p + 9);
                checkRequest("reject request", index, begin, len);
                yield new Message.RejectRequest(index, begin, len);
            }
            case Message.PIECE -> {
                int index = intAt(frame, p + 1), begin = intAt(frame, p + 5);
                checkBlock("piece", index, begin, length - 9);
                yield new Message.Piece(index, begin, frame.slice(p + 9, length - 9));
            }
            case Message.BITFIELD -> {
                checkSpareBits(frame, p + length - 1);
                yield new Message.Bitfield(frame.slice(p + 1, length - 1));
            }
            case Message.PORT -> new Message.Port(((frame.get(p + 1) & 0xff) << 8) | (frame.get(p + 2) & 0xff));
            case Message.EXTENDED -> new Message.Extended(frame.get(p + 1) & 0xff, frame.slice(p + 2, length - 2));
            default -> throw new IllegalStateException("id " + id + " passed checkHeader but has no decoder");
        };
    }

    /** @return whether a message with this id keeps a view of its frame's bytes (bitfield, piece, extended) */
    public static boolean keepsPayload(int id) {
        return id == Message.BITFIELD || id == Message.PIECE || id == Message.EXTENDED;
    }

    private void requireFast(int id) throws ProtocolException {
        if (!fast) {
            throw new ProtocolException(name(id) + " without the fast extension (BEP 6) negotiated");
        }
    }

    private static void exactLength(int id, int length, int expected) throws ProtocolException {
        if (length != expected) {
            throw new ProtocolException(name(id) + ": length " + length + ", expected " + expected + " (BEP "
                    + (id >= Message.SUGGEST_PIECE ? "6" : id == Message.PORT ? "5" : "3") + ")");
        }
    }

    private int index(String what, int index) throws ProtocolException {
        if (index < 0 || index >= geometry.pieceCount()) {
            throw new ProtocolException(what + ": piece " + Integer.toUnsignedString(index)
                    + " out of range (torrent has " + geometry.pieceCount() + " pieces)");
        }
        return index;
    }

    private void checkRequest(String what, int index, int begin, int length) throws ProtocolException {
        if (length > MAX_BLOCK_LENGTH || length < 0) {
            throw new ProtocolException(what + " larger than 16 KiB: length " + Integer.toUnsignedString(length)
                    + " (piece " + Integer.toUnsignedString(index) + ", begin " + Integer.toUnsignedString(begin)
                    + ")");
        }
        if (length == 0) {
            throw new ProtocolException(what + ": length 0 (piece " + Integer.toUnsignedString(index) + ", begin "
                    + Integer.toUnsignedString(begin) + ")");
        }
        checkBlock(what, index, begin, length);
    }

    private void checkBlock(String what, int index, int begin, int length) throws ProtocolException {
        index(what, index);
        int size = geometry.pieceSize(index);
        if (begin < 0 || (long) begin + length > size) {
            throw new ProtocolException(what + ": block [begin " + Integer.toUnsignedString(begin) + ", length "
                    + length + "] past the end of piece " + index + " (" + size + " bytes"
                    + (index == geometry.pieceCount() - 1 ? ", the last piece" : "") + ")");
        }
    }

    private void checkSpareBits(ByteBuffer frame, int lastByte) throws ProtocolException {
        int spare = geometry.bitfieldLength() * 8 - geometry.pieceCount();
        if (spare > 0 && (frame.get(lastByte) & ((1 << spare) - 1)) != 0) {
            throw new ProtocolException("bitfield: spare bits set after piece " + (geometry.pieceCount() - 1)
                    + " (BEP 3: they must be zero)");
        }
    }

    /** The big-endian int at absolute {@code index}, whatever the buffer's byte order. */
    static int intAt(ByteBuffer b, int index) {
        int v = b.getInt(index);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** @return the BEP name of a message id, for messages */
    static String name(int id) {
        return switch (id) {
            case Message.CHOKE -> "choke";
            case Message.UNCHOKE -> "unchoke";
            case Message.INTERESTED -> "interested";
            case Message.NOT_INTERESTED -> "not interested";
            case Message.HAVE -> "have";
            case Message.BITFIELD -> "bitfield";
            case Message.REQUEST -> "request";
            case Message.PIECE -> "piece";
            case Message.CANCEL -> "cancel";
            case Message.PORT -> "port";
            case Message.SUGGEST_PIECE -> "suggest piece";
            case Message.HAVE_ALL -> "have all";
            case Message.HAVE_NONE -> "have none";
            case Message.REJECT_REQUEST -> "reject request";
            case Message.ALLOWED_FAST -> "allowed fast";
            case Message.EXTENDED -> "extended";
            default -> "message " + id;
        };
    }
}
