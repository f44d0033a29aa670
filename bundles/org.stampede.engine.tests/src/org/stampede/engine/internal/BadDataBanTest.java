package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.AddOptions;
import org.stampede.engine.TorrentHandle;
import org.stampede.wire.Message;
import org.stampede.wire.PieceGeometry;

/**
 * A downloader gets data that fails the hash check from a lying peer (a hand-written one on 127.0.0.1 that claims
 * every piece and answers every request with random bytes) and good data from an honest Stampede seeder on
 * 127.0.0.2: it must ban the liar's address, keep the honest seeder, and finish with the right bytes.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadDataBanTest {
    private static final InetAddress LIAR = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;
    private Swarm swarm;
    private Liar liar;

    @AfterEach
    void close() throws IOException {
        if (liar != null) {
            liar.close();
        }
        if (swarm != null) {
            swarm.close();
        }
    }

    /** A peer that has everything and sends random bytes for every block asked of it. */
    private static final class Liar implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger blocksServed = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "liar");
            t.setDaemon(true);
            return t;
        });

        Liar(PieceGeometry geometry) throws IOException {
            server = new ServerSocket(0, 50, LIAR);
            threads.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        threads.execute(() -> serve(s, geometry));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void serve(Socket s, PieceGeometry geometry) {
            Random random = new Random(7);
            try (RawPeer peer = new RawPeer(s)) {
                peer.answerHandshake(geometry, false, false);
                byte[] all = new byte[geometry.bitfieldLength()];
                for (int i = 0; i < geometry.pieceCount(); i++) {
                    all[i >>> 3] |= (byte) (0x80 >>> (i & 7));
                }
                peer.send(Message.Bitfield.of(all));
                peer.send(Message.Unchoke.INSTANCE);
                while (true) {
                    if (peer.next(Duration.ofSeconds(100)) instanceof Message.Request r) {
                        byte[] junk = new byte[r.length()];
                        random.nextBytes(junk);
                        peer.send(new Message.Piece(r.index(), r.begin(), ByteBuffer.wrap(junk)));
                        blocksServed.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // closed by the downloader: the end of this connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }

    /** An honest seeder on 127.0.0.2 (a second loopback address), optionally slowed to make room for the liar. */
    private void honestSeeder(long size, long pieceLength, long uploadLimit) throws Exception {
        swarm = Swarm.seeding(dir, size, pieceLength, Swarm.settings(InetAddress.getByName("127.0.0.2")),
                AddOptions.defaults().withLimits(0, uploadLimit));
        liar = new Liar(swarm.geometry());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + RawPeer.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + RawPeer.WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aLoneSourceOfBadDataIsBannedByAddressAndThePiecesComeFromTheHonestSeeder() throws Exception {
        honestSeeder(9 * 65536 + 1000, 65536, 0);
        EngineImpl engine = swarm.newEngine(Swarm.settings(InetAddress.getLoopbackAddress()));
        TorrentHandle leech = swarm.addEmpty(engine, AddOptions.defaults());
        leech.connect(liar.address());
        await(() -> engine.isBanned(LIAR), "the liar banned after its first pieces (" + liar.blocksServed
                + " blocks served)");
        leech.connect(swarm.seederAddress());
        swarm.assertComplete(leech, 60);
        assertFalse(engine.isBanned(swarm.seederAddress().getAddress()), "the honest seeder was banned");
        assertEquals(1, liar.connections.get(), "the banned liar was connected to again");
    }

    @Test
    void aLiarSharingPiecesWithAnHonestSeederIsBannedAndTheHonestSeederIsNot() throws Exception {
        // 8 pieces of 16 blocks; the honest seeder sends 512 KiB/s, so both peers get blocks of the same pieces
        honestSeeder(2 * 1024 * 1024, 256 * 1024, 512 * 1024);
        EngineImpl engine = swarm.newEngine(Swarm.settings(InetAddress.getLoopbackAddress()));
        TorrentHandle leech = swarm.addEmpty(engine, AddOptions.defaults());
        leech.connect(swarm.seederAddress());
        await(() -> leech.status().downloaded() > 0, "the honest seeder started sending");
        leech.connect(liar.address());
        swarm.assertComplete(leech, 60);
        assertTrue(liar.blocksServed.get() > 0, "the liar never got a request: nothing was tested");
        assertTrue(engine.isBanned(LIAR), "the liar was not banned");
        assertFalse(engine.isBanned(swarm.seederAddress().getAddress()), "the honest seeder was banned");
    }
}
