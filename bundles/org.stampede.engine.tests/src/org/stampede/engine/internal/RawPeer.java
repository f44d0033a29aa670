package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.MessageEncoder;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;
import org.stampede.wire.ProtocolException;

/**
 * A peer driven by hand, for hostile-input tests: a plain blocking socket on loopback that writes whatever bytes a
 * test gives it (valid frames from the wire encoder, or hand-crafted bad ones) and reads the engine's answers with
 * the wire decoder. Every read has a deadline, so no test can hang on it.
 */
final class RawPeer implements AutoCloseable {
    /** How long a test waits for something the engine should do promptly; generous, for slow machines. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private MessageDecoder decoder;
    private long received;

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) WAIT.toMillis());
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new RawPeer(s);
    }

    /** Our handshake for {@code infoHash}, with a fresh peer id, offering the extensions asked for. */
    static Handshake handshakeFor(byte[] infoHash, boolean fast, boolean extensions) {
        return Handshake.of(infoHash, PeerId.random(), fast, extensions, false);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(Message m) throws IOException {
        send(MessageEncoder.encode(m));
    }

    /** A frame as it goes on the wire: the length prefix (any value, even a lying one), then the bytes given. */
    static byte[] frame(int lengthPrefix, byte... body) {
        return ByteBuffer.allocate(4 + body.length).putInt(lengthPrefix).put(body).array();
    }

    /** Initiates: sends our handshake, reads the engine's; later messages decode with what both sides offered. */
    Handshake handshake(byte[] infoHash, PieceGeometry geometry, boolean fast, boolean extensions)
            throws IOException {
        Handshake ours = handshakeFor(infoHash, fast, extensions);
        send(ours.encode());
        Handshake theirs = readHandshake();
        decoder = MessageDecoder.negotiated(geometry, ours, theirs);
        return theirs;
    }

    /** Answers: reads the engine's handshake first, then sends ours for the same torrent. */
    Handshake answerHandshake(PieceGeometry geometry, boolean fast, boolean extensions) throws IOException {
        Handshake theirs = readHandshake();
        Handshake ours = handshakeFor(theirs.infoHash(), fast, extensions);
        send(ours.encode());
        decoder = MessageDecoder.negotiated(geometry, ours, theirs);
        return theirs;
    }

    Handshake readHandshake() throws IOException {
        byte[] raw = new byte[Handshake.LENGTH];
        readFully(raw, deadline(WAIT));
        try {
            return Handshake.decode(ByteBuffer.wrap(raw));
        } catch (ProtocolException e) {
            throw new IOException("the engine sent a bad handshake: " + e.getMessage(), e);
        }
    }

    /**
     * The engine's next message.
     *
     * @throws SocketTimeoutException when none comes in time
     * @throws EOFException when the engine closes the connection
     */
    Message next(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        byte[] prefix = new byte[4];
        readFully(prefix, deadline);
        int length = ByteBuffer.wrap(prefix).getInt();
        try {
            MessageDecoder.checkLength(length);
            if (length == 0) {
                return Message.KeepAlive.INSTANCE;
            }
            byte[] body = new byte[length];
            readFully(body, deadline);
            return decoder.decode(ByteBuffer.wrap(body));
        } catch (ProtocolException e) {
            throw new IOException("the engine sent a bad message: " + e.getMessage(), e);
        }
    }

    /** Reads messages until one of {@code type} comes, skipping others; fails the test when none does in time. */
    <T extends Message> T await(Class<T> type, Duration timeout) throws IOException {
        T m = poll(type, timeout);
        return m != null ? m : fail("no " + type.getSimpleName() + " from the engine within " + timeout);
    }

    /**
     * Reads messages until one of {@code type} comes, skipping others.
     *
     * @return it, or null when none came within {@code timeout}
     */
    <T extends Message> T poll(Class<T> type, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Message m;
            try {
                m = next(Duration.ofNanos(left));
            } catch (SocketTimeoutException e) {
                return null;
            } catch (EOFException | SocketException e) {
                return fail("the engine closed the connection while we waited for a " + type.getSimpleName()
                        + ": " + e);
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    /**
     * Reads and discards whatever the engine sends until it closes the connection (end of stream or reset).
     *
     * @return true when it closed within {@code timeout}, false when it was still open then
     */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        byte[] sink = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int n = in.read(sink);
                if (n < 0) {
                    return true;
                }
                received += n;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the engine
            }
        }
    }

    /** Whether the engine has closed the connection, looking only at what is already here (waits at most 1 ms). */
    boolean closedNow() throws IOException {
        return closedWithin(Duration.ofMillis(1));
    }

    /** Bytes of the engine's that {@link #closedWithin} read and discarded. */
    long discarded() {
        return received;
    }

    private void readFully(byte[] b, long deadline) throws IOException {
        int off = 0;
        while (off < b.length) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("nothing from the engine in time");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new EOFException("the engine closed the connection");
            }
            off += n;
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
