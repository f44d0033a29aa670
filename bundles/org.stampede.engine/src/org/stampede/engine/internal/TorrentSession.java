package org.stampede.engine.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.stampede.api.ChokeDecision;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PeerView;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.storage.Storage;
import org.stampede.wire.ExtensionHandshake;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;

/**
 * One torrent being downloaded or seeded: its peers, its piece state, its storage and the strategies deciding for
 * it. All state is guarded by {@link #lock}, one lock per torrent (never a global one); network threads, disk
 * threads and the engine's timer all take it briefly.
 * <p>
 * <b>Strategy code never runs on those threads.</b> They only note what the strategies are to hear of (a peer to
 * pick blocks for, a piece verified or failed, a rechoke due) and schedule the torrent's <em>strategy task</em>,
 * which runs on the engine's strategy threads, one at a time per torrent, and makes the calls. Nor do they wait for
 * the lock longer than {@link #LOCK_WAIT_MS}: when it is held longer (a strategy call that does not return), a
 * peer's message waits in its inbox (the peer's reading paused meanwhile), a disk or transport callback in the
 * hand-over queue, and the timer skips the torrent; the strategy task works through them once it has the lock. A
 * strategy that hangs so stalls its own torrent, whose status says so, and nothing else.
 */
final class TorrentSession {
    /** Requests a peer may have queued with us: twice the 250 we advertise (reqq), for slack. */
    static final int ADVERTISED_REQUEST_QUEUE = 250;
    static final int MAX_QUEUED_UPLOADS = 2 * ADVERTISED_REQUEST_QUEUE;
    static final int MAX_READS_IN_FLIGHT = 4;
    /**
     * Bytes queued for sending to one peer at which no more blocks are read for it; once the transport has written
     * the queue down to {@link #SEND_QUEUE_LOW} it calls {@link #drained}, which serves more at once (waiting for the
     * next request or timer tick instead halved the upload rate on loopback).
     */
    static final long SEND_QUEUE_HIGH = 512 * 1024;
    static final long SEND_QUEUE_LOW = SEND_QUEUE_HIGH / 2;
    /**
     * Direct buffers this torrent serves blocks from (1 MiB at most): enough for one fast peer's send queue and reads
     * in flight; blocks beyond them are read into new heap buffers.
     */
    static final int BLOCK_FRAMES = 64;
    /**
     * Blocks of one peer waiting for the disk above which no more are requested from it, and at which requesting
     * starts again. Back-pressure through requests, not by suspending reads: MINA applies a resumeRead from another
     * thread only when its selector next wakes up, up to a second later.
     */
    static final int WRITES_PAUSE = 64;
    static final int WRITES_RESUME = 16;
    /** Milliseconds before an unanswered request is cancelled and asked of others; tests shorten it. */
    static volatile long requestTimeoutMillis = 30_000;
    static final long SNUB_MS = 60_000;
    static final long IDLE_MS = 180_000;
    /** Silence after which we send a keep-alive (BEP 3: peers drop a connection quiet for two minutes). */
    static final long KEEP_ALIVE_MS = 60_000;
    static final long STRATEGY_BUDGET_NANOS = 50_000_000;
    /** How long a network, disk or timer thread waits for the torrent's lock before handing its work over. */
    static final long LOCK_WAIT_MS = 100;
    /**
     * Messages a peer may have waiting in its inbox before its reading is paused: a short wait for the lock costs no
     * pause (a transport may apply a resume from another thread only when its selector next wakes up), a long one
     * costs at most this many messages of memory per peer.
     */
    static final int INBOX_PAUSE = 8;
    /** A strategy call running this long is reported in the torrent's status; tests shorten it. */
    static volatile long hungStrategyMillis = 10_000;
    /**
     * How long a caller of the API (status, peers) waits for the lock, held by a slow strategy call, before it gets
     * the last answer computed instead.
     */
    static final long USER_WAIT_MS = 1_000;

    final EngineContext engine;
    final Torrent torrent;
    final byte[] infoHash;
    final String infoHashHex;
    final TorrentState state;
    final Storage storage;
    final BlockPool blocks = new BlockPool(BLOCK_FRAMES);
    final ReentrantLock lock = new ReentrantLock();
    final Map<Integer, PeerConnection> peers = new LinkedHashMap<>();
    final StrategySlot<PiecePicker> picker;
    final StrategySlot<Choker> choker;
    final StrategySlot<Choker> seedChoker;
    final AddOptions options;
    final TokenBucket downLimit;
    final TokenBucket upLimit;
    final RateMeter down = new RateMeter(5);
    final RateMeter up = new RateMeter(5);
    private final Map<Integer, Set<InetAddress>> contributors = new HashMap<>();
    /**
     * Per piece, the peer on parole downloading it alone (see {@link #blame}), or null; the array is made when a
     * first peer goes on parole, so torrents without bad data pay nothing for it.
     */
    private PeerConnection[] paroleOwner;
    private final Map<Integer, Integer> writesInFlight = new HashMap<>();
    private final RequestSink sink = new RequestSink();
    private final ExtensionHost extensionHost = new ExtensionHost(this);
    private final Decision decision = new Decision();
    private int nextPeerId = 1;
    private long lastRechoke;
    private int rechokeRound;
    TorrentStatus.State status = TorrentStatus.State.CHECKING;
    String error;
    volatile boolean stopped;
    /** Peers attached: read without the lock by the engine's timer to skip torrents without any. */
    volatile int peerCount;
    /** The torrent as extensions see it; set by the engine before the session starts. */
    org.stampede.spi.SwarmContext swarm;
    /** Whether {@link #finished()} ran (a torrent completed while paused finishes when resumed). */
    private boolean finishedOnce;
    /** In {@link TorrentStatus.State#ERROR} because storage failed (not the check): the user's resume retries. */
    private boolean diskError;
    long decisionsByPicker;

    /** Runs the strategy task: the engine's strategy threads (tests may run it inline). */
    Executor strategyExecutor;
    private final AtomicBoolean strategyTaskScheduled = new AtomicBoolean();
    private final Runnable strategyTask = this::runStrategyTask;
    /** Work handed over by threads that could not get the lock in time, in their order; the strategy task runs it. */
    private final ConcurrentLinkedQueue<Runnable> handedOver = new ConcurrentLinkedQueue<>();
    /** Guarded by the lock: the strategy task is running (an inline one must not nest). */
    private boolean strategyTaskRunning;
    /** Guarded by the lock: peers marked {@link PeerConnection#fillWanted}, a rechoke asked for. */
    private int fillsWanted;
    private boolean rechokeDue;
    /** Guarded by the lock: the choker's wish, asked on the strategy task after each rechoke. */
    private long rechokeInterval = 10_000;
    /** Guarded by the lock: pieces the picker is to hear of, verified ({@code piece}) or failed ({@code -1 - piece}). */
    private int[] pickerNews = new int[16];
    private int pickerNewsCount;
    /** When the strategy call in progress began (System.nanoTime()), or 0; and which strategy it is. */
    private volatile long strategyCallSince;
    private volatile String strategyCallName;
    /** The last status computed, for callers that cannot get the lock in time. */
    private volatile TorrentStatus lastStatus;
    private volatile List<PeerStatus> lastPeers = List.of();

