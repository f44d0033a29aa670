package org.stampede.wire.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageEncoder;

/** Writes {@link Handshake}s and {@link Message}s into {@link IoBuffer}s; stateless, see {@link WireCodecFactory}. */
final class WireEncoder implements ProtocolEncoder {

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        switch (message) {
            case Message.Piece p -> {
                IoBuffer header = IoBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
                MessageEncoder.encodeHeader(p, header.buf());
                out.write(header.flip());
                // read-only: MINA never writes to it, and never recycles it into a buffer pool after sending
                out.write(IoBuffer.wrap(p.data().asReadOnlyBuffer()));
            }
            case Message m -> {
                IoBuffer buf = IoBuffer.allocate(MessageEncoder.encodedLength(m));
                MessageEncoder.encode(m, buf.buf());
                out.write(buf.flip());
            }
            case Handshake h -> {
                IoBuffer buf = IoBuffer.allocate(Handshake.LENGTH);
                h.encode(buf.buf());
                out.write(buf.flip());
            }
            default -> throw new IllegalArgumentException("not a peer wire message: " + message.getClass().getName());
        }
    }

    @Override
    public void dispose(IoSession session) {
        // nothing per session
    }
}
