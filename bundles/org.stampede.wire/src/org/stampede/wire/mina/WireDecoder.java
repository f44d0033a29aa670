package org.stampede.wire.mina;

import java.nio.ByteBuffer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.ProtocolException;
import org.stampede.wire.WireReader;

/** Feeds a session's input to its {@link WireReader}; stateless itself, see {@link WireCodecFactory}. */
final class WireDecoder implements ProtocolDecoder {

    static final AttributeKey STATE = new AttributeKey(WireDecoder.class, "state");
    /** Bytes of the failing read shown in an error's hex dump. */
    private static final int HEXDUMP_BYTES = 32;

    private final WireCodecFactory.SessionResolver resolver;

    WireDecoder(WireCodecFactory.SessionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        SessionState state = (SessionState) session.getAttribute(STATE);
        if (state == null) {
            state = new SessionState(session, resolver);
            session.setAttribute(STATE, state);
        }
        ByteBuffer buf = in.buf();
        int start = buf.position();
        state.out = out;
        try {
            state.reader.read(buf, state);
        } catch (ProtocolException e) {
            ProtocolDecoderException pde = new ProtocolDecoderException(e.getMessage(), e);
            // set it here so that MINA does not dump the whole read buffer
            pde.setHexdump(hex(buf, start));
            throw pde;
        } finally {
            state.out = null;
        }
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // an incomplete frame at the end of the stream is dropped: there is nothing to deliver
    }

    @Override
    public void dispose(IoSession session) {
        session.removeAttribute(STATE);
    }

    private static String hex(ByteBuffer buf, int start) {
        int end = Math.min(buf.limit(), start + HEXDUMP_BYTES);
        StringBuilder sb = new StringBuilder(3 * HEXDUMP_BYTES + 4);
        for (int i = start; i < end; i++) {
            if (i > start) {
                sb.append(' ');
            }
            int b = buf.get(i) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return buf.limit() > end ? sb.append(" ...").toString() : sb.toString();
    }

    /** A session's reader, and the output of the decode call in progress. */
    static final class SessionState implements WireReader.Sink, WireReader.Resolver {
        final WireReader reader;
        private final IoSession session;
        private final WireCodecFactory.SessionResolver resolver;
        ProtocolDecoderOutput out;

        SessionState(IoSession session, WireCodecFactory.SessionResolver resolver) {
            this.session = session;
            this.resolver = resolver;
            this.reader = new WireReader(this);
        }

        @Override
        public MessageDecoder resolve(Handshake peer) throws ProtocolException {
            return resolver.resolve(session, peer);
        }

        @Override
        public void handshake(Handshake handshake) {
            out.write(handshake);
        }

        @Override
        public void message(Message message) {
            out.write(message);
        }
    }
}
