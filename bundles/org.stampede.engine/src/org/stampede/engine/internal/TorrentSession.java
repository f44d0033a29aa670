package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.storage.Storage;
import org.stampede.wire.Handshake;
import org.stampede.wire.Message;

/**
 * One torrent being downloaded or seeded: its peers, its piece state, its storage and its lifecycle (start, pause,
 * resume, finish, a storage failure, stop). The work is done by its parts, each in its own class:
 * <ul>
 * <li>{@link PeerProtocol}: what each peer message means; our interest in each peer;</li>
 * <li>{@link RequestScheduler}: requests, blocks written and pieces verified, with {@link HashFailurePolicy} for
 * pieces that fail their check;</li>
 * <li>{@link UploadScheduler}: serving requests within the rate limits;</li>
 * <li>{@link ChokeRounds}: when the choker is asked and how its decision is applied;</li>
 * <li>{@link StrategyHost}: the strategies and the strategy task that calls them;</li>
 * <li>{@link PiecePriorities}: file and piece priorities, deadlines;</li>
 * <li>{@link StatusReport}: what the API reports.</li>
 * </ul>
 * All state is guarded by {@link #lock}, one lock per torrent (never a global one); network threads, disk threads and
 * the engine's timer all take it briefly.
 * <p>
 * <b>Strategy code never runs on those threads.</b> They only note what the strategies are to hear of (a peer to
 * pick blocks for, a piece verified or failed, pieces whose priority, availability or deadline changed: see
 * {@link PickerNews}, a rechoke due) and wake the torrent's strategy task, which runs on the
 * engine's strategy threads, one at a time per torrent, and makes the calls. Nor do they wait for the lock longer
 * than {@link #LOCK_WAIT_MS}: when it is held longer (a strategy call that does not return), a peer's message waits
 * in its inbox (the peer's reading paused meanwhile), a disk or transport callback in the hand-over queue, and the
 * timer skips the torrent; the strategy task works through them once it has the lock. A strategy that hangs so
 * stalls its own torrent, whose status says so, and nothing else.
 */
final class TorrentSession {
    static final long IDLE_MS = 180_000;
    /** Silence after which we send a keep-alive (BEP 3: peers drop a connection quiet for two minutes). */
    static final long KEEP_ALIVE_MS = 60_000;
    /** How long a network, disk or timer thread waits for the torrent's lock before handing its work over. */
    static final long LOCK_WAIT_MS = 100;
    /**
     * Messages a peer may have waiting in its inbox before its reading is paused: a short wait for the lock costs no
     * pause (a transport may apply a resume from another thread only when its selector next wakes up), a long one
     * costs at most this many messages of memory per peer.
     */
    static final int INBOX_PAUSE = 8;

