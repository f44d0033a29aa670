package org.stampede.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A peer wire message after the handshake: BEP 3, the fast extension (BEP 6) and the extension protocol (BEP 10).
 * <p>
 * <b>Why a sealed interface of small immutable records.</b> A decoded message crosses threads: the network thread
 * decodes it and the engine handles it elsewhere, so it must be safe to hand over and to keep. Immutable records need
 * no copying or recycling protocol for that, which a mutable flyweight would (and a flyweight reused too early is a
 * data race that corrupts blocks silently). Messages without a payload are enum singletons ({@link Choke#INSTANCE}
 * and so on) and cost nothing; the others are one object of 16 to 24 bytes, next to the 16 KiB a piece message
 * carries, and the JIT removes many of them by escape analysis. The sealed hierarchy lets a handler {@code switch}
 * over all messages with the compiler checking that none is forgotten.
 * <p>
 * <b>Payloads are views, never copies.</b> {@link Bitfield#bits()}, {@link Piece#data()} and
 * {@link Extended#payload()} are {@link ByteBuffer}s over the bytes they carry; their content is the buffer's
 * remaining bytes. A decoded message owns its buffer exclusively (see {@link WireReader} for the single copy from the
 * socket buffer), so the engine may hand {@link Piece#data()} straight to storage. Receivers must not move a buffer's
 * position or limit while others still use the message; use {@link ByteBuffer#duplicate()} to read relatively.
 * <p>
 * Keep-alive has no id; {@link #id()} returns {@code -1} for it. {@link Unknown} reports a message whose id is not
 * known here: BEP 3 says to ignore those, so its payload is skipped and only its id and length are kept.
 */
@ProviderType
public sealed interface Message {

    /** Message ids (the byte after the length prefix). */
    int CHOKE = 0, UNCHOKE = 1, INTERESTED = 2, NOT_INTERESTED = 3, HAVE = 4, BITFIELD = 5, REQUEST = 6, PIECE = 7,
            CANCEL = 8, PORT = 9, SUGGEST_PIECE = 13, HAVE_ALL = 14, HAVE_NONE = 15, REJECT_REQUEST = 16,
            ALLOWED_FAST = 17, EXTENDED = 20;

    /** @return the message id, or -1 for a keep-alive */
    int id();

    /** Keep-alive: a length prefix of 0 and nothing else. */
    enum KeepAlive implements Message {
        INSTANCE;

        @Override
        public int id() {
            return -1;
        }
    }

    /** The sender will not answer requests (BEP 3; with BEP 6 it rejects them explicitly). */
    enum Choke implements Message {
        INSTANCE;

        @Override
        public int id() {
            return CHOKE;
        }
    }

    /** The sender will answer requests. */
    enum Unchoke implements Message {
        INSTANCE;

        @Override
        public int id() {
            return UNCHOKE;
        }
    }

    /** The sender wants pieces the receiver has. */
    enum Interested implements Message {
        INSTANCE;

        @Override
        public int id() {
            return INTERESTED;
        }
    }

    /** The sender wants nothing the receiver has. */
    enum NotInterested implements Message {
        INSTANCE;

        @Override
        public int id() {
            return NOT_INTERESTED;
        }
    }

    /** The sender has all pieces (BEP 6), instead of a bitfield. */
    enum HaveAll implements Message {
        INSTANCE;

        @Override
        public int id() {
            return HAVE_ALL;
        }
    }

    /** The sender has no piece (BEP 6), instead of a bitfield. */
    enum HaveNone implements Message {
        INSTANCE;

        @Override
        public int id() {
            return HAVE_NONE;
        }
    }

    /** The sender has verified piece {@code index}. */
    record Have(int index) implements Message {
        /** @throws IllegalArgumentException if {@code index} is negative */
        public Have {
            checkIndex(index);
        }

        @Override
        public int id() {
            return HAVE;
        }
    }

    /**
     * The pieces the sender has, sent once right after the handshake: bit 7 of byte 0 is piece 0. The bits are the
     * remaining bytes of {@link #bits()}.
     */
    record Bitfield(ByteBuffer bits) implements Message {
        /** @throws NullPointerException if {@code bits} is null */
        public Bitfield {
            Objects.requireNonNull(bits, "bits");
        }

        /** @return a bitfield over {@code bytes} (not copied) */
        public static Bitfield of(byte[] bytes) {
            return new Bitfield(ByteBuffer.wrap(bytes));
        }

        /** @return the number of bytes */
        public int length() {
            return bits.remaining();
        }

        /** @return whether the bit of piece {@code index} is set ({@code index} below 8 times {@link #length()}) */
        public boolean hasPiece(int index) {
            return (bits.get(bits.position() + (index >>> 3)) & (0x80 >>> (index & 7))) != 0;
        }

        @Override
        public int id() {
            return BITFIELD;
        }
    }

    /** Asks for {@code length} bytes of piece {@code index} from offset {@code begin}. */
    record Request(int index, int begin, int length) implements Message {
        /** @throws IllegalArgumentException if a value is negative or the length is 0 */
        public Request {
            checkBlock(index, begin, length);
        }

        @Override
        public int id() {
            return REQUEST;
        }
    }

    /** A block: the remaining bytes of {@code data} are piece {@code index} from offset {@code begin}. */
    record Piece(int index, int begin, ByteBuffer data) implements Message {
        /** @throws IllegalArgumentException if {@code index} or {@code begin} is negative or there is no data */
        public Piece {
            checkBlock(index, begin, data.remaining());
        }

        /** @return the number of bytes of the block */
        public int length() {
            return data.remaining();
        }

        @Override
        public int id() {
            return PIECE;
        }
    }

    /** Withdraws a {@link Request} with the same values. */
    record Cancel(int index, int begin, int length) implements Message {
        /** @throws IllegalArgumentException if a value is negative or the length is 0 */
        public Cancel {
            checkBlock(index, begin, length);
        }

        @Override
        public int id() {
            return CANCEL;
        }
    }

    /** The sender's DHT node listens on UDP port {@code port} (BEP 5); 0 to 65535, 0 meaning no usable port. */
    record Port(int port) implements Message {
        /** @throws IllegalArgumentException if {@code port} is not 0 to 65535 */
        public Port {
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("port " + port + " is not 0 to 65535");
            }
        }

        @Override
        public int id() {
            return PORT;
        }
    }

    /** The sender suggests downloading piece {@code index} (BEP 6). */
    record SuggestPiece(int index) implements Message {
        /** @throws IllegalArgumentException if {@code index} is negative */
        public SuggestPiece {
            checkIndex(index);
        }

        @Override
        public int id() {
            return SUGGEST_PIECE;
        }
    }

    /** The sender will not answer the {@link Request} with these values (BEP 6). */
    record RejectRequest(int index, int begin, int length) implements Message {
        /** @throws IllegalArgumentException if a value is negative or the length is 0 */
        public RejectRequest {
            checkBlock(index, begin, length);
        }

        @Override
        public int id() {
            return REJECT_REQUEST;
        }
    }

    /** The sender will answer requests for piece {@code index} even while it chokes the receiver (BEP 6). */
    record AllowedFast(int index) implements Message {
        /** @throws IllegalArgumentException if {@code index} is negative */
        public AllowedFast {
            checkIndex(index);
        }

        @Override
        public int id() {
            return ALLOWED_FAST;
        }
    }

    /**
     * A BEP 10 message: extended id 0 is the {@link ExtensionHandshake}, others are the ids the receiver gave in its
     * extension handshake. The message's bytes are the remaining bytes of {@code payload}.
     */
    record Extended(int extendedId, ByteBuffer payload) implements Message {
        /** @throws IllegalArgumentException if {@code extendedId} is not 0 to 255 */
        public Extended {
            if (extendedId < 0 || extendedId > 0xff) {
                throw new IllegalArgumentException("extended id " + extendedId + " is not 0 to 255");
            }
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public int id() {
            return EXTENDED;
        }
    }

    /**
     * A message with an id this decoder does not know, which BEP 3 says to ignore. Its payload was skipped, not
     * buffered; {@code length} is its length prefix (id byte included). It is reported for statistics and logs and
     * cannot be encoded.
     */
    record Unknown(int id, int length) implements Message {
    }

    private static void checkIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("piece index " + index + " is negative");
        }
    }

    private static void checkBlock(int index, int begin, int length) {
        if (index < 0 || begin < 0 || length < 1) {
            throw new IllegalArgumentException("block (index " + index + ", begin " + begin + ", length " + length
                    + ") needs a non-negative index and begin and a positive length");
        }
    }
}
