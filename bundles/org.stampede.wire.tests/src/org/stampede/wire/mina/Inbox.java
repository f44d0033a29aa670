package org.stampede.wire.mina;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * A test {@code IoHandler}: queues what arrives (handshake, messages, errors, the end of the connection) for the
 * test thread, which waits for it with a deadline.
 */
final class Inbox extends IoHandlerAdapter {
    /** Queued when the session closes. */
    static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    volatile IoSession session;

    @Override
    public void sessionOpened(IoSession s) {
        session = s;
    }

    @Override
    public void messageReceived(IoSession s, Object message) {
        queue.add(message);
    }

    @Override
    public void exceptionCaught(IoSession s, Throwable cause) {
        queue.add(cause);
        s.closeNow();
    }

    @Override
    public void sessionClosed(IoSession s) {
        queue.add(CLOSED);
    }

    /** @return the next item, or null if none came within {@code millis} */
    Object poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @return the next item of {@code type}, skipping others; fails on an error, the end of the connection or the
     *         deadline ({@link System#nanoTime()})
     */
    <T> T next(Class<T> type, long deadline) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            Object o = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (o == null) {
                fail("no " + type.getSimpleName() + " arrived in time");
            }
            if (type.isInstance(o)) {
                return type.cast(o);
            }
            if (o instanceof Throwable t) {
                fail("the connection failed while waiting for " + type.getSimpleName(), t);
            }
            if (o == CLOSED) {
                fail("the connection closed while waiting for " + type.getSimpleName());
            }
        }
    }
}
