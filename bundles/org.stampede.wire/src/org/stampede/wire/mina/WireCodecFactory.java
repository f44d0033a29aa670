package org.stampede.wire.mina;

import java.util.Objects;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.ProtocolException;
import org.stampede.wire.WireReader;

/**
 * The peer wire protocol for a MINA {@code ProtocolCodecFilter}. Upstream, a session receives the peer's
 * {@link Handshake} first and then {@link Message}s; downstream it accepts the same two types (our handshake first).
 * <p>
 * The factory is stateless and can serve every session of an acceptor or connector: its decoder keeps each session's
 * receive state (a {@link WireReader}: handshake done or not, the torrent's geometry, a frame in progress) in a
 * session attribute, see {@link #reader(IoSession)}. All protocol rules live in {@code org.stampede.wire}; this
 * package only connects them to MINA's buffers.
 * <p>
 * The decoder is a plain {@code ProtocolDecoder}, not MINA's {@code CumulativeProtocolDecoder}: that class keeps
 * unconsumed input in a session buffer, appends each new read to it and compacts it after every read, so a frame
 * trickling in byte by byte is copied again on every arrival (quadratic time), and a read that follows a leftover
 * fragment is copied once more before decoding (a second copy of piece data). {@link WireReader} consumes every byte
 * at once instead; see there for the limits it enforces before buffering anything.
 * <p>
 * The encoder writes each message into one {@code IoBuffer} from MINA's allocator, of exactly the message's size,
 * except a piece message: its 13-byte header goes in a small buffer and its block follows as a read-only view of
 * {@link Message.Piece#data()}, which is not copied; the caller must not change those bytes until the write
 * completes.
 */
public final class WireCodecFactory implements ProtocolCodecFactory {

    /** Chooses how a session's frames are decoded once the peer's handshake is in. */
    @FunctionalInterface
    public interface SessionResolver {
        /**
         * Called on MINA's I/O thread when the peer's handshake on {@code session} is complete; must not block.
         *
         * @return the decoder for the torrent and negotiated extensions (see {@link MessageDecoder#negotiated})
         * @throws ProtocolException to refuse the peer (unknown torrent, not the torrent we asked for)
         */
        MessageDecoder resolve(IoSession session, Handshake peer) throws ProtocolException;
    }

    private final WireEncoder encoder = new WireEncoder();
    private final WireDecoder decoder;

    /** @param resolver called once per session with the peer's handshake */
    public WireCodecFactory(SessionResolver resolver) {
        this.decoder = new WireDecoder(Objects.requireNonNull(resolver, "resolver"));
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }

    /** @return the session's receive state, or null before its first bytes arrived */
    public static WireReader reader(IoSession session) {
        Object state = session.getAttribute(WireDecoder.STATE);
        return state instanceof WireDecoder.SessionState s ? s.reader : null;
    }
}