    final EngineContext engine;
    final Torrent torrent;
    final byte[] infoHash;
    final String infoHashHex;
    final TorrentState state;
    final Storage storage;
    final ReentrantLock lock = new ReentrantLock();
    final Map<Integer, PeerConnection> peers = new LinkedHashMap<>();
    final AddOptions options;
    final TokenBucket downLimit;
    final TokenBucket upLimit;
    final RateMeter down = new RateMeter(5);
    final RateMeter up = new RateMeter(5);
    final StrategyHost strategies;
    final PeerProtocol protocol;
    final RequestScheduler requests;
    final UploadScheduler uploads;
    final ChokeRounds chokes;
    final PiecePriorities priorities;
    final ExtensionHost extensionHost = new ExtensionHost(this);
    private final StatusReport report;
    private int nextPeerId = 1;
    /** Written under the lock (but when the check fails); read without it too. */
    volatile TorrentStatus.State status = TorrentStatus.State.CHECKING;
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
                torrent.version() == Torrent.Version.V2 ? storage::pieceSize : null, torrent.files(),
                engine::nowMillis);
        this.downLimit = new TokenBucket(options.downloadLimit(), System.nanoTime());
        this.upLimit = new TokenBucket(options.uploadLimit(), System.nanoTime());
        this.strategies = new StrategyHost(this, engine.strategyExecutor());
        this.protocol = new PeerProtocol(this);
        this.requests = new RequestScheduler(this);
        this.uploads = new UploadScheduler(this);
        this.chokes = new ChokeRounds(this);
        this.priorities = new PiecePriorities(this);
        this.report = new StatusReport(this);
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
            priorities.apply(storage.wantedPieces());
            for (int p = verified.nextSetBit(0); p >= 0; p = verified.nextSetBit(p + 1)) {
                state.setHave(p);
            }
            strategies.start(strategies.picker, options.picker(), stored);
            strategies.start(strategies.choker, options.choker(), stored);
            strategies.start(strategies.seedChoker, options.seedChoker(), stored);
            finishedOnce = state.complete();
            setStatus(waiting != null ? waiting
                    : state.complete() ? TorrentStatus.State.SEEDING : TorrentStatus.State.DOWNLOADING);
        } finally {
            lock.unlock();
        }
        // strategies named when adding are a user's choice for this torrent: remembered for its next run
        strategies.remember(StrategyKind.PICKER, options.picker());
        strategies.remember(StrategyKind.CHOKER, options.choker());
        strategies.remember(StrategyKind.SEED_CHOKER, options.seedChoker());
    }

    // ---------------------------------------------------------------- strategies (see StrategyHost)

    /** Switches a strategy of this torrent; connections and requests in flight stay as they are. */
    void switchStrategy(String kind, String name) {
        strategies.switchTo(kind, name);
    }

    StrategySlot<?> slot(String kind) {
        return strategies.slot(kind);
    }

    /** A strategy's bundle went away: torrents using it fall back to the default now. */
    void strategyRemoved(String kind, String name) {
        strategies.removed(kind, name);
    }

    /** What a strategy call in progress has been doing for too long, or null. */
    String hungStrategy() {
        return strategies.hung();
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
            if (stopped || status == TorrentStatus.State.PAUSED || status == TorrentStatus.State.QUEUED) {
                return null;
            }
            for (PeerConnection p : peers.values()) {
                if (java.util.Arrays.equals(p.peerId.bytes(), theirs.peerId().bytes())) {
                    return null; // already connected to this peer
                }
            }
            if (peers.size() >= engine.settings().maxPeersPerTorrent() && !makeRoom()) {
                return null;
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

    /** Drops the least useful peer, if one trades nothing (see {@link PeerTurnover}), to make room for a candidate. */
    boolean turnOver() {
        if (!lockBriefly()) {
            return false;
        }
        try {
            return makeRoom();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock, the torrent full: drops the least useful peer for a newcomer (see {@link PeerTurnover});
     * false when every peer is worth keeping.
     */
    private boolean makeRoom() {
        long now = engine.nowMillis();
        PeerConnection victim = PeerTurnover.victim(peers.values(), now);
        if (victim == null) {
            return false;
        }
        String why = "made room for a new peer: " + (PeerTurnover.traded(victim)
                ? "no block either way for " + (now - PeerTurnover.lastPayload(victim)) / 1000 + " s"
                : "no block either way in " + (now - victim.connectedAt) / 1000 + " s connected");
        engine.log(infoHashHex + ": " + victim + ": " + why);
        victim.channel.close(why);
        detach(victim); // now, not when the transport reports the close: the newcomer takes its place
        return true;
    }

    /** The connection ended: whatever we had asked of it is free to ask of others. */
    void detach(PeerConnection p) {
        if (!lockBriefly()) {
            strategies.handOver(() -> detach(p));
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
            p.uploads.clear();
            state.peerGone(p.pieces);
            requests.peerGone(p);
            strategies.wakeForNews();
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
            strategies.handOver(() -> readInbox(p));
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
            protocol.handle(p, m);
            strategies.wakeForNews(); // a have or bitfield changed availability: the picker hears of it
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
    boolean lockBriefly() {
        return lockWithin(LOCK_WAIT_MS);
    }

    /** Takes the lock if it is free within {@code millis} (0: only if free now); false otherwise. */
    boolean lockWithin(long millis) {
        try {
            return millis <= 0 ? lock.tryLock() : lock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Serves the peer's queued requests as far as the limits allow (see {@link UploadScheduler#pump}). */
    void pump(PeerConnection p) {
        uploads.pump(p);
    }

    /** The transport wrote the peer's send queue down (see {@link UploadScheduler#drained}). */
    void drained(PeerConnection p) {
        uploads.drained(p);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Under the lock: storage failed in a way retrying will not cure (no space, no permission, a directory or a
     * too long name in a file's place, an I/O error). Re-downloading would only fail again, endlessly: the torrent
     * stops instead, in {@link TorrentStatus.State#ERROR} with the reason, like libtorrent's file error that pauses
     * the torrent. Its verified pieces stay; {@link #resume()} (the user's, once the cause is fixed) goes on.
     */
    void diskFailed(String what, Throwable err) {
        if (stopped || status == TorrentStatus.State.ERROR) {
            return; // the other writes in flight fail alike
        }
        error = what + ": " + describe(unwrap(err));
        diskError = true;
        engine.log(infoHashHex + ": " + error + "; the torrent is stopped until it is resumed");
        setStatus(TorrentStatus.State.ERROR);
        for (PeerConnection p : new ArrayList<>(peers.values())) {
            p.channel.close("torrent stopped: " + error);
        }
        engine.torrentFailed(this);
    }

    /** Whether the torrent is in ERROR because storage failed (a user's resume retries). */
    boolean diskError() {
        return diskError;
    }

    /**
     * Writing the data back to the device failed (a flush): storage no longer vouches for the pieces written since
     * the last good flush, which the system may have dropped, so they are not had any more (downloaded again once
     * the torrent is resumed), nor are the blocks of partial pieces, and the torrent stops as on any storage failure.
     * A torrent being stopped (the flush of its last save failed) shows the error all the same, so that whoever
     * stopped it learns its data is not on disk.
     */
    void flushFailed(Throwable err) {
        lock.lock();
        try {
            int lost = requests.dropUnflushed(storage.verifiedPieces());
            String what = "cannot write the data to disk"
                    + (lost == 0 ? "" : " (" + lost + (lost == 1 ? " verified piece" : " verified pieces")
                            + " may not be on disk: downloaded again once resumed)");
            if (!stopped) {
                diskFailed(what, err);
            } else if (status != TorrentStatus.State.ERROR) {
                error = what + ": " + describe(unwrap(err));
                engine.log(infoHashHex + ": " + error);
                setStatus(TorrentStatus.State.ERROR);
            }
        } finally {
            lock.unlock();
        }
    }

    private static Throwable unwrap(Throwable err) {
        return err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause()
                : err;
    }

    /** A storage failure in words: the exception's message, or the file and the system's reason. */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof java.nio.file.FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getFile() + ": " + fse.getReason();
            }
            String kind = switch (t) {
                case java.nio.file.AccessDeniedException e -> "Permission denied";
                case java.nio.file.NoSuchFileException e -> "No such file or directory";
                case java.nio.file.FileAlreadyExistsException e -> "File exists";
                case java.nio.file.NotDirectoryException e -> "Not a directory";
                default -> t.getClass().getSimpleName();
            };
            return fse.getFile() + ": " + kind;
        }
        return m == null ? t.toString() : m;
    }

    /** Under the lock: every wanted piece is verified. */
    void finished() {
        finishedOnce = true;
        setStatus(options.seed() ? TorrentStatus.State.SEEDING : TorrentStatus.State.FINISHED);
        engine.torrentFinished(this);
        for (PeerConnection p : new ArrayList<>(peers.values())) {
            protocol.setInterested(p, false);
            if (p.isSeed()) {
                p.channel.close("both seeds");
            }
        }
        chokes.soon();
    }

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
                requests.upkeep(p, now);
                uploads.pump(p);
            }
            chokes.tick(now);
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking part: every connection closed. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            if (status != TorrentStatus.State.ERROR) { // whoever stops it still learns why it failed
                setStatus(TorrentStatus.State.STOPPED);
            }
            for (PeerConnection p : new ArrayList<>(peers.values())) {
                p.channel.close("torrent stopped");
            }
            strategies.closeAll();
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
            chokes.soon();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- priorities (see PiecePriorities)

    void setPiecePriority(int piece, int level, BitSet wantedPieces) {
        priorities.setPiecePriority(piece, level, wantedPieces);
    }

    int piecePriority(int piece) {
        return priorities.piecePriority(piece);
    }

    void setDeadline(int piece, long millis) {
        priorities.setDeadline(piece, millis);
    }

    void filePrioritiesChanged(BitSet wantedPieces) {
        priorities.filePrioritiesChanged(wantedPieces);
    }

    // ---------------------------------------------------------------- status (see StatusReport)

    void setStatus(TorrentStatus.State s) {
        if (status != s) {
            status = s;
            if (lock.isHeldByCurrentThread()) {
                report.remember(); // what callers that cannot get the lock in time see is of this state
            }
            engine.post(EngineEvents.TORRENT_STATE, Map.of(EngineEvents.INFO_HASH, infoHashHex, EngineEvents.STATE,
                    s.name()));
        }
    }

    /**
     * The torrent's status. When the lock stays busy (a strategy call that does not return), the last one computed,
     * with the stuck call as its error.
     */
    TorrentStatus status() {
        return report.status(StatusReport.USER_WAIT_MS);
    }

    /** As {@link #status()}, waiting at most {@code waitMillis} for the lock (the timer: 0). */
    TorrentStatus status(long waitMillis) {
        return report.status(waitMillis);
    }

    List<PeerStatus> peerStatus() {
        return report.peers();
    }

    int pieces(byte[] states, int[] availability) {
        return report.pieces(states, availability);
    }

    int fileProgress(long[] bytesDone) {
        return report.fileProgress(bytesDone);
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
}