    TorrentSession(EngineContext engine, Torrent torrent, Storage storage, AddOptions options) {
        this.engine = engine;
        this.torrent = torrent;
        this.infoHash = torrent.infoHashV1() != null ? torrent.infoHashV1().bytes()
                : torrent.infoHashV2().truncatedV1().bytes();
        this.infoHashHex = java.util.HexFormat.of().formatHex(infoHash);
        this.storage = storage;
        this.options = options;
        long lastPieceStart = torrent.pieceLength() * (torrent.pieceCount() - 1L);
        long streamLength = lastPieceStart + storage.pieceSize(torrent.pieceCount() - 1);
        this.state = new TorrentState(infoHashHex, torrent.pieceCount(), torrent.pieceLength(), streamLength,
                torrent.version() == Torrent.Version.V2 ? storage::pieceSize : null, engine::nowMillis);
        this.downLimit = new TokenBucket(options.downloadLimit(), System.nanoTime());
        this.upLimit = new TokenBucket(options.uploadLimit(), System.nanoTime());
        this.picker = new StrategySlot<>(StrategyKind.PICKER, null, null);
        this.choker = new StrategySlot<>(StrategyKind.CHOKER, null, null);
        this.seedChoker = new StrategySlot<>(StrategyKind.SEED_CHOKER, null, null);
        this.strategyExecutor = engine.strategyExecutor();
    }

    /** Sets up the strategies, the wanted pieces and what storage already has. */
    void start(BitSet verified) {
        start(verified, null);
    }

    /**
     * As {@link #start(BitSet)}, in state {@code waiting} ({@link TorrentStatus.State#PAUSED} or
     * {@link TorrentStatus.State#QUEUED}) instead of running when it is not null.
     */
    void start(BitSet verified, TorrentStatus.State waiting) {
        Map<String, String> stored = engine.selections().load(infoHashHex); // outside the lock: it may read a file
        lock.lock();
        try {
            state.setPriorities(pieceLevels(storage.wantedPieces()));
            for (int p = verified.nextSetBit(0); p >= 0; p = verified.nextSetBit(p + 1)) {
                state.setHave(p);
            }
            startStrategy(picker, options.picker(), stored);
            startStrategy(choker, options.choker(), stored);
            startStrategy(seedChoker, options.seedChoker(), stored);
            finishedOnce = state.complete();
            setStatus(waiting != null ? waiting
                    : state.complete() ? TorrentStatus.State.SEEDING : TorrentStatus.State.DOWNLOADING);
        } finally {
            lock.unlock();
        }
        // strategies named when adding are a user's choice for this torrent: remembered for its next run
        remember(StrategyKind.PICKER, options.picker());
        remember(StrategyKind.CHOKER, options.choker());
        remember(StrategyKind.SEED_CHOKER, options.seedChoker());
    }

    /** The strategy a slot starts with: named when adding, else stored for the torrent, else the default. */
    private void startStrategy(StrategySlot<?> slot, String named, Map<String, String> stored) {
        Selections.Choice c = Selections.choose(slot.kind, named, stored.get(slot.kind),
                n -> engine.registry().get(slot.kind, n) != null);
        if (c.note() != null) {
            engine.log(infoHashHex + ": " + c.note());
        }
        install(slot, c.name(), c.reason());
    }

    /** Stores a user's choice of strategy for this torrent (not under the lock: it may write a file). */
    private void remember(String kind, String name) {
        if (name != null) {
            engine.selections().save(infoHashHex, kind, name);
        }
    }

    // ---------------------------------------------------------------- strategies

    @SuppressWarnings("unchecked")
    private <T> boolean install(StrategySlot<T> slot, String wanted, String reason) {
        String name = wanted != null ? wanted : engine.defaultStrategy(slot.kind);
        StrategyRegistry.Entry e = engine.registry().get(slot.kind, name);
        if (e == null) {
            if (wanted != null && slot.instance == null) {
                throw new IllegalArgumentException("no " + slot.kind + " named '" + name + "' is installed");
            }
            return false;
        }
        Object instance;
        try {
            instance = StrategyKind.PICKER.equals(slot.kind) ? ((PiecePickerFactory) e.factory()).create(state)
                    : ((ChokerFactory) e.factory()).create(state);
        } catch (RuntimeException | LinkageError ex) {
            engine.log("strategy " + name + " failed to start for " + infoHashHex + ": " + ex);
            return false;
        }
        closeQuietly(slot);
        slot.instance = (T) instance;
        slot.name = name;
        slot.overruns = 0;
        engine.recordStrategy(infoHashHex, slot.kind, name, reason);
        return true;
    }

