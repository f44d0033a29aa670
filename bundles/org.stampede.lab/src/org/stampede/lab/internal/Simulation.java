package org.stampede.lab.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.stampede.api.BlockRequests;
import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.lab.Lab;
import org.stampede.lab.LabConfig;
import org.stampede.lab.LabResult;
import org.stampede.lab.LabResult.PeerClass;
import org.stampede.lab.LabResult.PeerRow;
import org.stampede.lab.LabResult.Sample;
import org.stampede.lab.LabResult.StrategyUse;
import org.stampede.lab.StrategySource;

/**
 * The discrete-event simulation behind {@link Lab}. Virtual time is kept in microseconds; events are ordered by
 * (time, sequence number); every random choice comes from one {@link SplittableRandom} in a fixed order, and
 * floating-point work that decides anything uses {@link StrictMath}. The model is described in the bundle's
 * README; the comments here say how each part of it is done.
 * <p>
 * Strategy calls mirror the engine's ({@code TorrentSession}): the picker is asked to fill a connection's request
 * queue (about two seconds of its rate, 8 to 250 blocks; 1 when snubbed) when the remote unchokes us, has a new
 * piece, or delivers a block, and when another connection closes; it hears of the pieces verified and of the
 * availability changes since it last heard at the end of each event and before each pick, as the engine tells it on
 * its strategy task (a connection's bitfield is one call); the choker is given the interested peers every
 * {@link Choker#rechokeIntervalMillis()} (clamped to 1-60 s) and within a second when a peer becomes interested
 * while a slot is free; peers it does not unchoke are choked, and their queued requests dropped.
 */
public final class Simulation {
    static final long SNUB_MICROS = 60_000_000L;
    private static final long EARLY_RECHOKE_MICROS = 1_000_000L;
    private static final long FREE_RIDER_ANNOUNCE_MICROS = 10_000_000L;
    private static final int MIN_QUEUE = 8;
    private static final int MAX_QUEUE = 250;

    private static final int ARRIVE = 0;
    private static final int RECHOKE = 1;
    private static final int SENT = 2;
    private static final int LEAVE = 3;
    private static final int SAMPLE = 4;
    private static final int WAKE = 5;

    final LabConfig config;
    final int pieceCount;
    final int pieceLength;
    final int blocksPerPiece;
    /** An empty set of the torrent's size (a closed connection's pieces, everyone's allowed-fast set). */
    final Bits noPieces;
    /** Virtual time in microseconds. */
    long now;

    private final SplittableRandom random;
    private final Lab.Progress progress;
    private final PiecePickerFactory pickerFactory;
    private final ChokerFactory chokerFactory;
    private final ChokerFactory seedChokerFactory;
    private final StrategyUsage pickerUse;
    private final StrategyUsage chokerUse;
    private final StrategyUsage seedChokerUse;
    private final SimPeer[] peers;
    private final EventQueue events = new EventQueue();
    /** Per piece: copies among the present peers other than the initial seed. */
    private final int[] copies;
    private final int maxConnections;
    private final long maxMicros;
    private final long sampleMicros;
    private final long lingerMicros;
    private final Sink sink = new Sink();
    private final Decision decision = new Decision();
    private final List<Connection> interested = new ArrayList<>();
    private final List<Connection> unchokedNow = new ArrayList<>();
    private final int[] mark;
    private final int[] candidates;
    private int stamp;
    private long round;
    private int finished;
    /** Leechers that finished or left unfinished: the run ends when all have. */
    private int done;
    private int leechersPresent;
    private int othersPresent;
    private long processed;
    private final List<Sample> samples = new ArrayList<>();
    /** Peers whose picker has news to hear, in the order they got it. */
    private final List<SimPeer> withNews = new ArrayList<>();

    /** How a strategy was used, for the result. */
    private static final class StrategyUsage {
        final String kind;
        final String name;
        final String origin;
        int instances;
        long decisions;

