package org.stampede.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns the bytes one peer sends, in chunks of any size, into its {@link Handshake} and then its {@link Message}s.
 * It holds the connection's receive state and knows nothing of the network library: the MINA codec
 * ({@code org.stampede.wire.mina}) is a thin adapter that feeds it.
 * <p>
 * <b>Bounded memory.</b> A length prefix is checked ({@link MessageDecoder#checkLength}) as soon as its 4 bytes are
 * in, and against its id ({@link MessageDecoder#checkHeader}) as soon as the id byte is in, before any payload is
 * buffered: a peer announcing 2^31 - 1 bytes is refused after 4 bytes. A frame of an unknown id is skipped as it
 * arrives, never buffered. An incomplete frame of up to {@link MessageDecoder#MAX_PIECE_FRAME_LENGTH} bytes (a piece
 * message, or anything smaller) gets a buffer of its size at once; a longer one (a large bitfield or extended
 * message) starts at that size and doubles as bytes actually arrive, so memory follows what the peer sent, not what
 * it claimed. The garbage of a peer that is not speaking BitTorrent is refused at its first wrong handshake byte.
 * <p>
 * <b>Linear time.</b> Every received byte is looked at or copied a constant number of times, whatever the chunk
 * sizes: input trickling in byte by byte costs the same per byte as input arriving in large reads. (A decoder that
 * keeps unconsumed input in the network library's buffer and compacts it on every read would copy a pending frame
 * again on each arrival, which is quadratic.) This reader therefore always consumes all of its input.
 * <p>
 * <b>Piece data is copied once.</b> The path of a block from the socket to storage: the kernel fills the network
 * library's read buffer; this reader copies the piece frame out of it, once, into a byte array the
 * {@link Message.Piece} owns (directly if the frame is complete in the read buffer, or piecewise as its parts arrive
 * otherwise); {@link Message.Piece#data()} is a view of that array, which the engine hands to storage to write to
 * the file. The read buffer cannot be referenced instead because the network library reuses it after this call. Small
 * messages without payload (have, request, ...) are decoded straight from the read buffer without copying.
 * <p>
 * After a {@link ProtocolException} the reader is failed: it discards all further input, and the connection should
 * be closed. A reader serves one connection and is not thread-safe; network libraries deliver a connection's input
 * from one thread at a time.
 */
public final class WireReader {

    /** Chooses how the frames after a peer's handshake are decoded. */
    @ConsumerType
    @FunctionalInterface
    public interface Resolver {
        /**
         * Called once, from {@link WireReader#read}, when the peer's handshake is complete and before it is passed
         * on; it must not block. An acceptor looks the torrent up by {@link Handshake#infoHash()}, an initiator checks
         * it is the torrent it asked for.
         *
         * @return the decoder for the connection's torrent and negotiated extensions, see
         *         {@link MessageDecoder#negotiated}; not null
         * @throws ProtocolException to refuse the peer, for example for a torrent we do not have
         */
        MessageDecoder resolve(Handshake peer) throws ProtocolException;
    }

    /** Receives what the reader decodes, in the order it was sent. */
    @ConsumerType
    public interface Sink {
        /** The peer's handshake, once, first. */
        void handshake(Handshake handshake);

        /** The next message. */
        void message(Message message);
    }

    private static final int HANDSHAKE = 0, PREFIX = 1, BODY = 2, SKIP = 3, FAILED = 4;

    /** Frames up to this length get their whole buffer at once; longer ones grow as bytes arrive. */
    static final int PREALLOCATE_LIMIT = MessageDecoder.MAX_PIECE_FRAME_LENGTH;

    private final Resolver resolver;
    private MessageDecoder decoder;
    private Handshake peer;
    private int state;
    /** The handshake as it arrives, then the length prefix as it arrives. */
    private final byte[] head;
    private int headFill;
    /** The current frame's length prefix, its id (-1 until read), its buffer and how much of it is filled. */
    private int frameLength;
    private int frameId;
    private byte[] frame;
    private int frameFill;
    private int skipLeft;

    /** A reader that starts with the peer's handshake and asks {@code resolver} how to go on. */
    public WireReader(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.head = new byte[Handshake.LENGTH];
        this.state = HANDSHAKE;
    }

    /** A reader of a connection whose handshakes are done: message frames from the first byte. */
    public WireReader(MessageDecoder decoder) {
        this.resolver = null;
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.head = new byte[4];
        this.state = PREFIX;
    }

    /**
     * Consumes all remaining bytes of {@code in} (its position ends at its limit) and passes on, in order, what they
     * complete. What is incomplete is kept for the next call.
     *
     * @throws ProtocolException if the peer broke the protocol; the reader is then failed (see class description)
     */
    public void read(ByteBuffer in, Sink sink) throws ProtocolException {
        if (state == FAILED) {
            in.position(in.limit());
            return;
        }
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case HANDSHAKE -> readHandshake(in, sink);
                    case PREFIX -> readPrefix(in, sink);
                    case BODY -> readBody(in, sink);
                    default -> skip(in, sink);
                }
            }
        } catch (ProtocolException | RuntimeException e) {
            state = FAILED;
            frame = null;
            in.position(in.limit());
            throw e;
        }
    }

    /** @return whether the peer's handshake has been read */
    public boolean handshakeDone() {
        return decoder != null;
    }

    /** @return the peer's handshake, or null before it is complete (or when constructed without one) */
    public Handshake peerHandshake() {
        return peer;
    }

    /** @return the decoder in use, or null before the handshake */
    public MessageDecoder decoder() {
        return decoder;
    }

    /** @return whether a protocol error has stopped this reader */
    public boolean failed() {
        return state == FAILED;
    }

    /** @return bytes held for an incomplete frame (besides the fixed 68-byte handshake buffer) */
    public int bufferedBytes() {
        return frame == null ? 0 : frame.length;
    }

    private void readHandshake(ByteBuffer in, Sink sink) throws ProtocolException {
        int n = Math.min(in.remaining(), Handshake.LENGTH - headFill);
        in.get(head, headFill, n);
        for (int i = headFill, end = Math.min(headFill + n, 20); i < end; i++) {
            Handshake.checkByte(head, i);
        }
        headFill += n;
        if (headFill < Handshake.LENGTH) {
            return;
        }
        Handshake h = Handshake.decode(head);
        MessageDecoder d = resolver.resolve(h);
        if (d == null) {
            throw new IllegalStateException("the resolver returned no decoder for " + h);
        }
        peer = h;
        decoder = d;
        headFill = 0;
        state = PREFIX;
        sink.handshake(h);
    }

    private void readPrefix(ByteBuffer in, Sink sink) throws ProtocolException {
        if (headFill == 0 && in.remaining() >= 4) {
            frameLength = MessageDecoder.intAt(in, in.position());
            in.position(in.position() + 4);
        } else {
            int n = Math.min(in.remaining(), 4 - headFill);
            in.get(head, headFill, n);
            headFill += n;
            if (headFill < 4) {
                return;
            }
            headFill = 0;
            frameLength = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
        }
        MessageDecoder.checkLength(frameLength);
        if (frameLength == 0) {
            sink.message(Message.KeepAlive.INSTANCE);
            return;
        }
        state = BODY;
        frameId = -1;
        frameFill = 0;
    }

    private void readBody(ByteBuffer in, Sink sink) throws ProtocolException {
        if (frameId < 0) {
            frameId = in.get(in.position()) & 0xff;
            if (!decoder.checkHeader(frameLength, frameId)) {
                state = SKIP;
                skipLeft = frameLength;
                return;
            }
            if (in.remaining() >= frameLength) {
                decodeInPlace(in, sink);
                return;
            }
            frame = new byte[frameLength <= PREALLOCATE_LIMIT ? frameLength
                    : Math.max(PREALLOCATE_LIMIT, in.remaining())];
        }
        int n = Math.min(in.remaining(), frameLength - frameFill);
        if (frameFill + n > frame.length) {
            byte[] grown = new byte[Math.max(frameFill + n, (int) Math.min(2L * frame.length, frameLength))];
            System.arraycopy(frame, 0, grown, 0, frameFill);
            frame = grown;
        }
        in.get(frame, frameFill, n);
        frameFill += n;
        if (frameFill == frameLength) {
            byte[] complete = frame;
            frame = null;
            state = PREFIX;
            sink.message(decoder.decode(ByteBuffer.wrap(complete, 0, frameLength)));
        }
    }

    /** The whole frame is in {@code in}: decode it there, copying only a payload the message keeps. */
    private void decodeInPlace(ByteBuffer in, Sink sink) throws ProtocolException {
        int start = in.position();
        int end = start + frameLength;
        Message m;
        if (MessageDecoder.keepsPayload(frameId)) {
            byte[] copy = new byte[frameLength];
            in.get(start, copy);
            m = decoder.decode(ByteBuffer.wrap(copy));
        } else {
            int limit = in.limit();
            in.limit(end);
            try {
                m = decoder.decode(in);
            } finally {
                in.limit(limit);
            }
        }
        in.position(end);
        state = PREFIX;
        sink.message(m);
    }

    private void skip(ByteBuffer in, Sink sink) {
        int n = Math.min(in.remaining(), skipLeft);
        in.position(in.position() + n);
        skipLeft -= n;
        if (skipLeft == 0) {
            state = PREFIX;
            sink.message(new Message.Unknown(frameId, frameLength));
        }
    }
}
