package org.stampede.engine.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.io.TempDir;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.api.TorrentView;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineEvents;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;
import org.stampede.testing.contract.ContractFixture;
import org.stampede.testing.contract.StrategyViewContract;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;
import org.stampede.wire.PeerId;

/**
 * The view contract against the engine: a real {@link TorrentSession} of a four-file torrent on disk, with its
 * storage and strategy host, driven by scripted peers (their messages go through {@link TorrentSession#onMessage}
 * as a network thread delivers them, their blocks are written and hash-checked by storage's disk threads). The
 * strategy task runs on the test's thread when the contract settles, from a queue the session schedules it on, so
 * news is coalesced exactly as between two runs of the engine's strategy threads.
 */
class EngineViewContractTest extends StrategyViewContract {
    @TempDir
    Path dir;

    @Override
    protected ContractFixture start(PiecePickerFactory pickers) throws Exception {
        return new EngineFixture(dir, pickers);
    }

    static final class EngineFixture implements ContractFixture {
        private final byte[] data = new byte[PIECES * PIECE_LENGTH];
        private final EngineImpl engine;
        private final DiskIo disk = new DiskIo();
        private final FileStorage storage;
        private final TorrentSession session;
        private final Handshake ours;
        private final ConcurrentLinkedQueue<Runnable> strategyTask = new ConcurrentLinkedQueue<>();
        /** Pieces checked by storage, as {@code piece} (good) or {@code -1 - piece} (bad). */
        private final ConcurrentLinkedQueue<Integer> checked = new ConcurrentLinkedQueue<>();
        private int nextPeer = 1;

        EngineFixture(Path dir, PiecePickerFactory pickers) throws Exception {
            new Random(21).nextBytes(data);
            Path content = dir.resolve("seed/content");
            Files.createDirectories(content);
            long offset = 0;
            String[] names = { "a.bin", "b.bin", "c.bin", "d.bin" };
            for (int i = 0; i < FILES.length; i++) {
                Files.write(content.resolve(names[i]),
                        Arrays.copyOfRange(data, (int) offset, (int) (offset + FILES[i])));
                offset += FILES[i];
            }
            Torrent torrent = Torrent.parse(TorrentCreator.forSource(content).version(Torrent.Version.V1)
                    .pieceLength(PIECE_LENGTH).creationDate(null).create());
            StrategyRegistry registry = TestStrategies.registry();
            registry.add(new StrategyRegistry.Entry(StrategyKind.PICKER, "contract", pickers, "test", "0", "test"));
            engine = TestEngines.create(Swarm.settings(InetAddress.getLoopbackAddress()), registry, u -> null,
                    this::event);
            storage = FileStorage.open(torrent, dir.resolve("leech"), disk);
            session = new TorrentSession(engine, torrent, storage,
                    AddOptions.defaults().withStrategies("contract", "unchoke-all"));
            session.strategies.executor = strategyTask::add;
            session.start(new BitSet());
            ours = Handshake.of(session.infoHash, PeerId.random(), false, false, false);
        }

        private void event(String topic, Map<String, Object> properties) {
            if (topic.equals(EngineEvents.PIECE_VERIFIED)) {
                checked.add((Integer) properties.get(EngineEvents.PIECE));
            } else if (topic.equals(EngineEvents.PIECE_FAILED)) {
                checked.add(-1 - (Integer) properties.get(EngineEvents.PIECE));
            }
        }

        /** A scripted peer: what the session sends it is recorded. */
        private static final class Scripted implements Peer {
            final ScriptedSession.Channel channel;
            final PeerConnection connection;

            Scripted(ScriptedSession.Channel channel, PeerConnection connection) {
                this.channel = channel;
                this.connection = connection;
            }
        }

        @Override
        public TorrentView view() {
            return session.state;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public long[] fileLengths() {
            long[] out = new long[session.torrent.files().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = session.torrent.files().get(i).length();
            }
            return out;
        }

        @Override
        public Peer connect(int... pieces) {
            ScriptedSession.Channel channel;
            try {
                channel = new ScriptedSession.Channel(new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] { 10, 0, 0, (byte) nextPeer++ }), 6881));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            PeerConnection c = session.attach(channel,
                    Handshake.of(session.infoHash, PeerId.random(), false, false, false), true, ours);
            if (c == null) {
                throw new AssertionError("the session refused a peer");
            }
            byte[] bits = new byte[(PIECES + 7) / 8];
            for (int p : pieces) {
                bits[p >>> 3] |= (byte) (0x80 >>> (p & 7));
            }
            session.onMessage(c, Message.Bitfield.of(bits));
            return new Scripted(channel, c);
        }

        @Override
        public void have(Peer peer, int piece) {
            session.onMessage(((Scripted) peer).connection, new Message.Have(piece));
        }

        @Override
        public void disconnect(Peer peer) {
            Scripted s = (Scripted) peer;
            s.channel.open = false;
            session.detach(s.connection);
        }

        @Override
        public void pick(Peer peer) {
            PeerConnection c = ((Scripted) peer).connection;
            if (c.peerChoking) {
                session.onMessage(c, Message.Unchoke.INSTANCE);
            } else {
                session.lock.lock();
                try {
                    session.requests.fill(c);
                } finally {
                    session.lock.unlock();
                }
            }
            settle();
        }

        @Override
        public void download(Peer from, int piece, boolean good) throws Exception {
            Scripted s = (Scripted) from;
            s.channel.sent.clear();
            pick(from);
            List<Message.Request> asked = new ArrayList<>();
            for (Message m : s.channel.sent) {
                if (m instanceof Message.Request r && r.index() == piece) {
                    asked.add(r);
                }
            }
            if (asked.size() != session.state.blockCount(piece)) {
                throw new AssertionError("the picker asked for " + asked + " of piece " + piece);
            }
            Random junk = new Random(piece);
            for (Message.Request r : asked) {
                byte[] block = Arrays.copyOfRange(data, piece * PIECE_LENGTH + r.begin(),
                        piece * PIECE_LENGTH + r.begin() + r.length());
                if (!good) {
                    junk.nextBytes(block);
                }
                session.onMessage(s.connection, new Message.Piece(r.index(), r.begin(), ByteBuffer.wrap(block)));
            }
            int expected = good ? piece : -1 - piece;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!checked.contains(expected)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("piece " + piece + " was not checked within 20 s: " + checked);
                }
                Thread.sleep(5);
            }
        }

        @Override
        public void piecePriority(int piece, int priority) {
            session.setPiecePriority(piece, priority, storage.wantedPieces());
        }

        @Override
        public void filePriority(int file, int priority) {
            storage.setFilePriority(file, priority);
            session.filePrioritiesChanged(storage.wantedPieces());
        }

        @Override
        public void deadline(int piece, long millis) {
            session.setDeadline(piece, millis);
        }

        /** Runs the strategy task, as the engine's strategy threads would, until nothing is scheduled. */
        @Override
        public void settle() {
            for (int i = 0; i < 10_000; i++) {
                Runnable task = strategyTask.poll();
                if (task == null) {
                    return;
                }
                task.run();
            }
            throw new AssertionError("the strategy task kept scheduling itself");
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
}