        StrategyUsage(String kind, String name, String origin) {
            this.kind = kind;
            this.name = name;
            this.origin = origin == null ? "" : origin;
        }

        StrategyUse toUse() {
            return new StrategyUse(kind, name, origin, instances, decisions);
        }
    }

    public Simulation(LabConfig config, StrategySource source, Lab.Progress progress) {
        this.config = config;
        this.progress = progress;
        this.pickerFactory = source.picker(config.picker());
        if (pickerFactory == null) {
            throw new IllegalArgumentException("no picker named '" + config.picker() + "'");
        }
        this.chokerFactory = source.choker(StrategyKind.CHOKER, config.choker());
        if (chokerFactory == null) {
            throw new IllegalArgumentException("no choker named '" + config.choker() + "'");
        }
        this.seedChokerFactory = source.choker(StrategyKind.SEED_CHOKER, config.seedChoker());
        if (seedChokerFactory == null) {
            throw new IllegalArgumentException("no seed-choker named '" + config.seedChoker() + "'");
        }
        this.pickerUse = new StrategyUsage(StrategyKind.PICKER, config.picker(),
                source.origin(StrategyKind.PICKER, config.picker()));
        this.chokerUse = new StrategyUsage(StrategyKind.CHOKER, config.choker(),
                source.origin(StrategyKind.CHOKER, config.choker()));
        this.seedChokerUse = new StrategyUsage(StrategyKind.SEED_CHOKER, config.seedChoker(),
                source.origin(StrategyKind.SEED_CHOKER, config.seedChoker()));
        this.random = new SplittableRandom(config.seed());
        this.pieceCount = config.pieces();
        this.pieceLength = config.pieceLength();
        this.blocksPerPiece = config.blocksPerPiece();
        this.noPieces = new Bits(pieceCount);
        this.copies = new int[pieceCount];
        this.maxConnections = config.connections();
        this.maxMicros = seconds(config.maxSeconds());
        this.sampleMicros = Math.max(1, seconds(config.sampleInterval()));
        this.lingerMicros = seconds(config.linger());

        // the random draws, always in this order: capacities, free riders, arrivals, then per peer its info-hash and
        // rechoke phase
        int n = config.peers();
        long[] capacity = new long[n + 1];
        capacity[0] = config.seedUpload();
        for (int i = 1; i <= n; i++) {
            capacity[i] = drawCapacity();
        }
        PeerClass[] classes = new PeerClass[n + 1];
        classes[0] = PeerClass.SEED;
        Arrays.fill(classes, 1, n + 1, PeerClass.NORMAL);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i + 1;
        }
        for (int i = 0; i < config.freeRiderCount(); i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            classes[order[i]] = PeerClass.FREE_RIDER;
        }
        long spread = seconds(config.arrivalSpread());
        long[] arrival = new long[n + 1];
        for (int i = 1; i <= n; i++) {
            arrival[i] = spread == 0 ? 0 : (long) (random.nextDouble() * spread);
        }
        this.peers = new SimPeer[n + 1];
        byte[] hash = new byte[20];
        for (int i = 0; i <= n; i++) {
            for (int b = 0; b < hash.length; b++) {
                hash[b] = (byte) random.nextInt(256);
            }
            peers[i] = new SimPeer(this, i, HexFormat.of().formatHex(hash), classes[i], capacity[i], arrival[i],
                    random.nextDouble());
        }
        this.mark = new int[n + 1];
        this.candidates = new int[n + 1];
    }

    private static long seconds(double s) {
        return (long) StrictMath.rint(s * 1_000_000.0);
    }

    /** A leecher's upload capacity: log-normal (Box-Muller on two uniforms), rounded, clamped. */
    private long drawCapacity() {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        double c = config.uploadMedian() * StrictMath.exp(config.uploadSigma() * z);
        long v = (long) StrictMath.rint(Math.min(c, 1e15));
        return Math.max(config.uploadMin(), Math.min(config.uploadMax(), v));
    }

    long nowMillis() {
        return now / 1000;
    }

    /** Peer {@code index} (0 is the seed); for tests that drive the simulation step by step. */
    SimPeer peer(int index) {
        return peers[index];
    }

    // ---------------------------------------------------------------- the run

    public LabResult run() {
        for (SimPeer p : peers) {
            events.add(p.arrivalMicros, ARRIVE, p.index, 0);
        }
        events.add(0, SAMPLE, -1, 0);
        boolean timedOut = false;
        while (done < config.peers()) {
            if (events.isEmpty()) {
                break; // cannot happen while a peer is present (rechokes recur), but never loop on nothing
            }
            long t = events.topTime();
            if (t > maxMicros) {
                now = maxMicros;
                timedOut = true;
                break;
            }
            int kind = events.topKind();
            int index = events.topPeer();
            int gen = events.topGen();
            events.removeTop();
            now = t;
            processed++;
            switch (kind) {
                case ARRIVE -> arrive(peers[index]);
                case RECHOKE -> rechoke(peers[index], gen);
                case SENT -> sent(peers[index]);
                case LEAVE -> leave(peers[index]);
                case SAMPLE -> sample(true);
                case WAKE -> wake(peers[index]);
                default -> throw new IllegalStateException("unknown event " + kind);
            }
            tellAll();
        }
        if (samples.isEmpty() || samples.get(samples.size() - 1).seconds() != now / 1e6) {
            sample(false);
        }
        progress.update(now / 1e6, finished, config.peers());
        List<PeerRow> rows = new ArrayList<>(peers.length);
        for (SimPeer p : peers) {
            double completion = p.peerClass == PeerClass.SEED ? 0
                    : p.completedMicros >= 0 ? p.completedMicros / 1e6 : Double.NaN;
            rows.add(new PeerRow(p.index, p.peerClass, p.capacity, p.arrivalMicros / 1e6, completion, p.uploaded,
                    p.downloaded));
        }
        for (SimPeer p : peers) {
            if (!p.left) {
                closeStrategies(p);
            }
        }
        return new LabResult(config, rows, samples,
                List.of(pickerUse.toUse(), chokerUse.toUse(), seedChokerUse.toUse()), now / 1e6,
                !timedOut && done == config.peers(), processed);
    }

    private void sample(boolean periodic) {
        int rarest = othersPresent == 0 ? 0 : Integer.MAX_VALUE;
        int distinct = 0;
        for (int c : copies) {
            if (c < rarest) {
                rarest = c;
            }
            if (c > 0) {
                distinct++;
            }
        }
        samples.add(new Sample(now / 1e6, leechersPresent, othersPresent, rarest, distinct));
        if (periodic) {
            progress.update(now / 1e6, finished, config.peers());
            events.add(now + sampleMicros, SAMPLE, -1, 0);
        }
    }

    // ---------------------------------------------------------------- arrivals, connections, departures

    private void arrive(SimPeer p) {
        p.present = true;
        if (p.peerClass == PeerClass.SEED) {
            p.seedChoker = createChoker(p, seedChokerFactory, seedChokerUse);
        } else {
            othersPresent++;
            leechersPresent++;
            p.picker = createPicker(p);
            if (p.peerClass == PeerClass.NORMAL) {
                p.choker = createChoker(p, chokerFactory, chokerUse);
            }
        }
        long first = now + (long) (p.rechokePhase * rechokeIntervalMicros(p));
        scheduleRechoke(p, first);
        connect(p, maxConnections);
    }

    /**
     * Connects {@code p} to random present peers (the tracker's answer) until it has {@code want} connections. A
     * peer at the connection limit takes a newcomer only if it can close an idle connection for it.
     */
    private void connect(SimPeer p, int want) {
        want -= p.connections.size();
        if (want <= 0) {
            return;
        }
        stamp++;
        mark[p.index] = stamp;
        for (Connection c : p.connections) {
            mark[c.remote.index] = stamp;
        }
        int n = 0;
        for (SimPeer q : peers) {
            if (q.present && mark[q.index] != stamp && !(p.complete() && q.complete())
                    && (q.connections.size() < maxConnections || idle(q) != null)) {
                candidates[n++] = q.index;
            }
        }
        for (int i = 0; i < n && want > 0; i++) {
            int j = i + random.nextInt(n - i);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
            SimPeer q = peers[candidates[i]];
            if (q.connections.size() >= maxConnections) {
                Connection c = idle(q);
                if (c == null) {
                    continue; // no longer idle since the candidates were listed
                }
                disconnect(c); // at its limit: makes room by closing its oldest idle connection
            }
            link(p, q);
            want--;
        }
    }

    /** The oldest connection of {@code q} in which neither side is interested, or null. */
    private static Connection idle(SimPeer q) {
        for (int i = 0; i < q.connections.size(); i++) {
            Connection c = q.connections.get(i);
            if (!c.amInterested && !c.peerInterested()) {
                return c;
            }
        }
        return null;
    }

    /** A leecher none of whose peers has a piece it wants. */
    private static boolean starving(SimPeer q) {
        if (q.complete()) {
            return false;
        }
        for (int i = 0; i < q.connections.size(); i++) {
            if (q.connections.get(i).amInterested) {
                return false;
            }
        }
        return true;
    }

    void link(SimPeer a, SimPeer b) {
        Connection ab = new Connection(a, b, a.nextConnectionId++, now);
        Connection ba = new Connection(b, a, b.nextConnectionId++, now);
        ab.mirror = ba;
        ba.mirror = ab;
        a.connections.add(ab);
        b.connections.add(ba);
        a.addAvailability(b.have);
        b.addAvailability(a.have);
        ab.interestCount = b.have.countNotIn(a.have);
        ba.interestCount = a.have.countNotIn(b.have);
        setInterested(ab, ab.interestCount > 0);
        setInterested(ba, ba.interestCount > 0);
    }

    void disconnect(Connection c) {
        Connection m = c.mirror;
        SimPeer a = c.owner;
        SimPeer b = c.remote;
        c.closed = true;
        m.closed = true;
        a.connections.remove(c);
        b.connections.remove(m);
        if (!c.amChoking) {
            a.unchoked--;
        }
        if (!m.amChoking) {
            b.unchoked--;
        }
        releaseAll(c);
        releaseAll(m);
        if (!a.left) {
            a.removeAvailability(b.have);
        }
        if (!b.left) {
            b.removeAvailability(a.have);
        }
        // what was asked of the closed connection may be asked of the others (as the engine's detach)
        refillAll(a);
        refillAll(b);
    }

    private void refillAll(SimPeer p) {
        if (p.left || p.complete()) {
            return;
        }
        for (int i = 0; i < p.connections.size(); i++) {
            fill(p.connections.get(i));
        }
    }

    private void leave(SimPeer p) {
        if (p.left) {
            return;
        }
        p.left = true;
        p.present = false;
        if (p.peerClass != PeerClass.SEED) {
            othersPresent--;
            for (int piece = p.have.nextSetBit(0); piece >= 0; piece = p.have.nextSetBit(piece + 1)) {
                copies[piece]--;
            }
            if (!p.complete()) {
                leechersPresent--;
                done++;
            }
        }
        while (!p.connections.isEmpty()) {
            disconnect(p.connections.get(p.connections.size() - 1));
        }
        p.ring.clear();
        p.sending = null;
        closeStrategies(p);
        p.release();
    }

    private void finish(SimPeer p) {
        p.completedMicros = now;
        finished++;
        done++;
        leechersPresent--;
        if (lingerMicros == 0) {
            leave(p);
            return;
        }
        events.add(now + lingerMicros, LEAVE, p.index, 0);
        for (int i = p.connections.size() - 1; i >= 0; i--) {
            if (i < p.connections.size() && p.connections.get(i).remote.complete()) {
                disconnect(p.connections.get(i)); // seeds keep no connections to seeds
            }
        }
        if (p.peerClass == PeerClass.NORMAL) {
            p.seedChoker = createChoker(p, seedChokerFactory, seedChokerUse);
            scheduleRechoke(p, now + EARLY_RECHOKE_MICROS); // the seed choker takes over at once
        }
    }

    // ---------------------------------------------------------------- interest and requests

    private void setInterested(Connection c, boolean interested) {
        if (c.amInterested == interested) {
            return;
        }
        c.amInterested = interested;
        if (interested) {
            SimPeer r = c.remote;
            int slots = config.uploadSlots();
            if (r.peerClass != PeerClass.FREE_RIDER && (slots < 0 || r.unchoked < slots)) {
                scheduleRechoke(r, now + EARLY_RECHOKE_MICROS); // a slot is free: rechoke at the next tick
            }
        }
    }

    /** Asks the owner's picker for blocks to request from the remote, up to the connection's queue depth. */
    void fill(Connection d) {
        SimPeer a = d.owner;
        if (d.closed || a.left || a.complete() || !d.amInterested || d.peerChoking()) {
            return;
        }
        int room = targetQueue(d) - d.pending.size();
        if (room <= 0) {
            return;
        }
        tell(a); // news first: the picker knows every change the view shows
        if (a.picker == null) {
            return;
        }
        sink.reset(d, room);
        try {
            a.picker.pick(a, d, sink);
        } catch (RuntimeException | LinkageError e) {
            throw failed(pickerUse, a, e);
        } finally {
            sink.connection = null;
        }
        if (sink.accepted > 0) {
            pickerUse.decisions++;
            serve(d);
        }
    }

    /** As the engine: about two seconds of the connection's download rate, 8 to 250 blocks; 1 when snubbed. */
    private int targetQueue(Connection d) {
        if (d.snubbed()) {
            return 1;
        }
        long blocks = d.down.rate(nowMillis()) * 2 / LabConfig.BLOCK_SIZE;
        return (int) Math.max(MIN_QUEUE, Math.min(MAX_QUEUE, blocks));
    }

    private void releaseAll(Connection d) {
        SimPeer a = d.owner;
        if (!a.left) {
            for (int i = 0; i < d.pending.size(); i++) {
                int blk = d.pending.get(i);
                a.unrequested(blk / blocksPerPiece, blk % blocksPerPiece);
            }
        }
        d.pending.clear();
        d.headInFlight = false;
    }

    /** The remote choked the owner: queued requests are dropped; the block on the wire still arrives. */
    private void releaseQueued(Connection d) {
        int keep = d.headInFlight ? 1 : 0;
        SimPeer a = d.owner;
        while (d.pending.size() > keep) {
            int i = d.pending.size() - 1;
            int blk = d.pending.get(i);
            d.pending.removeAt(i);
            a.unrequested(blk / blocksPerPiece, blk % blocksPerPiece);
        }
    }

    // ---------------------------------------------------------------- uploading

    /** Puts a connection with requests in its remote's queue of connections to serve, and starts the link. */
    private void serve(Connection d) {
        SimPeer up = d.remote;
        if (!d.inRing && !d.closed && !d.pending.isEmpty() && !d.peerChoking()) {
            d.inRing = true;
            up.ring.addLast(d);
        }
        kick(up);
    }

    /**
     * Starts the next block on an idle upload link: the connections with requests take turns, one block each,
     * so the capacity is shared equally among the unchoked peers that are downloading; a connection the choker gave
     * a rate of its own ({@code ChokeDecision.unchoke(peer, rate)}) starts a block no sooner than that rate allows,
     * as the engine's per-peer bucket does, and the link wakes up when it may.
     */
    private void kick(SimPeer up) {
        if (up.sending != null || up.left) {
            return;
        }
        long wake = Long.MAX_VALUE;
        for (int n = up.ring.size(); n > 0; n--) {
            Connection d = up.ring.pollFirst();
            d.inRing = false;
            if (d.closed || d.peerChoking() || d.pending.isEmpty() || d.headInFlight) {
                continue;
            }
            Connection c = d.mirror; // the uploading side, which the choker decided on
            int len = blockLength(d.pending.first());
            if (c.rateCap > 0) {
                if (c.nextSendMicros > now) {
                    wake = Math.min(wake, c.nextSendMicros);
                    d.inRing = true;
                    up.ring.addLast(d);
                    continue;
                }
                c.nextSendMicros = now + Math.ceilDiv(len * 1_000_000L, c.rateCap);
            }
            d.headInFlight = true;
            up.sending = d;
            long micros = Math.max(1, Math.ceilDiv(len * 1_000_000L, up.capacity));
            events.add(now + micros, SENT, up.index, 0);
            return;
        }
        if (wake != Long.MAX_VALUE && (up.wakeAt <= now || wake < up.wakeAt)) {
            up.wakeAt = wake;
            events.add(wake, WAKE, up.index, 0);
        }
    }

    /** A connection held to its rate may send again. */
    private void wake(SimPeer up) {
        if (up.wakeAt <= now) {
            up.wakeAt = 0;
        }
        kick(up);
    }

    private int blockLength(int blk) {
        int block = blk % blocksPerPiece;
        return Math.min(LabConfig.BLOCK_SIZE, pieceLength - block * LabConfig.BLOCK_SIZE);
    }

    /** The block on the wire arrived. */
    void sent(SimPeer up) {
        Connection d = up.sending;
        up.sending = null;
        if (up.left) {
            return;
        }
        if (d != null && !d.closed && d.headInFlight) {
            int blk = d.pending.removeFirst();
            d.headInFlight = false;
            long len = blockLength(blk);
            long ms = nowMillis();
            SimPeer a = d.owner;
            up.uploaded += len;
            up.upMeter.add(len, ms);
            d.mirror.uploaded += len;
            d.mirror.up.add(len, ms);
            a.downloaded += len;
            d.downloaded += len;
            d.down.add(len, ms);
            receive(d, blk);
            serve(d);
        }
        kick(up);
    }

    private void receive(Connection d, int blk) {
        SimPeer a = d.owner;
        d.lastReceivedMicros = now;
        int piece = blk / blocksPerPiece;
        int block = blk % blocksPerPiece;
        if (!a.receiveBlock(piece, block)) {
            fill(d); // a duplicate in endgame
            return;
        }
        if (a.requestCount(piece, block) > 0) {
            // endgame: the block was asked of others too; cancel what has not gone on the wire
            for (int i = 0; i < a.connections.size(); i++) {
                Connection o = a.connections.get(i);
                int at = o == d ? -1 : o.pending.indexOf(blk);
                if (at >= 0 && !(at == 0 && o.headInFlight)) {
                    o.pending.removeAt(at);
                    a.unrequested(piece, block);
                }
            }
        }
        if (a.allBlocksReceived(piece)) {
            verified(a, piece);
        }
        fill(d);
    }

    void verified(SimPeer a, int piece) {
        a.verify(piece); // the picker hears of it at the end of the event, or before its next pick
        copies[piece]++;
        for (int i = 0; i < a.connections.size(); i++) {
            Connection c = a.connections.get(i);
            Connection back = c.mirror;
            SimPeer n = c.remote;
            n.peerHas(piece);
            if (!n.have.contains(piece)) {
                back.interestCount++;
                setInterested(back, true);
                fill(back); // the remote may ask for the new piece if we unchoke it
            } else if (--c.interestCount == 0) {
                setInterested(c, false);
            }
        }
        if (a.complete()) {
            finish(a);
        }
    }

    // ---------------------------------------------------------------- choking

    private long rechokeIntervalMicros(SimPeer p) {
        Choker ch = p.complete() ? p.seedChoker : p.choker;
        if (ch == null) {
            return FREE_RIDER_ANNOUNCE_MICROS;
        }
        long ms;
        try {
            ms = ch.rechokeIntervalMillis();
        } catch (RuntimeException | LinkageError e) {
            throw failed(p.complete() ? seedChokerUse : chokerUse, p, e);
        }
        return Math.max(1_000, Math.min(60_000, ms)) * 1000;
    }

    private void scheduleRechoke(SimPeer p, long at) {
        if (at < p.nextRechokeMicros) {
            p.nextRechokeMicros = at;
            p.rechokeGen++;
            events.add(at, RECHOKE, p.index, p.rechokeGen);
        }
    }

    private void rechoke(SimPeer q, int gen) {
        if (q.left || gen != q.rechokeGen) {
            return;
        }
        q.nextRechokeMicros = Long.MAX_VALUE;
        boolean starving = starving(q);
        if (starving) {
            // nothing to get from anyone: let go of the connections that serve neither side, and look further
            for (Connection c = idle(q); c != null; c = idle(q)) {
                disconnect(c);
            }
        }
        if (starving || q.connections.size() < Math.max(1, maxConnections / 2)) {
            connect(q, maxConnections); // too few peers, or none useful: ask the tracker for more
        }
        if (q.peerClass != PeerClass.FREE_RIDER) {
            chokeRound(q);
        }
        scheduleRechoke(q, now + rechokeIntervalMicros(q));
    }

    private void chokeRound(SimPeer q) {
        boolean seeding = q.complete();
        Choker choker = seeding ? q.seedChoker : q.choker;
        StrategyUsage use = seeding ? seedChokerUse : chokerUse;
        for (int i = 0; i < q.connections.size(); i++) {
            Connection c = q.connections.get(i);
            if (c.peerInterested()) {
                interested.add(c);
            }
        }
        decision.reset(q, ++round);
        try {
            choker.rechoke(q, interested, decision);
        } catch (RuntimeException | LinkageError e) {
            throw failed(use, q, e);
        } finally {
            interested.clear();
            decision.peer = null;
        }
        use.decisions++;
        long ms = nowMillis();
        for (int i = 0; i < q.connections.size(); i++) {
            Connection c = q.connections.get(i);
            boolean unchoke = c.unchokeRound == round && c.peerInterested();
            c.optimistic = c == decision.optimistic;
            c.rateCap = unchoke && c.rateRound == round ? c.rateGiven : 0;
            if (unchoke && c.amChoking) {
                c.amChoking = false;
                c.lastUnchokedAtMillis = ms;
                q.unchoked++;
                unchokedNow.add(c);
            } else if (!unchoke && !c.amChoking) {
                c.amChoking = true;
                q.unchoked--;
                releaseQueued(c.mirror);
            }
            c.downloadedAtRechoke = c.downloaded;
            c.uploadedAtRechoke = c.uploaded;
        }
        decision.optimistic = null;
        for (int i = 0; i < unchokedNow.size(); i++) {
            fill(unchokedNow.get(i).mirror); // the unchoked peer asks for blocks
        }
        unchokedNow.clear();
    }

    // ---------------------------------------------------------------- strategies

    /** A peer's picker has news to hear (see {@link SimPeer#tellPicker()}). */
    void queueNews(SimPeer p) {
        if (!p.newsQueued) {
            p.newsQueued = true;
            withNews.add(p);
        }
    }

    /** Tells a peer's picker its news now. */
    void tell(SimPeer p) {
        if (!p.newsQueued) {
            return;
        }
        p.newsQueued = false;
        try {
            p.tellPicker();
        } catch (RuntimeException | LinkageError e) {
            p.dropNews();
            throw failed(pickerUse, p, e);
        }
    }

    /** At the end of an event: every picker hears its news, in the order the peers got it. */
    void tellAll() {
        for (int i = 0; i < withNews.size(); i++) {
            tell(withNews.get(i));
        }
        withNews.clear();
    }

    PiecePicker createPicker(SimPeer p) {
        PiecePicker picker;
        try {
            picker = pickerFactory.create(p);
        } catch (RuntimeException | LinkageError e) {
            throw failed(pickerUse, p, e);
        }
        if (picker == null) {
            throw failed(pickerUse, p, new NullPointerException("the factory made no picker"));
        }
        pickerUse.instances++;
        return picker;
    }

    private Choker createChoker(SimPeer p, ChokerFactory factory, StrategyUsage use) {
        Choker choker;
        try {
            choker = factory.create(p);
        } catch (RuntimeException | LinkageError e) {
            throw failed(use, p, e);
        }
        if (choker == null) {
            throw failed(use, p, new NullPointerException("the factory made no choker"));
        }
        use.instances++;
        return choker;
    }

    /** As the engine, a strategy that throws while closing cannot hold anything back. */
    private static void closeStrategies(SimPeer p) {
        try {
            if (p.picker != null) {
                p.picker.close();
            }
            if (p.choker != null) {
                p.choker.close();
            }
            if (p.seedChoker != null) {
                p.seedChoker.close();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // closing is the end of the instance either way
        }
        p.picker = null;
        p.choker = null;
        p.seedChoker = null;
    }

    private IllegalStateException failed(StrategyUsage use, SimPeer p, Throwable e) {
        return new IllegalStateException(String.format(Locale.ROOT,
                "%s '%s' failed at %.3f s (virtual) for %s: %s", use.kind, use.name, now / 1e6, p, e), e);
    }

    /** The lab's side of {@link BlockRequests}: validates each block as the engine does and queues it. */
    private final class Sink implements BlockRequests {
        Connection connection;
        int limit;
        int accepted;

        void reset(Connection d, int max) {
            connection = d;
            limit = max;
            accepted = 0;
        }

        @Override
        public boolean request(int piece, int block) {
            Connection d = connection;
            if (d == null || accepted >= limit || piece < 0 || piece >= pieceCount || block < 0
                    || block >= blocksPerPiece) {
                return false;
            }
            SimPeer a = d.owner;
            if (!d.remote.have.contains(piece) || !a.wanted.contains(piece) || a.isReceived(piece, block)
                    || d.peerChoking()) {
                return false;
            }
            int blk = piece * blocksPerPiece + block;
            if (a.requestCount(piece, block) > 0 && (!a.endgame() || d.pending.indexOf(blk) >= 0)) {
                return false;
            }
            a.requested(piece, block);
            d.pending.add(blk);
            accepted++;
            return true;
        }

        @Override
        public int accepted() {
            return accepted;
        }

        @Override
        public int remaining() {
            return connection == null ? 0 : limit - accepted;
        }
    }

    /** The lab's side of {@link ChokeDecision} for one rechoke of one peer. */
    private final class Decision implements ChokeDecision {
        SimPeer peer;
        long round;
        Connection optimistic;

        void reset(SimPeer p, long r) {
            peer = p;
            round = r;
            optimistic = null;
        }

        @Override
        public int uploadSlots() {
            return config.uploadSlots();
        }

        /** The peer's upload capacity is its limit. */
        @Override
        public long uploadLimit() {
            return peer == null ? -1 : peer.capacity;
        }

        @Override
        public long uploadRate() {
            return peer == null ? 0 : peer.upMeter.rate(nowMillis());
        }

        @Override
        public void unchoke(PeerView view) {
            Connection c = own(view);
            if (c != null) {
                c.unchokeRound = round;
                c.rateRound = -1;
            }
        }

        @Override
        public void unchoke(PeerView view, long bytesPerSecond) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("an upload rate must be positive: " + bytesPerSecond);
            }
            Connection c = own(view);
            if (c != null) {
                c.unchokeRound = round;
                c.rateRound = round;
                c.rateGiven = bytesPerSecond;
            }
        }

        @Override
        public void unchokeOptimistically(PeerView view) {
            Connection c = own(view);
            if (c != null) {
                c.unchokeRound = round;
                c.rateRound = -1;
                optimistic = c;
            }
        }

        /** The connection of the peer being rechoked that the view is, or null (a stale or foreign view). */
        private Connection own(PeerView view) {
            return view instanceof Connection c && c.owner == peer && !c.closed ? c : null;
        }
    }
}
