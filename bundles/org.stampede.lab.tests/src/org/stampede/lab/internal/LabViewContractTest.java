package org.stampede.lab.internal;

import java.util.EnumSet;
import java.util.Set;

import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.TorrentView;
import org.stampede.lab.LabConfig;
import org.stampede.lab.StrategySource;
import org.stampede.testing.contract.ContractFixture;
import org.stampede.testing.contract.StrategyViewContract;

/**
 * The view contract against the strategy lab: peer 1 of a {@link Simulation} is the torrent, the contract's peers are
 * other simulated leechers given the pieces it asks for, linked, announcing and transferring through the
 * simulation's own code ({@code link}, {@code verified}, {@code fill}, {@code sent}, {@code disconnect}); the
 * fixture plays the event loop's part: what happens between two {@code settle}s is one event, at whose end the
 * pickers are told their news ({@code tellAll}), as the loop tells them at the end of each event (a pick within it
 * tells its picker first, as in the lab). The
 * lab's content is one file with every piece at priority 1, without deadlines or hash failures: those parts of the
 * contract are skipped here.
 */
class LabViewContractTest extends StrategyViewContract {
    @Override
    protected ContractFixture start(PiecePickerFactory pickers) {
        return new LabFixture(pickers);
    }

    static final class LabFixture implements ContractFixture {
        private final Simulation sim;
        private final SimPeer us;
        private int next = 2;

        LabFixture(PiecePickerFactory pickers) {
            ChokerFactory never = t -> (torrent, peers, decision) -> {
            };
            StrategySource source = new StrategySource() {
                @Override
                public PiecePickerFactory picker(String name) {
                    return pickers;
                }

                @Override
                public ChokerFactory choker(String kind, String name) {
                    return never;
                }

                @Override
                public String origin(String kind, String name) {
                    return "contract";
                }
            };
            LabConfig config = LabConfig.defaults().withStrategies("contract", "none", "none")
                    .withSwarm(8, PIECES, PIECE_LENGTH).withFreeRiders(0).withConnections(20, 4);
            sim = new Simulation(config, source, (seconds, finished, leechers) -> {
            });
            us = join(sim.peer(1));
        }

        private SimPeer join(SimPeer p) {
            p.present = true;
            p.picker = sim.createPicker(p);
            return p;
        }

        /** A simulated leecher and our connection to it. */
        private static final class Remote implements Peer {
            final SimPeer peer;

            Remote(SimPeer peer) {
                this.peer = peer;
            }
        }

        private Connection connection(Peer peer) {
            SimPeer r = ((Remote) peer).peer;
            for (Connection c : us.connections) {
                if (c.remote == r) {
                    return c;
                }
            }
            throw new AssertionError("not connected to " + r);
        }

        @Override
        public TorrentView view() {
            return us;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.noneOf(Capability.class);
        }

        @Override
        public long[] fileLengths() {
            return new long[] { (long) PIECES * PIECE_LENGTH };
        }

        @Override
        public Peer connect(int... pieces) {
            SimPeer r = sim.peer(next++);
            for (int p : pieces) {
                r.have.set(p);
                r.wanted.clear(p);
            }
            join(r);
            sim.link(us, r);
            return new Remote(r);
        }

        @Override
        public void have(Peer peer, int piece) {
            SimPeer r = ((Remote) peer).peer;
            if (!r.have.contains(piece)) { // the lab's peers announce a piece once, when they verify it
                sim.verified(r, piece);
            }
        }

        @Override
        public void disconnect(Peer peer) {
            sim.disconnect(connection(peer));
        }

        /** The remote unchokes us: its side of the connection, as its choker's decision would set it. */
        private Connection unchoked(Peer peer) {
            Connection d = connection(peer);
            if (d.mirror.amChoking) {
                d.mirror.amChoking = false;
                d.remote.unchoked++;
            }
            return d;
        }

        @Override
        public void pick(Peer peer) {
            sim.fill(unchoked(peer));
        }

        @Override
        public void download(Peer from, int piece, boolean good) {
            if (!good) {
                throw new UnsupportedOperationException("the lab has no hash failures");
            }
            Connection d = unchoked(from);
            sim.fill(d);
            for (int i = 0; i < 1_000 && !us.have.contains(piece); i++) {
                if (d.remote.sending == null) {
                    throw new AssertionError("piece " + piece + " was not requested: nothing on the wire");
                }
                sim.sent(d.remote); // the block on the wire arrives, as the SENT event would deliver it
            }
            if (!us.have.contains(piece)) {
                throw new AssertionError("piece " + piece + " did not arrive");
            }
        }

        @Override
        public void piecePriority(int piece, int priority) {
            throw new UnsupportedOperationException("every piece of the lab has priority 1");
        }

        @Override
        public void filePriority(int file, int priority) {
            throw new UnsupportedOperationException("the lab's content is one file of priority 1");
        }

        @Override
        public void deadline(int piece, long millis) {
            throw new UnsupportedOperationException("the lab has no deadlines");
        }

        @Override
        public void settle() {
            sim.tellAll();
        }

        @Override
        public void close() {
        }
    }
}
