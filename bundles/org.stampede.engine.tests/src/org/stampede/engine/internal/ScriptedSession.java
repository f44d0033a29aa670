package org.stampede.engine.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.stampede.engine.AddOptions;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.PeerId;

/**
 * One downloading torrent session of a real engine (its strategies, storage and ban list), driven step by step by
 * scripted peers instead of sockets: a test decides which peer answers which request, when, and with what bytes.
 * Nothing goes over the network; the peers' addresses are only names.
 */
final class ScriptedSession implements AutoCloseable {
    final byte[] data;
    final int pieceLength;
    final EngineImpl engine;
    final TorrentSession session;
    private final DiskIo disk;
    private final FileStorage storage;
    private final Random junk = new Random(12);
    private final Handshake ours;

    /** A session downloading {@code pieces} pieces of random data into {@code dir}, with nothing yet. */
    ScriptedSession(Path dir, int pieceLength, int pieces) throws Exception {
        this(dir, pieceLength, pieces, TestStrategies.registry(), AddOptions.defaults());
    }

    /** The same with other strategies: {@code options} names them in {@code strategies}. */
    ScriptedSession(Path dir, int pieceLength, int pieces, StrategyRegistry strategies, AddOptions options)
            throws Exception {
        this.pieceLength = pieceLength;
        this.data = new byte[pieceLength * pieces];
        new Random(11).nextBytes(data);
        Path seedDir = dir.resolve("seed");
        Files.createDirectories(seedDir);
        Files.write(seedDir.resolve("payload.bin"), data);
        Torrent torrent = Torrent.parse(TorrentCreator.forSource(seedDir.resolve("payload.bin"))
                .version(Torrent.Version.V1).pieceLength(pieceLength).creationDate(null).create());
        engine = TestEngines.create(Swarm.settings(InetAddress.getLoopbackAddress()), strategies, u -> null);
        disk = new DiskIo();
        storage = FileStorage.open(torrent, dir.resolve("leech"), disk);
        session = new TorrentSession(engine, torrent, storage, options);
        session.strategies.executor = Runnable::run; // picks happen within each scripted step, as the test decides
        session.start(new BitSet());
        ours = Handshake.of(session.infoHash, PeerId.random(), false, false, false);
    }

    /** The transport of a scripted peer: records what the session sends, closes when told to. */
    static final class Channel implements PeerChannel {
        final InetSocketAddress remote;
        final ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
        volatile boolean open = true;

        Channel(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public void send(Message message) {
            sent.add(message);
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void close(String reason) {
            open = false;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public void suspendRead() {
        }

        @Override
        public void resumeRead() {
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    /** A scripted peer that has every piece and answers requests when told to, truthfully or with random bytes. */
    final class Peer {
        final Channel channel;
        final boolean lies;
        final PeerConnection connection;
        private boolean detached;

        private Peer(String address, boolean lies) throws Exception {
            this.channel = new Channel(new InetSocketAddress(InetAddress.getByName(address), 6881));
            this.lies = lies;
            this.connection = session.attach(channel, Handshake.of(session.infoHash, PeerId.random(), false, false,
                    false), true, ours);
            byte[] all = new byte[(session.state.pieceCount() + 7) / 8];
            for (int i = 0; i < session.state.pieceCount(); i++) {
                all[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
            session.onMessage(connection, Message.Bitfield.of(all));
        }

        InetAddress address() {
            return channel.remote.getAddress();
        }

        void unchoke() {
            session.onMessage(connection, Message.Unchoke.INSTANCE);
        }

        /** The requests the session sent this peer since the last call. */
        List<Message.Request> requests() {
            List<Message.Request> out = new ArrayList<>();
            for (Message m; (m = channel.sent.poll()) != null;) {
                if (m instanceof Message.Request r) {
                    out.add(r);
                }
            }
            return out;
        }

        /** Sends the block asked for: the data, or random bytes from a liar. */
        void answer(Message.Request r) {
            int at = r.index() * pieceLength + r.begin();
            byte[] block = Arrays.copyOfRange(data, at, at + r.length());
            if (lies) {
                junk.nextBytes(block);
            }
            session.onMessage(connection, new Message.Piece(r.index(), r.begin(), ByteBuffer.wrap(block)));
        }

        /** Once the session closed the channel, tells it the connection is gone, as the network adapter does. */
        boolean gone() {
            if (!channel.open && !detached) {
                session.detach(connection);
                detached = true;
            }
            return detached;
        }
    }

    Peer peer(String address, boolean lies) throws Exception {
        return new Peer(address, lies);
    }

    @Override
    public void close() throws Exception {
        try {
            session.stop();
            storage.close();
        } finally {
            disk.close();
            engine.close();
        }
    }
}
