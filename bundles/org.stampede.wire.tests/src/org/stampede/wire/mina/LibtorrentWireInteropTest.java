package org.stampede.wire.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.testing.interop.ChildProcess;
import org.stampede.testing.interop.Interop;
import org.stampede.wire.ExtensionHandshake;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;
import org.stampede.wire.ProtocolException;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The codec against the reference implementation, over real TCP connections on 127.0.0.1: we download a whole
 * torrent block by block from a libtorrent seed ({@code releng/interop/lt_seed.py}), and a libtorrent leecher
 * ({@code releng/interop/lt_leech_peer.py}) connects to us and downloads the whole torrent from our piece messages,
 * checking every piece's hash itself.
 */
class LibtorrentWireInteropTest {
    static final int PIECE_LENGTH = 256 * 1024;
    /** About 2 MiB; the last piece is short (12,345 bytes) and so is its last block. */
    static final long DATA_LENGTH = 8L * PIECE_LENGTH + 12345;
    static final int BLOCK = 16 * 1024;
    static final int PIPELINE = 16;
    static final long TIMEOUT_SECONDS = 90;

    @TempDir
    static Path work;
    static Path seedDir;
    static Path data;
    static Path torrentFile;
    static Torrent torrent;
    static byte[] infoHash;
    static PieceGeometry geometry;

    @BeforeAll
    static void createTorrent() throws Exception {
        Interop.requireLibtorrent();
        seedDir = work.resolve("seed");
        data = seedDir.resolve("payload.bin");
        Interop.randomFile(data, DATA_LENGTH, 42);
        byte[] bytes = TorrentCreator.forSource(data).version(Torrent.Version.V1).pieceLength(PIECE_LENGTH)
                .creationDate(null).create();
        torrentFile = work.resolve("payload.torrent");
        Files.write(torrentFile, bytes);
        torrent = Torrent.parse(bytes);
        infoHash = torrent.infoHashV1().bytes();
        geometry = PieceGeometry.of(torrent.totalLength(), (int) torrent.pieceLength());
    }

    static Handshake ours() {
        return Handshake.of(infoHash, PeerId.random(new Random()), true, true, false);
    }

    /** Accepts only our torrent and decodes with whatever both handshakes enable. */
    static WireCodecFactory codec(Handshake ours) {
        return new WireCodecFactory((session, peer) -> {
            if (!peer.hasInfoHash(infoHash)) {
                throw new ProtocolException("unknown torrent " + peer.infoHashHex());
            }
            return MessageDecoder.negotiated(geometry, ours, peer);
        });
    }

