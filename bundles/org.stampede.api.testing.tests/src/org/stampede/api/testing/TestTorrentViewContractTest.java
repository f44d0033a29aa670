package org.stampede.api.testing;

import java.util.EnumSet;
import java.util.Set;

import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.TorrentView;
import org.stampede.testing.contract.ContractFixture;
import org.stampede.testing.contract.StrategyViewContract;

/**
 * The view contract against the test fakes a strategy author tests with: a {@link TestTorrent} laid out in the
 * contract's files, {@link TestPeer}s connected, announcing and leaving through its mutators, its picker made with
 * {@link TestTorrent#create}, picks made with {@link TestTorrent#pick} (news first, as the engine), news told with
 * {@link TestTorrent#tell} when the contract settles.
 */
class TestTorrentViewContractTest extends StrategyViewContract {
    @Override
    protected ContractFixture start(PiecePickerFactory pickers) {
        return new FakeFixture(pickers);
    }

    static final class FakeFixture implements ContractFixture {
        private final TestTorrent torrent = new TestTorrent(PIECES, PIECE_LENGTH / TorrentView.BLOCK_SIZE)
                .files(FILES);
        private final PiecePicker picker;
        private int nextId = 1;

        FakeFixture(PiecePickerFactory pickers) {
            picker = torrent.create(pickers);
        }

        private record Fake(TestPeer peer) implements Peer {
        }

        @Override
        public TorrentView view() {
            return torrent;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public long[] fileLengths() {
            long[] out = new long[torrent.fileCount()];
            for (int f = 0; f < out.length; f++) {
                out[f] = torrent.fileLength(f);
            }
            return out;
        }

        @Override
        public Peer connect(int... pieces) {
            TestPeer peer = new TestPeer(nextId++, MutablePieceSet.of(PIECES, pieces));
            torrent.connect(peer);
            return new Fake(peer);
        }

        @Override
        public void have(Peer peer, int piece) {
            torrent.peerHas(((Fake) peer).peer(), piece);
        }

        @Override
        public void disconnect(Peer peer) {
            torrent.disconnect(((Fake) peer).peer());
        }

        @Override
        public void pick(Peer peer) {
            torrent.pick(picker, ((Fake) peer).peer(), 16);
        }

        @Override
        public void download(Peer from, int piece, boolean good) {
            RecordingRequests asked = torrent.pick(picker, ((Fake) from).peer(), 16);
            if (!asked.acceptedPieces().contains(piece)) {
                throw new AssertionError("piece " + piece + " was not requested: " + asked);
            }
            for (int block = 0; block < torrent.blockCount(piece); block++) {
                torrent.received(piece, block);
            }
            if (good) {
                torrent.verified(piece);
            } else {
                torrent.failed(piece);
            }
            ((Fake) from).peer().clearRequests();
        }

        @Override
        public void piecePriority(int piece, int priority) {
            if (priority < 0) {
                torrent.clearPriority(piece);
            } else {
                torrent.priority(piece, priority);
            }
        }

        @Override
        public void filePriority(int file, int priority) {
            torrent.filePriority(file, priority);
        }

        @Override
        public void deadline(int piece, long millis) {
            torrent.deadline(piece, millis);
        }

        @Override
        public void settle() {
            torrent.tell(picker);
        }

        @Override
        public void close() {
        }
    }
}
