package org.stampede.lab.internal;

import java.net.InetSocketAddress;

import org.stampede.api.PeerView;
import org.stampede.api.PieceSet;

/**
 * One direction of a connection: what {@link #owner} knows of {@link #remote}, and so the lab's side of
 * {@link PeerView} for the owner's strategies. The other direction is {@link #mirror}: the owner chokes the remote
 * when {@code amChoking} here, the remote chokes the owner when {@code mirror.amChoking}.
 * <p>
 * {@link #pending} holds the owner's requests to the remote (global block numbers, piece x blocks per piece +
 * block) in the order the remote serves them; the first one is on the wire when {@link #headInFlight}.
 */
final class Connection implements PeerView {
    final SimPeer owner;
    final SimPeer remote;
    Connection mirror;
    final int id;
    final long connectedAtMillis;

    boolean amChoking = true;
    boolean amInterested;
    boolean optimistic;
    long lastUnchokedAtMillis = -1;
    /** Pieces the remote has that the owner lacks: the owner is interested while this is above 0. */
    int interestCount;

    /** Payload bytes the owner received from the remote, and at the last rechoke of the owner. */
    long downloaded;
    long downloadedAtRechoke;
    long uploaded;
    long uploadedAtRechoke;
    final Meter down = new Meter();
    final Meter up = new Meter();
    long lastReceivedMicros;

    final IntQueue pending = new IntQueue();
    boolean headInFlight;
    /** In the remote's queue of connections to serve. */
    boolean inRing;
    /** The owner's rechoke round in which its choker unchoked the remote. */
    long unchokeRound = -1;
    /** The round whose choker gave this (uploading) side a rate of its own, and that rate in bytes per second. */
    long rateRound = -1;
    long rateGiven;
    /** The upload rate this side is held to until the next rechoke (0: none), and when it may start its next block. */
    long rateCap;
    long nextSendMicros;
    boolean closed;

    Connection(SimPeer owner, SimPeer remote, int id, long nowMicros) {
        this.owner = owner;
        this.remote = remote;
        this.id = id;
        this.connectedAtMillis = nowMicros / 1000;
        this.lastReceivedMicros = nowMicros;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return remote.address();
    }

    @Override
    public String client() {
        return "Stampede lab";
    }

    @Override
    public PieceSet pieces() {
        return closed ? owner.sim.noPieces : remote.have();
    }

    @Override
    public boolean isSeed() {
        return !closed && remote.have().isFull();
    }

    @Override
    public boolean amChoking() {
        return amChoking;
    }

    @Override
    public boolean amInterested() {
        return amInterested;
    }

    @Override
    public boolean peerChoking() {
        return mirror.amChoking;
    }

    @Override
    public boolean peerInterested() {
        return mirror.amInterested;
    }

    /** As the engine: requests outstanding and nothing received for a minute. */
    @Override
    public boolean snubbed() {
        return !pending.isEmpty() && owner.sim.now - lastReceivedMicros > Simulation.SNUB_MICROS;
    }

    @Override
    public boolean optimistic() {
        return optimistic;
    }

    @Override
    public long downloadRate() {
        return down.rate(owner.sim.nowMillis());
    }

    @Override
    public long uploadRate() {
        return up.rate(owner.sim.nowMillis());
    }

    @Override
    public long downloaded() {
        return downloaded;
    }

    @Override
    public long uploaded() {
        return uploaded;
    }

    @Override
    public long downloadedSinceRechoke() {
        return downloaded - downloadedAtRechoke;
    }

    @Override
    public long uploadedSinceRechoke() {
        return uploaded - uploadedAtRechoke;
    }

    @Override
    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    @Override
    public long lastUnchokedAtMillis() {
        return lastUnchokedAtMillis;
    }

    @Override
    public int outstandingRequests() {
        return pending.size();
    }

    /** Simulated peers do not speak the Fast extension: a choke discards every request. */
    @Override
    public boolean supportsFast() {
        return false;
    }

    @Override
    public PieceSet allowedFast() {
        return owner.sim.noPieces;
    }

    @Override
    public String toString() {
        return "connection " + id + " of peer " + owner.index + " to peer " + remote.index;
    }
}