    static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    }

    @Test
    void downloadsEveryBlockFromALibtorrentSeedAndEveryPieceVerifies() throws Exception {
        long deadline = deadline();
        Path portFile = work.resolve("seed.port");
        Handshake ours = ours();
        NioSocketConnector connector = new NioSocketConnector(1);
        try (ChildProcess seed = ChildProcess.start(List.of(Interop.PYTHON, Interop.script("lt_seed.py").toString(),
                torrentFile.toString(), seedDir.toString(), "--port-file", portFile.toString(), "--timeout",
                Long.toString(TIMEOUT_SECONDS + 10)), work.resolve("lt_seed"))) {
            int port = Integer.parseInt(seed.awaitFile(portFile, deadline));
            connector.setConnectTimeoutMillis(10_000);
            connector.getFilterChain().addLast("wire", new ProtocolCodecFilter(codec(ours)));
            Inbox inbox = new Inbox();
            connector.setHandler(inbox);
            ConnectFuture connected = connector.connect(new InetSocketAddress("127.0.0.1", port));
            assertTrue(connected.await(10, TimeUnit.SECONDS), "connected to libtorrent");
            IoSession session = connected.getSession();

            session.write(ours);
            Handshake theirs = inbox.next(Handshake.class, deadline);
            assertArrayEquals(infoHash, theirs.infoHash());
            assertTrue(theirs.supportsExtensions(), "libtorrent offers the extension protocol");
            assertTrue(theirs.supportsFast(), "libtorrent offers the fast extension");
            assertEquals("libtorrent 2.0.8", theirs.peerId().clientName());

            Message.Extended ext = inbox.next(Message.Extended.class, deadline);
            assertEquals(0, ext.extendedId(), "the extension handshake comes first");
            ExtensionHandshake lt = ExtensionHandshake.decode(ext.payload());
            assertTrue(lt.client().orElseThrow().startsWith("libtorrent"), lt.toString());
            assertTrue(lt.extensionId("ut_metadata").isPresent(), lt.toString());
            assertTrue(lt.requestQueue().isPresent(), lt.toString());

            session.write(ExtensionHandshake.builder().port(6881).requestQueue(250).build().toMessage());
            session.write(Message.HaveNone.INSTANCE);
            session.write(Message.Interested.INSTANCE);
            download(session, inbox, deadline);
            session.closeNow();
        } finally {
            connector.dispose(false);
        }
    }

    /** Waits for libtorrent's have-all (or full bitfield) and unchoke, then fetches every block, 16 at a time. */
    static void download(IoSession session, Inbox inbox, long deadline) throws Exception {
        Deque<Message.Request> pending = new ArrayDeque<>();
        for (int i = 0; i < geometry.pieceCount(); i++) {
            for (int begin = 0; begin < geometry.pieceSize(i); begin += BLOCK) {
                pending.add(new Message.Request(i, begin, Math.min(BLOCK, geometry.pieceSize(i) - begin)));
            }
        }
        int blocks = pending.size();
        Set<Message.Request> outstanding = new HashSet<>();
        byte[][] pieces = new byte[geometry.pieceCount()][];
        int[] filled = new int[geometry.pieceCount()];
        boolean seedHasAll = false;
        boolean unchoked = false;
        int verified = 0;
        int received = 0;
        while (verified < geometry.pieceCount()) {
            if (seedHasAll && unchoked) {
                while (outstanding.size() < PIPELINE && !pending.isEmpty()) {
                    Message.Request r = pending.poll();
                    outstanding.add(r);
                    session.write(r);
                }
            }
            Message m = inbox.next(Message.class, deadline);
            switch (m) {
                case Message.HaveAll h -> seedHasAll = true;
                case Message.Bitfield b -> {
                    for (int i = 0; i < geometry.pieceCount(); i++) {
                        assertTrue(b.hasPiece(i), "the seed has piece " + i);
                    }
                    seedHasAll = true;
                }
                case Message.Unchoke u -> unchoked = true;
                case Message.Choke c -> fail("libtorrent choked us mid-download");
                case Message.RejectRequest r -> fail("libtorrent rejected " + r);
                case Message.Piece p -> {
                    Message.Request answered = new Message.Request(p.index(), p.begin(), p.length());
                    assertTrue(outstanding.remove(answered), () -> "a block we did not ask for: " + answered);
                    if (pieces[p.index()] == null) {
                        pieces[p.index()] = new byte[geometry.pieceSize(p.index())];
                    }
                    p.data().get(p.data().position(), pieces[p.index()], p.begin(), p.length());
                    filled[p.index()] += p.length();
                    received++;
                    if (filled[p.index()] == geometry.pieceSize(p.index())) {
                        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(pieces[p.index()]);
                        assertArrayEquals(torrent.pieceHashV1(p.index()), sha1, "SHA-1 of piece " + p.index());
                        pieces[p.index()] = null;
                        verified++;
                    }
                }
                default -> {
                    // keep-alive, allowed fast, have, further extended messages: nothing to do here
                }
            }
        }
        assertEquals(blocks, received, "every block arrived once");
        assertTrue(outstanding.isEmpty() && pending.isEmpty());
    }

    @Test
    void libtorrentConnectsToUsAndDownloadsTheWholeTorrentFromOurPieceMessages() throws Exception {
        long deadline = deadline();
        Handshake ours = ours();
        Path leechDir = Files.createDirectories(work.resolve("leech"));
        NioSocketAcceptor acceptor = new NioSocketAcceptor(1);
        try {
            acceptor.getFilterChain().addLast("wire", new ProtocolCodecFilter(codec(ours)));
            Inbox inbox = new Inbox();
            acceptor.setHandler(inbox);
            acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = acceptor.getLocalAddress().getPort();
            try (ChildProcess leech = ChildProcess.start(List.of(Interop.PYTHON,
                    Interop.script("lt_leech_peer.py").toString(),
                    torrentFile.toString(), leechDir.toString(), "--peer", "127.0.0.1:" + port, "--timeout",
                    Long.toString(TIMEOUT_SECONDS)), work.resolve("lt_leech_peer"));
                    FileChannel file = FileChannel.open(data)) {
                Handshake theirs = inbox.next(Handshake.class, deadline);
                assertArrayEquals(infoHash, theirs.infoHash(), "libtorrent asks for our torrent");
                assertEquals("libtorrent 2.0.8", theirs.peerId().clientName());
                IoSession session = inbox.session;
                session.write(ours);
                session.write(ExtensionHandshake.builder().port(port).build().toMessage());
                session.write(Message.HaveAll.INSTANCE);

                int served = serve(session, inbox, file, leech, deadline);
                assertEquals(0, leech.waitFor(10), () -> "lt_leech_peer.py failed: " + leech.stderr());
                JsonObject result = JsonParser.parseString(leech.stdout().strip()).getAsJsonObject();
                assertTrue(result.get("complete").getAsBoolean(), result.toString());
                assertEquals(geometry.pieceCount(), result.get("have").getAsInt(), result.toString());
                assertEquals(0, result.get("hashfails").getAsInt(), result.toString());
                assertTrue(served >= (DATA_LENGTH + BLOCK - 1) / BLOCK, "served " + served + " blocks");
            }
        } finally {
            acceptor.dispose(false);
        }
    }

    /**
     * Answers libtorrent until its process exits: unchoke once it is interested, then a piece message for each
     * request, read from the data file. Returns the number of blocks served.
     */
    static int serve(IoSession session, Inbox inbox, FileChannel file, ChildProcess leech, long deadline)
            throws Exception {
        boolean interested = false;
        boolean closed = false;
        int served = 0;
        while (leech.isAlive()) {
            if (System.nanoTime() > deadline) {
                fail("libtorrent did not finish in time; served " + served + " blocks; " + leech.stderr());
            }
            Object o = inbox.poll(100);
            if (o == null) {
                continue;
            }
            if (o instanceof Throwable t) {
                fail("our side of the connection failed", t);
            }
            if (o == Inbox.CLOSED) {
                closed = true; // libtorrent hangs up once it has everything; its exit status tells the rest
                continue;
            }
            assertFalse(closed, "a message after the connection closed");
            switch ((Message) o) {
                case Message.Interested i -> {
                    interested = true;
                    session.write(Message.Unchoke.INSTANCE);
                }
                case Message.Request r -> {
                    assertTrue(interested, "libtorrent requests only after saying it is interested");
                    ByteBuffer block = ByteBuffer.allocate(r.length());
                    long offset = (long) r.index() * PIECE_LENGTH + r.begin();
                    while (block.hasRemaining()) {
                        if (file.read(block, offset + block.position()) < 0) {
                            fail("request past the end of the data: " + r);
                        }
                    }
                    session.write(new Message.Piece(r.index(), r.begin(), block.flip()));
                    served++;
                }
                case Message.Extended e when e.extendedId() == 0 ->
                    assertTrue(ExtensionHandshake.decode(e.payload()).client().orElseThrow().startsWith("libtorrent"));
                default -> {
                    // have none, keep-alive, cancel of a block already sent, ...
                }
            }
        }
        assertTrue(interested, "libtorrent said it was interested");
        return served;
    }
}