    private void closeQuietly(StrategySlot<?> slot) {
        if (slot.instance == null) {
            return;
        }
        try {
            if (slot.instance instanceof PiecePicker p) {
                p.close();
            } else if (slot.instance instanceof Choker c) {
                c.close();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // a closing strategy cannot hold the torrent back
        }
    }

    /** Switches a strategy of this torrent; connections and requests in flight stay as they are. */
    void switchStrategy(String kind, String name) {
        lock.lock();
        try {
            StrategySlot<?> slot = slot(kind);
            if (engine.registry().get(kind, name) == null) {
                throw new IllegalArgumentException("no " + kind + " named '" + name + "' is installed");
            }
            if (!install(slot, name, "switch")) {
                throw new IllegalStateException(name + " could not start; " + slot.name + " stays");
            }
            if (StrategyKind.PICKER.equals(kind)) {
                for (PeerConnection p : peers.values()) {
                    fill(p);
                }
            }
        } finally {
            lock.unlock();
        }
        remember(kind, name);
    }

    StrategySlot<?> slot(String kind) {
        return switch (kind) {
            case StrategyKind.PICKER -> picker;
            case StrategyKind.CHOKER -> choker;
            case StrategyKind.SEED_CHOKER -> seedChoker;
            default -> throw new IllegalArgumentException("unknown strategy kind '" + kind + "'");
        };
    }

    /** A strategy's bundle went away: torrents using it fall back to the default now. */
    void strategyRemoved(String kind, String name) {
        lock.lock();
        try {
            StrategySlot<?> slot = slot(kind);
            if (name.equals(slot.name)) {
                fallback(slot, "uninstalled");
            }
        } finally {
            lock.unlock();
        }
    }

    private void fallback(StrategySlot<?> slot, String why) {
        String from = slot.name;
        String to = engine.defaultStrategy(slot.kind);
        engine.log(infoHashHex + ": " + slot.kind + " " + from + " " + why + "; falling back to " + to);
        if (to.equals(from) || !install(slot, to, "fallback from " + from + ": " + why)) {
            slot.instance = null;
            slot.name = null;
        }
    }

    private void strategyFailed(StrategySlot<?> slot, Throwable t) {
        fallback(slot, "failed: " + t);
    }

    private void timed(StrategySlot<?> slot, long startNanos) {
        long spent = System.nanoTime() - startNanos;
        if (spent > STRATEGY_BUDGET_NANOS) {
            if (++slot.overruns >= 3) {
                fallback(slot, "overran its time budget (" + spent / 1_000_000 + " ms)");
            }
        } else {
            slot.overruns = 0;
        }
    }

    // ---------------------------------------------------------------- peers

    /** Extensions came or went: handlers of removed ones are closed on every connection. */
    void extensionsChanged() {
        lock.lock();
        try {
            extensionHost.extensionsChanged(peers.values());
        } finally {
            lock.unlock();
        }
    }

    /** A handshake completed: the peer joins the torrent. Returns null when it may not (limits, ban, stopped). */
    PeerConnection attach(PeerChannel channel, Handshake theirs, boolean outgoing, Handshake ours) {
        if (!lockBriefly()) {
            return null; // the torrent is stuck in a strategy call: the peer may come back later
        }
        try {
            if (stopped || status == TorrentStatus.State.PAUSED || status == TorrentStatus.State.QUEUED
                    || peers.size() >= engine.settings().maxPeersPerTorrent()) {
                return null;
            }
            for (PeerConnection p : peers.values()) {
                if (java.util.Arrays.equals(p.peerId.bytes(), theirs.peerId().bytes())) {
                    return null; // already connected to this peer
                }
            }
            boolean fast = theirs.supportsFast() && ours.supportsFast();
            boolean ext = theirs.supportsExtensions() && ours.supportsExtensions();
            PeerConnection p = new PeerConnection(nextPeerId++, channel, theirs.peerId(), outgoing, fast, ext,
                    state.pieceCount(), engine.nowMillis());
            peers.put(p.id, p);
            peerCount = peers.size();
            engine.post(EngineEvents.PEER_CONNECTED, Map.of(EngineEvents.INFO_HASH, infoHashHex, EngineEvents.PEER,
                    String.valueOf(channel.remoteAddress()), EngineEvents.CLIENT, p.clientName));
            if (ext) {
                p.send(extensionHost.ourHandshake(p).toMessage());
            }
            Bitfield have = state.haveBits();
            if (fast && have.isFull()) {
                p.send(Message.HaveAll.INSTANCE);
            } else if (fast && have.isEmpty()) {
                p.send(Message.HaveNone.INSTANCE);
            } else if (!have.isEmpty()) {
                p.send(Message.Bitfield.of(have.toWire()));
            }
            return p;
        } finally {
            lock.unlock();
        }
    }

    /** The connection ended: whatever we had asked of it is free to ask of others. */
    void detach(PeerConnection p) {
        if (!lockBriefly()) {
            handOver(() -> detach(p));
            return;
        }
        try {
            if (peers.remove(p.id) == null) {
                return;
            }
            peerCount = peers.size();
            extensionHost.close(p);
            engine.post(EngineEvents.PEER_DISCONNECTED, Map.of(EngineEvents.INFO_HASH, infoHashHex,
                    EngineEvents.PEER, String.valueOf(p.address())));
            for (PeerConnection.Pending r : p.pending) {
                state.unrequested(r.piece(), r.block());
            }
            p.pending.clear();
            p.uploads.clear();
            state.peerGone(p.pieces);
            if (paroleOwner != null && p.onParole()) {
                for (int i = 0; i < paroleOwner.length; i++) {
                    if (paroleOwner[i] == p) {
                        paroleOwner[i] = null;
                    }
                }
            }
            for (PeerConnection other : peers.values()) {
                fill(other);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Handles one message from a peer; a protocol violation closes the connection. */
    void onMessage(PeerConnection p, Message m) {
        if (!p.inbox.isEmpty() || !lockBriefly()) {
            // behind the messages already waiting, or the lock is held too long: the strategy task takes it
            synchronized (p.inbox) { // with readInbox: reading is never left paused with nothing waiting
                p.inbox.add(m);
                if (!p.readingHeld && p.inbox.size() >= INBOX_PAUSE) {
                    p.readingHeld = true;
                    p.channel.suspendRead();
                }
            }
            handOver(() -> readInbox(p));
            return;
        }
        try {
            receive(p, m);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: one message of a peer that is still attached. */
    private void receive(PeerConnection p, Message m) {
        if (!peers.containsKey(p.id)) {
            return;
        }
        try {
            p.lastMessageAt = engine.nowMillis();
            handle(p, m);
        } catch (Violation v) {
            engine.log(p + ": " + v.getMessage() + "; disconnecting");
            p.channel.close(v.getMessage());
        }
    }

    /** Under the lock, on the strategy task: the messages that waited for it, in order; then reading goes on. */
    private void readInbox(PeerConnection p) {
        for (;;) {
            Message m;
            synchronized (p.inbox) {
                m = p.inbox.poll();
                if (m == null) {
                    if (p.readingHeld) {
                        p.readingHeld = false;
                        p.channel.resumeRead();
                    }
                    return;
                }
            }
            receive(p, m);
        }
    }

    /**
     * Takes the lock if it is free within {@link #LOCK_WAIT_MS}; false otherwise (or when interrupted), and the
     * caller hands its work over instead of waiting.
     */
    private boolean lockBriefly() {
        return lockWithin(LOCK_WAIT_MS);
    }

    /** Takes the lock if it is free within {@code millis} (0: only if free now); false otherwise. */
    private boolean lockWithin(long millis) {
        try {
            return millis <= 0 ? lock.tryLock() : lock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Queues work for the strategy task, which runs it under the lock. Allocates: only when the lock was busy. */
    private void handOver(Runnable work) {
        handedOver.add(work);
        scheduleStrategyTask();
    }

    /** Makes sure the strategy task runs (soon) once more; cheap when it is already scheduled. */
    private void scheduleStrategyTask() {
        if (strategyTaskScheduled.compareAndSet(false, true)) {
            try {
                strategyExecutor.execute(strategyTask);
            } catch (RejectedExecutionException e) {
                strategyTaskScheduled.set(false); // the engine is closing
            }
        }
    }

    /**
     * The strategy task: the work handed over, the picker's news, a due rechoke and the picks for every peer that
     * wants blocks, until none is left. Each strategy call is timed, and watched by the engine's timer.
     */
    private void runStrategyTask() {
        strategyTaskScheduled.set(false); // from here on new work schedules another run
        lock.lock();
        try {
            if (strategyTaskRunning) {
                return; // an inline run nested in another: the outer one does the work
            }
            strategyTaskRunning = true;
            try {
                for (boolean any = true; any;) {
                    any = false;
                    for (Runnable r; (r = handedOver.poll()) != null;) {
                        any = true;
                        r.run();
                    }
                    if (stopped) {
                        return;
                    }
                    if (pickerNewsCount > 0) {
                        any = true;
                        tellPicker();
                    }
                    if (rechokeDue) {
                        any = true;
                        rechokeDue = false;
                        rechoke();
                    }
                    if (fillsWanted > 0) {
                        any = true;
                        fillsWanted = 0;
                        for (PeerConnection p : peers.values()) {
                            if (p.fillWanted) {
                                p.fillWanted = false;
                                pick(p);
                            }
                        }
                    }
                }
            } finally {
                strategyTaskRunning = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** What a strategy call in progress has been doing for too long, or null. */
    String hungStrategy() {
        long since = strategyCallSince;
        if (since == 0) {
            return null;
        }
        long ms = (System.nanoTime() - since) / 1_000_000;
        return ms < hungStrategyMillis ? null
                : "the " + strategyCallName + " has not returned for " + ms / 1000 + " s; the torrent waits for it";
    }

    private void calling(StrategySlot<?> slot) {
        strategyCallName = slot.kind + " " + slot.name;
        strategyCallSince = System.nanoTime();
    }

    private void returned(StrategySlot<?> slot, long startNanos) {
        strategyCallSince = 0;
        timed(slot, startNanos);
    }

    /** A peer broke the protocol. */
    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    private void handle(PeerConnection p, Message m) {
        switch (m) {
            case Message.KeepAlive k -> {
            }
            case Message.Choke c -> {
                p.peerChoking = true;
                if (!p.fast) {
                    // without the Fast extension a choke discards every request
                    releaseAll(p, false);
                }
            }
            case Message.Unchoke u -> {
                p.peerChoking = false;
                fill(p);
            }
            case Message.Interested i -> {
                p.peerInterested = true;
                if (unchokedCount() < engine.settings().uploadSlots()) {
                    lastRechoke = 0; // rechoke at the next tick: a slot is free
                }
            }
            case Message.NotInterested n -> {
                p.peerInterested = false;
            }
            case Message.Have h -> {
                if (p.pieces.set(h.index())) {
                    state.peerHas(h.index());
                    if (!p.amInterested && state.wanted().contains(h.index())) {
                        setInterested(p, true);
                    }
                    fill(p);
                }
            }
            case Message.Bitfield b -> {
                // a repeated or late bitfield replaces what we knew (aria2 sends its bitfield twice, around its
                // allowed-fast set; libtorrent takes it too): the old pieces stop counting, the new ones count once
                byte[] bits = new byte[b.length()];
                b.bits().duplicate().get(bits);
                Bitfield theirs = Bitfield.fromWire(bits, state.pieceCount());
                state.peerGone(p.pieces);
                p.pieces = theirs;
                state.peerHasAll(p.pieces);
                updateInterest(p);
                fill(p);
            }
            case Message.HaveAll a -> {
                state.peerGone(p.pieces); // a repeated or late have-all must not count pieces twice
                p.pieces.setAll();
                state.peerHasAll(p.pieces);
                updateInterest(p);
            }
            case Message.HaveNone n -> {
            }
            case Message.Request r -> onRequest(p, r);
            case Message.Piece pc -> onPiece(p, pc);
            case Message.Cancel c -> p.cancelUpload(c.index(), c.begin(), c.length());
            case Message.RejectRequest r -> {
                int block = r.begin() / TorrentState.BLOCK;
                if (p.hasPending(r.index(), block, true)) {
                    state.unrequested(r.index(), block);
                    fill(p);
                }
            }
            case Message.AllowedFast a -> {
                p.allowedFast.set(a.index());
                if (p.peerChoking) {
                    fill(p);
                }
            }
            case Message.SuggestPiece s -> {
            }
            case Message.Port port -> {
            }
            case Message.Unknown u -> {
                // unknown message ids are ignored (BEP 3 leaves room for extensions)
            }
            case Message.Extended e -> {
                if (e.extendedId() == 0) {
                    ExtensionHandshake hs;
                    try {
                        hs = ExtensionHandshake.decode(e.payload());
                    } catch (org.stampede.wire.ProtocolException ex) {
                        throw new Violation("bad extension handshake: " + ex.getMessage());
                    }
                    hs.client().ifPresent(name -> p.clientName = name);
                    extensionHost.theirHandshake(p, hs);
                } else {
                    extensionHost.message(p, e);
                }
            }
        }
    }

    private void updateInterest(PeerConnection p) {
        boolean want = p.pieces.hasAnyNotIn(state.have(), state.wanted());
        setInterested(p, want);
        if (want) {
            fill(p);
        }
    }

    private void setInterested(PeerConnection p, boolean interested) {
        if (p.amInterested != interested) {
            p.amInterested = interested;
            p.send(interested ? Message.Interested.INSTANCE : Message.NotInterested.INSTANCE);
        }
    }

    // ---------------------------------------------------------------- downloading

    /** How many requests to keep outstanding with a peer: about two seconds of its rate, 4 to 250 blocks. */
    private int targetQueue(PeerConnection p) {
        if (p.snubbed) {
            return 1;
        }
        long rate = p.down.rate(engine.nowMillis());
        long blocks = rate * 2 / TorrentState.BLOCK;
        return (int) Math.max(8, Math.min(250, blocks));
    }

    /** Under the lock: the peer may want more requests; the strategy task asks the picker. */
    void fill(PeerConnection p) {
        if (!p.fillWanted) {
            p.fillWanted = true;
            fillsWanted++;
        }
        if (!strategyTaskRunning) { // a running task looks again before it ends
            scheduleStrategyTask();
        }
    }

    /** On the strategy task: asks the picker for blocks to request from the peer, up to its queue depth. */
    private void pick(PeerConnection p) {
        if (status != TorrentStatus.State.DOWNLOADING || picker.instance == null || !p.amInterested) {
            return;
        }
        if (p.peerChoking && (!p.fast || p.allowedFast.isEmpty())) {
            return;
        }
        int room = targetQueue(p) - p.pending.size();
        if (room <= 0 || p.writesInFlight >= WRITES_PAUSE) { // back-pressure: the disk is behind this peer
            return;
        }
        sink.reset(p, room);
        long t0 = System.nanoTime();
        calling(picker);
        try {
            picker.instance.pick(state, p, sink);
        } catch (RuntimeException | LinkageError ex) {
            strategyCallSince = 0;
            strategyFailed(picker, ex);
            return;
        } finally {
            sink.peer = null;
        }
        returned(picker, t0);
        if (sink.accepted > 0) {
            decisionsByPicker++;
            engine.countDecision(infoHashHex, StrategyKind.PICKER, picker.name, sink.accepted);
        }
        if (p.pending.isEmpty() && !state.endgame() && !p.pieces.hasAnyNotIn(state.have(), state.wanted())) {
            setInterested(p, false);
        }
    }

    /** The engine's side of {@link org.stampede.api.BlockRequests}: validates and sends each accepted block. */
    private final class RequestSink implements org.stampede.api.BlockRequests {
        PeerConnection peer;
        int limit;
        int accepted;

        void reset(PeerConnection p, int max) {
            this.peer = p;
            this.limit = max;
            this.accepted = 0;
        }

        @Override
        public boolean request(int piece, int block) {
            PeerConnection p = peer;
            if (p == null || accepted >= limit || piece < 0 || piece >= state.pieceCount()
                    || block < 0 || block >= state.blockCount(piece)) {
                return false;
            }
            if (!p.pieces.contains(piece) || !state.wanted().contains(piece) || state.isReceived(piece, block)) {
                return false;
            }
            if (p.peerChoking && !p.allowedFast.contains(piece)) {
                return false;
            }
            int asked = state.requestCount(piece, block);
            if (asked > 0) {
                // a block already asked of another peer is asked again in endgame, or (once) when time-critical
                boolean again = state.endgame() || asked < 2 && state.timeCritical(piece, TIME_CRITICAL_MS);
                if (!again || p.hasPending(piece, block, false)) {
                    return false;
                }
            }
            if (paroleOwner != null && !paroleAllows(p, piece)) {
                return false;
            }
            int len = state.blockLength(piece, block);
            p.send(new Message.Request(piece, block * TorrentState.BLOCK, len));
            state.requested(piece, block);
            p.pending.add(new PeerConnection.Pending(piece, block, engine.nowMillis()));
            accepted++;
            return true;
        }

        @Override
        public int accepted() {
            return accepted;
        }

        @Override
        public int remaining() {
            return limit - accepted;
        }
    }

    /**
     * Parole: a peer that sent part of a piece that failed its hash check, along with others, downloads only pieces
     * nobody else is downloading, and nobody joins it there. A piece stays its own while it has requests out for it.
     */
    private boolean paroleAllows(PeerConnection p, int piece) {
        PeerConnection owner = paroleOwner[piece];
        if (owner != null && owner.pendingIn(piece) == 0) {
            paroleOwner[piece] = owner = null; // it stopped working on the piece: choked, timed out
        }
        if (owner != null) {
            return owner == p;
        }
        if (!p.onParole()) {
            return true;
        }
        if (state.requestedBlocks(piece) > p.pendingIn(piece)) {
            return false; // others are downloading it
        }
        paroleOwner[piece] = p;
        return true;
    }

    private void onPiece(PeerConnection p, Message.Piece m) {
        int piece = m.index();
        if (m.begin() % TorrentState.BLOCK != 0) {
            throw new Violation("piece data at offset " + m.begin() + " is not on a block boundary");
        }
        int block = m.begin() / TorrentState.BLOCK;
        if (block >= state.blockCount(piece) || m.length() != state.blockLength(piece, block)) {
            throw new Violation("piece data of wrong length " + m.length() + " for piece " + piece);
        }
        boolean asked = p.hasPending(piece, block, true);
        if (!asked) {
            if (state.isReceived(piece, block) || state.have().contains(piece) || p.recentlyCancelled(piece, block)) {
                return; // a late answer to a request we cancelled (endgame, timeout): harmless
            }
            throw new Violation("sent piece " + piece + " block " + block + " that was not requested");
        }
        long now = engine.nowMillis();
        p.lastReceivedBlockAt = now;
        p.snubbed = false;
        p.down.add(m.length(), now);
        down.add(m.length(), now);
        engine.downloaded(m.length());
        if (!state.receivedBlock(piece, block, true)) {
            fill(p);
            return; // duplicate in endgame
        }
        contributors.computeIfAbsent(piece, k -> new HashSet<>()).add(p.address().getAddress());
        // endgame: others asked for the same block; cancel theirs
        if (state.requestCount(piece, block) > 0) {
            for (PeerConnection other : peers.values()) {
                if (other != p && other.hasPending(piece, block, true)) {
                    other.cancel(piece, block, m.begin(), m.length());
                    state.unrequested(piece, block);
                }
            }
        }
        // the decoder gave this message its own copy of the block (see WireCodecFactory), so storage may own it
        writesInFlight.merge(piece, 1, Integer::sum);
        p.writesInFlight++;
        storage.writeBlock(piece, m.begin(), m.data()).whenComplete((ok, err) -> written(p, piece, block, err));
        int target = targetQueue(p);
        if (target - p.pending.size() >= Math.max(1, target / 4)) {
            fill(p); // a quarter of its queue is free: one pick for many blocks, not one per block
        }
    }

    private void written(PeerConnection p, int piece, int block, Throwable err) {
        if (!lockBriefly()) {
            handOver(() -> written(p, piece, block, err));
            return;
        }
        try {
            if (--p.writesInFlight == WRITES_RESUME && peers.containsKey(p.id)) {
                fill(p); // its blocks are (mostly) on disk: request again
            }
            int left = writesInFlight.merge(piece, -1, Integer::sum);
            if (left <= 0) {
                writesInFlight.remove(piece);
            }
            if (err != null && busy(err)) {
                // the disk queue was full: only this block is lost; ask for it again
                state.lostBlock(piece, block);
                for (PeerConnection other : peers.values()) {
                    fill(other);
                }
                return;
            }
            if (err != null) {
                state.failed(piece);
                contributors.remove(piece);
                diskFailed("cannot write piece " + piece, err);
                return;
            }
            if (left <= 0 && state.allBlocksReceived(piece)) {
                verify(piece);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hashes a complete piece; a full disk queue is not bad data, so that is retried shortly. */
    private void verify(int piece) {
        storage.verifyPiece(piece).whenComplete((good, e) -> {
            if (e != null && busy(e) && !stopped) {
                engine.schedule(() -> verify(piece), 20);
            } else {
                verified(piece, e == null && good, e);
            }
        });
    }

    static boolean busy(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof org.stampede.storage.StorageBusyException;
    }

    private void verified(int piece, boolean good, Throwable err) {
        if (!lockBriefly()) {
            handOver(() -> verified(piece, good, err));
            return;
        }
        try {
            Set<InetAddress> sources = contributors.remove(piece);
            if (paroleOwner != null) {
                paroleOwner[piece] = null;
            }
            if (good) {
                state.verified(piece);
                engine.post(EngineEvents.PIECE_VERIFIED, Map.of(EngineEvents.INFO_HASH, infoHashHex,
                        EngineEvents.PIECE, piece));
                news(piece);
                Message.Have have = new Message.Have(piece);
                for (PeerConnection p : peers.values()) {
                    p.send(have);
                    if (p.amInterested && !p.pieces.hasAnyNotIn(state.have(), state.wanted())
                            && p.pending.isEmpty()) {
                        setInterested(p, false);
                    }
                }
                if (state.complete()) {
                    finished();
                }
            } else if (err != null) {
                state.failed(piece); // its blocks are asked for again once the user resumes
                diskFailed("cannot read piece " + piece + " back to check it", err);
            } else {
                engine.log(infoHashHex + ": piece " + piece + " failed its hash check; sources " + sources);
                state.failed(piece);
                engine.post(EngineEvents.PIECE_FAILED, Map.of(EngineEvents.INFO_HASH, infoHashHex,
                        EngineEvents.PIECE, piece));
                news(-1 - piece);
                if (sources != null) {
                    blame(sources);
                }
                for (PeerConnection p : peers.values()) {
                    fill(p);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the picker is to hear of a piece verified ({@code piece}) or failed ({@code -1 - piece}). */
    private void news(int entry) {
        if (picker.instance == null) {
            return;
        }
        if (pickerNewsCount == pickerNews.length) {
            pickerNews = java.util.Arrays.copyOf(pickerNews, pickerNewsCount * 2);
        }
        pickerNews[pickerNewsCount++] = entry;
        if (!strategyTaskRunning) {
            scheduleStrategyTask();
        }
    }

    /** On the strategy task: tells the picker of the pieces verified and failed since it last heard. */
    private void tellPicker() {
        int n = pickerNewsCount;
        pickerNewsCount = 0;
        for (int i = 0; i < n && picker.instance != null; i++) {
            int entry = pickerNews[i];
            long t0 = System.nanoTime();
            calling(picker);
            try {
                if (entry >= 0) {
                    picker.instance.pieceVerified(state, entry);
                } else {
                    picker.instance.pieceFailed(state, -1 - entry);
                }
            } catch (RuntimeException | LinkageError ex) {
                strategyCallSince = 0;
                strategyFailed(picker, ex);
                continue;
            }
            returned(picker, t0);
        }
        if (pickerNews.length > 1024 && n < 256) {
            pickerNews = new int[16]; // a burst (a recheck's worth) is not kept
        }
    }

    /**
     * Under the lock: storage failed in a way retrying will not cure (no space, no permission, a directory or a
     * too long name in a file's place, an I/O error). Re-downloading would only fail again, endlessly: the torrent
     * stops instead, in {@link TorrentStatus.State#ERROR} with the reason, like libtorrent's file error that pauses
     * the torrent. Its verified pieces stay; {@link #resume()} (the user's, once the cause is fixed) goes on.
     */
    private void diskFailed(String what, Throwable err) {
        if (stopped || status == TorrentStatus.State.ERROR) {
            return; // the other writes in flight fail alike
        }
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        error = what + ": " + describe(cause);
        diskError = true;
        engine.log(infoHashHex + ": " + error + "; the torrent is stopped until it is resumed");
        setStatus(TorrentStatus.State.ERROR);
        for (PeerConnection p : new ArrayList<>(peers.values())) {
            p.channel.close("torrent stopped: " + error);
        }
        engine.torrentFailed(this);
    }

    /** A storage failure in words: the exception's message, with its kind where the message is only a path. */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof java.nio.file.FileSystemException fse) {
            return fse.getReason() == null ? t.getClass().getSimpleName() + " " + fse.getFile()
                    : fse.getFile() + ": " + fse.getReason();
        }
        return m == null ? t.toString() : m;
    }

    /**
     * Bad data: a lone source is banned at once. Of several sources nobody can tell which lied, and banning them
     * all after a few failures would ban honest peers that shared pieces with a liar; instead each goes on parole
     * (see {@link #paroleAllows}), so that its next piece has it as its only source and a liar is banned by the
     * next piece it spoils.
     */
    private void blame(Set<InetAddress> sources) {
        for (PeerConnection p : new ArrayList<>(peers.values())) {
            InetAddress a = p.address().getAddress();
            if (sources.contains(a)) {
                p.hashFailures++;
                if (sources.size() == 1) {
                    engine.ban(a, "sent data that failed the hash check");
                    p.channel.close("banned: bad data");
                } else if (paroleOwner == null) {
                    paroleOwner = new PeerConnection[state.pieceCount()];
                }
            }
        }
    }

    private void finished() {
        finishedOnce = true;
        setStatus(options.seed() ? TorrentStatus.State.SEEDING : TorrentStatus.State.FINISHED);
        engine.torrentFinished(this);
        for (PeerConnection p : new ArrayList<>(peers.values())) {
            setInterested(p, false);
            if (p.isSeed()) {
                p.channel.close("both seeds");
            }
        }
        lastRechoke = 0;
    }

    private void releaseAll(PeerConnection p, boolean sendCancel) {
        for (PeerConnection.Pending r : p.pending) {
            state.unrequested(r.piece(), r.block());
            if (sendCancel) {
                p.cancel(r.piece(), r.block(), r.block() * TorrentState.BLOCK,
                        state.blockLength(r.piece(), r.block()));
            }
        }
        p.pending.clear();
    }

    // ---------------------------------------------------------------- uploading

    private void onRequest(PeerConnection p, Message.Request r) {
        if (!state.have().contains(r.index())) {
            if (p.fast) {
                p.send(new Message.RejectRequest(r.index(), r.begin(), r.length()));
                return;
            }
            throw new Violation("requested piece " + r.index() + " that we do not have");
        }
        if (r.begin() + (long) r.length() > state.pieceLength(r.index())) {
            throw new Violation("request past the end of piece " + r.index());
        }
        if (p.amChoking) {
            if (p.fast) {
                p.send(new Message.RejectRequest(r.index(), r.begin(), r.length()));
            }
            return; // without Fast, requests while choked are ignored (BEP 3)
        }
        if (p.uploads.size() >= MAX_QUEUED_UPLOADS) {
            throw new Violation("more than " + MAX_QUEUED_UPLOADS + " requests queued");
        }
        p.uploads.add(new PeerConnection.Wanted(r.index(), r.begin(), r.length()));
        pump(p);
    }

    /** Serves queued requests while the rate limits and the send queue allow. */
    void pump(PeerConnection p) {
        while (!p.uploads.isEmpty() && p.readsInFlight < MAX_READS_IN_FLIGHT && !p.amChoking) {
            if (p.channel.queuedBytes() >= SEND_QUEUE_HIGH) {
                p.awaitingDrain = true;
                if (p.channel.queuedBytes() >= SEND_QUEUE_LOW) {
                    return; // the transport calls drained() below SEND_QUEUE_LOW
                }
                p.awaitingDrain = false; // written down meanwhile
            }
            PeerConnection.Wanted w = p.uploads.peek();
            long now = System.nanoTime();
            if (upLimit.nanosUntil(w.length(), now) > 0 || engine.uploadLimit().nanosUntil(w.length(), now) > 0
                    || p.upShare.nanosUntil(w.length(), now) > 0) {
                return; // the timer pumps again
            }
            p.upShare.take(w.length(), now);
            upLimit.take(w.length(), now);
            engine.uploadLimit().take(w.length(), now);
            p.uploads.poll();
            p.readsInFlight++;
            BlockPool.Frame frame = w.length() <= BlockPool.BLOCK ? blocks.acquire() : null;
            if (frame != null) {
                storage.readBlock(w.piece(), w.begin(), frame.block(w.length()))
                        .whenComplete((data, err) -> sent(p, w, null, frame, err));
            } else {
                storage.readBlock(w.piece(), w.begin(), w.length())
                        .whenComplete((data, err) -> sent(p, w, data, null, err));
            }
        }
    }

    /**
     * The transport wrote {@code p}'s send queue down to below {@link #SEND_QUEUE_LOW} after {@link #pump} had stopped
     * on a full queue: serves more of its requests.
     */
    void drained(PeerConnection p) {
        if (!lockBriefly()) {
            handOver(() -> drained(p));
            return;
        }
        try {
            if (peers.containsKey(p.id)) {
                pump(p);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A block was read, into {@code data} or into {@code frame} (which this then sends or releases). */
    private void sent(PeerConnection p, PeerConnection.Wanted w, ByteBuffer data, BlockPool.Frame frame,
            Throwable err) {
        if (!lockBriefly()) {
            handOver(() -> sent(p, w, data, frame, err));
            return;
        }
        try {
            p.readsInFlight--;
            if (err != null || p.amChoking || !peers.containsKey(p.id)) {
                if (frame != null) {
                    frame.release();
                }
            }
            if (!peers.containsKey(p.id)) {
                return;
            }
            if (err != null) {
                engine.log(infoHashHex + ": reading piece " + w.piece() + " for " + p + ": " + err.getMessage());
                if (p.fast) {
                    p.send(new Message.RejectRequest(w.piece(), w.begin(), w.length()));
                }
                return;
            }
            if (p.amChoking) {
                return;
            }
            long now = engine.nowMillis();
            if (frame != null) {
                frame.encode(w.piece(), w.begin(), w.length());
                p.sendPiece(frame);
            } else {
                p.send(new Message.Piece(w.piece(), w.begin(), data));
            }
            p.up.add(w.length(), now);
            up.add(w.length(), now);
            engine.uploaded(w.length());
            pump(p);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- choking

    private int unchokedCount() {
        int n = 0;
        for (PeerConnection p : peers.values()) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    /** The engine's side of {@link ChokeDecision}. */
    private final class Decision implements ChokeDecision {
        final Set<Integer> unchoke = new HashSet<>();
        /** Upload rates the choker gave unchoked peers (bytes per second), by peer id; others are served alike. */
        final Map<Integer, Long> rates = new HashMap<>();
        int optimistic = -1;

        @Override
        public int uploadSlots() {
            return engine.settings().uploadSlots();
        }

        @Override
        public long uploadLimit() {
            long t = upLimit.rate();
            long g = engine.uploadLimit().rate();
            return t > 0 && g > 0 ? Math.min(t, g) : Math.max(t, g) > 0 ? Math.max(t, g) : -1;
        }

        @Override
        public long uploadRate() {
            return up.rate(engine.nowMillis());
        }

        @Override
        public void unchoke(PeerView peer) {
            unchoke.add(peer.id());
            rates.remove(peer.id());
        }

        @Override
        public void unchoke(PeerView peer, long bytesPerSecond) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("an upload rate must be positive: " + bytesPerSecond);
            }
            unchoke.add(peer.id());
            rates.put(peer.id(), bytesPerSecond);
        }

        @Override
        public void unchokeOptimistically(PeerView peer) {
            unchoke.add(peer.id());
            optimistic = peer.id();
        }
    }

    private void rechoke() {
        StrategySlot<Choker> slot = state.complete() ? seedChoker : choker;
        if (slot.instance == null) {
            return;
        }
        long now = engine.nowMillis();
        List<PeerConnection> interested = new ArrayList<>();
        for (PeerConnection p : peers.values()) {
            p.nowForRates = now;
            if (p.peerInterested) {
                interested.add(p);
            }
        }
        decision.unchoke.clear();
        decision.rates.clear();
        decision.optimistic = -1;
        long t0 = System.nanoTime();
        calling(slot);
        try {
            slot.instance.rechoke(state, interested, decision);
        } catch (RuntimeException | LinkageError ex) {
            strategyCallSince = 0;
            strategyFailed(slot, ex);
            return;
        }
        returned(slot, t0);
        rechokeInterval = safeInterval(slot);
        engine.countDecision(infoHashHex, slot.kind, slot.name, 1);
        rechokeRound++;
        for (PeerConnection p : peers.values()) {
            boolean unchoke = decision.unchoke.contains(p.id) && p.peerInterested;
            p.optimistic = p.id == decision.optimistic;
            Long rate = decision.rates.get(p.id);
            p.upShare.setRate(unchoke && rate != null ? rate : 0); // 0: no rate of its own
            if (unchoke && p.amChoking) {
                p.amChoking = false;
                p.lastUnchokedAt = now;
                p.send(Message.Unchoke.INSTANCE);
            } else if (!unchoke && !p.amChoking) {
                p.amChoking = true;
                p.send(Message.Choke.INSTANCE);
                if (p.fast) {
                    for (PeerConnection.Wanted w : p.uploads) {
                        p.send(new Message.RejectRequest(w.piece(), w.begin(), w.length()));
                    }
                }
                p.uploads.clear();
            }
            p.downloadedAtRechoke = p.down.total();
            p.uploadedAtRechoke = p.up.total();
        }
    }

    // ---------------------------------------------------------------- timer

    /** Called about once a second by the engine's timer. */
    void tick() {
        if (!lock.tryLock()) {
            return; // busy (a strategy call that does not return): the next tick
        }
        try {
            if (stopped) {
                return;
            }
            long now = engine.nowMillis();
            for (PeerConnection p : new ArrayList<>(peers.values())) {
                p.nowForRates = now;
                if (now - p.lastMessageAt > IDLE_MS) {
                    p.channel.close("idle for " + IDLE_MS / 1000 + " s");
                    continue;
                }
                if (now - p.channel.lastSentMillis() > KEEP_ALIVE_MS) {
                    p.send(Message.KeepAlive.INSTANCE);
                }
                // requests unanswered too long go back to the pool
                boolean expired = false;
                for (int i = p.pending.size() - 1; i >= 0; i--) {
                    PeerConnection.Pending r = p.pending.get(i);
                    if (now - r.sentAtMillis() > requestTimeoutMillis) {
                        p.pending.remove(i);
                        state.unrequested(r.piece(), r.block());
                        p.cancel(r.piece(), r.block(), r.block() * TorrentState.BLOCK,
                                state.blockLength(r.piece(), r.block()));
                        expired = true;
                    }
                }
                if (!p.pending.isEmpty() && now - p.lastReceivedBlockAt > SNUB_MS) {
                    p.snubbed = true;
                }
                if (expired) {
                    for (PeerConnection other : peers.values()) {
                        if (other != p) {
                            fill(other); // others first: the slow peer would take its blocks straight back
                        }
                    }
                }
                fill(p);
                pump(p);
            }
            StrategySlot<Choker> slot = state.complete() ? seedChoker : choker;
            long interval = slot.instance == null ? 10_000 : rechokeInterval;
            if (now - lastRechoke >= interval) {
                lastRechoke = now;
                rechokeDue = true;
                if (!strategyTaskRunning) {
                    scheduleStrategyTask();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the strategy task, after a rechoke: when the choker wants the next one, within 1 to 60 s. */
    private long safeInterval(StrategySlot<Choker> slot) {
        if (slot.instance == null) {
            return 10_000;
        }
        try {
            return Math.max(1_000, Math.min(60_000, slot.instance.rechokeIntervalMillis()));
        } catch (RuntimeException | LinkageError ex) {
            strategyFailed(slot, ex);
            return 10_000;
        }
    }

    /** Stops taking part: every connection closed. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            setStatus(TorrentStatus.State.STOPPED);
            for (PeerConnection p : new ArrayList<>(peers.values())) {
                p.channel.close("torrent stopped");
            }
            closeQuietly(picker);
            closeQuietly(choker);
            closeQuietly(seedChoker);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pauses: every connection closed, nothing requested or served; state, strategies and storage stay. Shows
     * {@code as}: {@link TorrentStatus.State#PAUSED} for the user's pause,
     * {@link TorrentStatus.State#QUEUED} for the queue's; one may turn into the other.
     */
    void pause(TorrentStatus.State as) {
        lock.lock();
        try {
            if (stopped || status == as || status == TorrentStatus.State.ERROR && !diskError) {
                return;
            }
            if (status == TorrentStatus.State.ERROR) { // a resumed torrent that failed on disk waits for a slot
                diskError = false;
                error = null;
            }
            setStatus(as);
            for (PeerConnection p : new ArrayList<>(peers.values())) {
                p.channel.close(as == TorrentStatus.State.QUEUED ? "torrent queued" : "torrent paused");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Resumes a paused torrent where it was (a torrent whose last wanted piece arrived before the pause finishes). */
    void resume() {
        lock.lock();
        try {
            if (status == TorrentStatus.State.ERROR && diskError && !stopped) {
                diskError = false; // the user fixed the cause (or not: the next write says so)
                error = null;
            } else if (stopped || status != TorrentStatus.State.PAUSED && status != TorrentStatus.State.QUEUED) {
                return;
            }
            if (!state.complete()) {
                setStatus(TorrentStatus.State.DOWNLOADING);
            } else if (!finishedOnce) {
                finished();
            } else {
                setStatus(options.seed() ? TorrentStatus.State.SEEDING : TorrentStatus.State.FINISHED);
            }
            lastRechoke = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Each piece's priority, 0 to 7: the piece's own where one is set ({@link #setPiecePriority}), else the highest
     * priority of the files with bytes in it, at least 1 where storage wants the piece and 0 where it does not.
     */
    private byte[] pieceLevels(BitSet wantedPieces) {
        int n = state.pieceCount();
        byte[] levels = new byte[n];
        List<org.stampede.metainfo.TorrentFile> files = torrent.files();
        long pieceLength = torrent.pieceLength();
        for (int f = 0; f < files.size(); f++) {
            org.stampede.metainfo.TorrentFile file = files.get(f);
            int prio = storage.filePriority(f);
            if (file.length() == 0 || prio <= 1 || file.padding()) {
                continue;
            }
            int first = (int) (file.offset() / pieceLength);
            int last = (int) Math.min(n - 1, (file.offset() + file.length() - 1) / pieceLength);
            for (int p = first; p <= last; p++) {
                levels[p] = (byte) Math.max(levels[p], prio);
            }
        }
        for (int p = 0; p < n; p++) {
            if (!wantedPieces.get(p)) {
                levels[p] = 0;
            } else if (levels[p] == 0) {
                levels[p] = 1;
            }
            // a piece's own priority counts where storage takes its bytes: one whose files are all skipped stays so
            if (pieceOverride != null && pieceOverride[p] >= 0 && (wantedPieces.get(p) || pieceOverride[p] == 0)) {
                levels[p] = pieceOverride[p];
            }
        }
        return levels;
    }

    /** Per piece: the priority set for the piece itself, or -1 (the files'); made when a first one is set. */
    private byte[] pieceOverride;

    /**
     * Sets a piece's own priority (0 to 7), or clears it ({@code -1}: its files' priority again), and recomputes.
     *
     * @param wantedPieces storage's wanted pieces now (read by the caller outside the lock)
     */
    void setPiecePriority(int piece, int level, BitSet wantedPieces) {
        lock.lock();
        try {
            if (pieceOverride == null) {
                if (level < 0) {
                    return;
                }
                pieceOverride = new byte[state.pieceCount()];
                java.util.Arrays.fill(pieceOverride, (byte) -1);
            }
            pieceOverride[piece] = (byte) level;
            state.setPriorities(pieceLevels(wantedPieces));
            prioritiesChanged();
        } finally {
            lock.unlock();
        }
    }

    /** A piece's priority now (what strategies see). */
    int piecePriority(int piece) {
        lock.lock();
        try {
            return state.priority(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a block of a piece this close to its deadline may be requested from a second peer. */
    static final long TIME_CRITICAL_MS = 2_000;

    /** Sets or clears ({@code millis < 0}) a piece's deadline; a due piece is requested at once. */
    void setDeadline(int piece, long millis) {
        lock.lock();
        try {
            state.setDeadline(piece, millis);
            if (millis >= 0) {
                for (PeerConnection p : peers.values()) {
                    fill(p);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** File priorities changed: the wanted pieces follow storage's, and a torrent with nothing left completes. */
    void filePrioritiesChanged(BitSet wantedPieces) {
        lock.lock();
        try {
            state.setPriorities(pieceLevels(wantedPieces));
            prioritiesChanged();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: interest follows the wanted pieces, and a torrent with nothing left completes. */
    private void prioritiesChanged() {
        {
            for (PeerConnection p : peers.values()) {
                updateInterest(p);
            }
            if (state.complete() && status == TorrentStatus.State.DOWNLOADING) {
                finished();
            } else if (!state.complete() && (status == TorrentStatus.State.SEEDING
                    || status == TorrentStatus.State.FINISHED)) {
                setStatus(TorrentStatus.State.DOWNLOADING);
            }
        }
    }

    // ---------------------------------------------------------------- status

    void setStatus(TorrentStatus.State s) {
        if (status != s) {
            status = s;
            engine.post(EngineEvents.TORRENT_STATE, Map.of(EngineEvents.INFO_HASH, infoHashHex, EngineEvents.STATE,
                    s.name()));
        }
    }

    /**
     * The torrent's status. When the lock stays busy (a strategy call that does not return), the last one computed,
     * with the stuck call as its error.
     */
    TorrentStatus status() {
        return status(USER_WAIT_MS);
    }

    /** As {@link #status()}, waiting at most {@code waitMillis} for the lock (the timer: 0). */
    TorrentStatus status(long waitMillis) {
        if (!lockWithin(waitMillis)) {
            TorrentStatus s = lastStatus;
            String hung = hungStrategy();
            if (s == null || hung == null) {
                return s != null ? s : new TorrentStatus(status, 0, 0, state.pieceCount(), 0, 0, 0, 0, 0, 0, 0, 0,
                        picker.name, choker.name, hung);
            }
            return new TorrentStatus(s.state(), s.have(), s.wanted(), s.pieces(), s.bytesDone(), s.bytesWanted(), 0,
                    0, s.downloaded(), s.uploaded(), s.peers(), s.seeds(), s.picker(), s.choker(), hung);
        }
        try {
            long now = engine.nowMillis();
            int seeds = 0;
            for (PeerConnection p : peers.values()) {
                if (p.isSeed()) {
                    seeds++;
                }
            }
            long wantedBytes = 0;
            long doneBytes = 0;
            for (int i = 0, n = state.pieceCount(); i < n; i++) {
                if (state.priority(i) > 0) { // wanted, by its files or by itself
                    wantedBytes += state.pieceLength(i);
                    if (state.have().contains(i)) {
                        doneBytes += state.pieceLength(i);
                    }
                }
            }
            StrategySlot<Choker> ch = state.complete() ? seedChoker : choker;
            TorrentStatus s = new TorrentStatus(status, state.have().count(), state.wanted().count(),
                    state.pieceCount(), doneBytes, wantedBytes, down.rate(now), up.rate(now), down.total(), up.total(),
                    peers.size(), seeds, picker.name, ch.name, error);
            lastStatus = s;
            return s;
        } finally {
            lock.unlock();
        }
    }

    List<PeerStatus> peerStatus() {
        if (!lockWithin(USER_WAIT_MS)) {
            return lastPeers; // stuck in a strategy call: see status()
        }
        try {
            long now = engine.nowMillis();
            List<PeerStatus> out = new ArrayList<>();
            for (PeerConnection p : peers.values()) {
                InetSocketAddress a = p.address();
                out.add(new PeerStatus(a.getAddress().getHostAddress() + ":" + a.getPort(), p.clientName,
                        p.outgoing, p.pieces.count() / (double) Math.max(1, state.pieceCount()), p.down.rate(now),
                        p.up.rate(now), p.down.total(), p.up.total(), p.amChoking, p.amInterested, p.peerChoking,
                        p.peerInterested, p.snubbed, p.optimistic, p.pending.size(), p.channel.kind(),
                        p.channel.encrypted()));
            }
            lastPeers = List.copyOf(out);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Where the connected peers are, for the engine's choice of whom to connect to next. */
    Set<InetSocketAddress> connectedAddresses() {
        if (!lockBriefly()) {
            return null; // stuck in a strategy call: no new connections for now
        }
        try {
            Set<InetSocketAddress> out = new HashSet<>();
            for (PeerConnection p : peers.values()) {
                out.add(p.address());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    long bytesLeft() {
        lock.lock();
        try {
            return state.bytesLeft();
        } finally {
            lock.unlock();
        }
    }

    /** Copies the piece states and availabilities out under the lock (see TorrentHandle#pieces). */
    int pieces(byte[] states, int[] availability) {
        int n = state.pieceCount();
        if (states != null && states.length < n || availability != null && availability.length < n) {
            throw new IllegalArgumentException("arrays must hold " + n + " pieces");
        }
        lock.lock();
        try {
            for (int p = 0; p < n; p++) {
                if (states != null) {
                    states[p] = state.have().contains(p) ? org.stampede.engine.TorrentHandle.PIECE_HAVE
                            : state.inProgress(p) ? org.stampede.engine.TorrentHandle.PIECE_DOWNLOADING
                                    : org.stampede.engine.TorrentHandle.PIECE_MISSING;
                }
                if (availability != null) {
                    availability[p] = state.availability(p);
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Verified bytes of each file, under the lock: piece {@code p} covers stream bytes from
     * {@code p * pieceLength} for {@code storage.pieceSize(p)}, file {@code f} from its offset for its length.
     */
    int fileProgress(long[] bytesDone) {
        List<org.stampede.metainfo.TorrentFile> files = torrent.files();
        int n = files.size();
        if (bytesDone.length < n) {
            throw new IllegalArgumentException("array must hold " + n + " files");
        }
        long pieceLength = torrent.pieceLength();
        lock.lock();
        try {
            for (int f = 0; f < n; f++) {
                org.stampede.metainfo.TorrentFile file = files.get(f);
                long start = file.offset();
                long end = start + file.length();
                long done = 0;
                if (file.length() > 0) {
                    int first = (int) (start / pieceLength);
                    int last = (int) Math.min(state.pieceCount() - 1, (end - 1) / pieceLength);
                    for (int p = first; p <= last; p++) {
                        if (state.have().contains(p)) {
                            long ps = p * pieceLength;
                            long pe = ps + storage.pieceSize(p);
                            done += Math.max(0, Math.min(pe, end) - Math.max(ps, start));
                        }
                    }
                }
                bytesDone[f] = done;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
