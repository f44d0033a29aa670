package org.stampede.tracker.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A UDP "tracker" on a loopback address that answers each datagram with what a {@link Responder} makes of it, and
 * records every request and the address it came from.
 */
final class FakeUdpTracker implements AutoCloseable {
    static final long CONNECTION_ID = 0x1122334455667788L;

    /** Makes the datagrams to send back for request number {@code n} (0-based). */
    @FunctionalInterface
    interface Responder {
        List<byte[]> reply(ByteBuffer request, int n);
    }

    private final DatagramChannel channel;
    private final Thread thread;
    final List<byte[]> requests = new CopyOnWriteArrayList<>();
    /** Where each of {@link #requests} came from, recorded before the responder sees it. */
    final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();

    FakeUdpTracker(InetAddress address, Responder responder) throws IOException {
        channel = DatagramChannel.open(address.getAddress().length == 16 ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(address, 0));
        thread = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    in.clear();
                    var from = (InetSocketAddress) channel.receive(in);
                    in.flip();
                    byte[] copy = new byte[in.remaining()];
                    in.duplicate().get(copy);
                    int n = requests.size();
                    sources.add(from);
                    requests.add(copy);
                    for (byte[] out : responder.reply(ByteBuffer.wrap(copy), n)) {
                        channel.send(ByteBuffer.wrap(out), from);
                    }
                }
            } catch (ClosedChannelException e) {
                // closed: done
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, "fake-udp-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    /** On 127.0.0.1. */
    FakeUdpTracker(Responder responder) throws IOException {
        this(InetAddress.getLoopbackAddress(), responder);
    }

    URI url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("udp://" + (host.contains(":") ? "[" + host.replaceAll("%.*", "") + "]" : host) + ":"
                + a.getPort() + "/announce");
    }

    /** The tracker's address and port. */
    InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Requests seen with the given action (connect requests carry action 0). */
    long count(int action) {
        return requests.stream().filter(r -> r.length >= 16 && ByteBuffer.wrap(r).getInt(8) == action).count();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- canned replies ---

    static int action(ByteBuffer request) {
        return request.getInt(8);
    }

    static int txn(ByteBuffer request) {
        return request.getInt(12);
    }

    static byte[] connectReply(int txn) {
        return ByteBuffer.allocate(16).putInt(UdpTrackerClient.CONNECT).putInt(txn).putLong(CONNECTION_ID).array();
    }

    static byte[] announceReply(int txn, int interval, int leechers, int seeders, byte[] peers) {
        return ByteBuffer.allocate(20 + peers.length).putInt(UdpTrackerClient.ANNOUNCE).putInt(txn).putInt(interval)
                .putInt(leechers).putInt(seeders).put(peers).array();
    }

    static byte[] errorReply(int txn, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + m.length).putInt(UdpTrackerClient.ERROR).putInt(txn).put(m).array();
    }

    /** Answers connects properly and announces with {@code announce}. */
    static Responder announcing(Function<ByteBuffer, List<byte[]>> announce) {
        return (req, n) -> {
            if (req.remaining() >= 16 && action(req) == UdpTrackerClient.CONNECT) {
                return List.of(connectReply(txn(req)));
            }
            return announce.apply(req);
        };
    }
}
