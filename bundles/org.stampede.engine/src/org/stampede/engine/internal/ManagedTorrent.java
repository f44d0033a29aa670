package org.stampede.engine.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import org.stampede.engine.EngineEvents;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;
import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSource;
import org.stampede.storage.FileStorage;
import org.stampede.storage.ResumeOutcome;
import org.stampede.wire.Handshake;
import org.stampede.wire.PieceGeometry;


/** The engine's handle on one torrent: its session, storage, peer sources and peer list. */
final class ManagedTorrent implements TorrentHandle {
    private final EngineImpl engine;
    final TorrentSession session;
    final FileStorage storage;
    final Handshake ourHandshake;
    final PieceGeometry geometry;
    final SwarmView swarm;
    final PeerList peerList;
    final CompletableFuture<Void> checked = new CompletableFuture<>();
    final CompletableFuture<Void> completion = new CompletableFuture<>();
    /** Dials in flight: not yet opened, or opened and not yet through their handshake. */
    final java.util.concurrent.atomic.AtomicInteger dialing = new java.util.concurrent.atomic.AtomicInteger();
    /** The lookups of its peer sources. */
    final SourceLookups sources;
    private final TrackerBook idleTrackers;
    private volatile double checkProgress;
    private CompletableFuture<Void> stopping;
    /** Paused by the user (or asked to be while checking); guarded by this. */
    private boolean paused;
    /** Waiting for a slot of the queue; guarded by this. */
    private boolean queued;
    private boolean started;
    /** A hung strategy call of this torrent was logged (timer thread only). */
    boolean hungLogged;
    /** Its place in the queue: the order it was added. */
    final long queuePosition;

    ManagedTorrent(EngineImpl engine, TorrentSession session, FileStorage storage) {
        this.engine = engine;
        this.queuePosition = engine.queueSequence.incrementAndGet();
        this.swarm = new SwarmView(engine, this);
        this.sources = new SourceLookups(engine, this);
        this.session = session;
        this.storage = storage;
        session.swarm = swarm;
        this.idleTrackers = new TrackerBook(session.torrent.trackers());
        this.ourHandshake = Handshake.of(session.infoHash, engine.peerId, true, true, false);
        int count = session.torrent.pieceCount();
        long last = session.torrent.pieceLength() * (count - 1L) + storage.pieceSize(count - 1);
        this.geometry = new PieceGeometry(count, (int) session.torrent.pieceLength(), last);
        this.peerList = new PeerList(PeerList.DEFAULT_MAX, this::ourselvesOrBanned, engine::nowMillis);
    }

    private boolean ourselvesOrBanned(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (engine.isBanned(ip)) {
            return true;
        }
        return a.getPort() == engine.listenPort
                && (ip.isLoopbackAddress() || ip.isAnyLocalAddress() || ip.equals(engine.settings.bindAddress()));
    }

    /** Whether the torrent takes part in its swarm now: checked, not paused, stopped or failed. */
    boolean running() {
        TorrentStatus.State s = session.status;
        return !session.stopped && s != TorrentStatus.State.CHECKING && s != TorrentStatus.State.ERROR
                && s != TorrentStatus.State.PAUSED && s != TorrentStatus.State.QUEUED;
    }

    String hex() {
        return session.infoHashHex;
    }

    /** Under this monitor: whether its peer sources may run (checked, not paused, queued or stopped). */
    boolean sourcesMayRun() {
        return !paused && !queued && started && !session.stopped;
    }

    /** Whether a peer's handshake for this torrent is welcome now. */
    boolean acceptsPeers() {
        return running() && (!session.state.complete() || session.options.seed());
    }

    private Path resumeFile() {
        Path dir = engine.settings.stateDir();
        return dir == null ? null : dir.resolve(session.infoHashHex + ".resume");
    }

    void check() {
        Path resume = resumeFile();
        CompletableFuture<BitSet> verified;
        org.stampede.storage.ProgressListener progress = (done, total) -> checkProgress = total == 0 ? 1
                : (double) done / total;
        if (resume != null && Files.exists(resume)) {
            verified = storage.resume(resume, progress).thenApply(this::resumed);
        } else {
            verified = storage.check(progress);
        }
        verified.whenComplete((bits, err) -> {
            if (err != null) {
                session.setStatus(TorrentStatus.State.ERROR);
                session.error = "checking the data: " + err.getMessage();
                checked.completeExceptionally(err);
                return;
            }
            boolean pause;
            boolean run;
            try {
                synchronized (engine.queueLock) {
                    // complete or not decides the kind of slot: the verified pieces are known now
                    boolean free = engine.slotFree(this, bits);
                    synchronized (this) {
                        pause = paused;
                        run = !pause && free;
                        session.start(bits, pause ? TorrentStatus.State.PAUSED
                                : run ? null : TorrentStatus.State.QUEUED);
                        queued = !pause && !run;
                        started = true; // only now: the queue and pause act on a started session
                    }
                }
            } catch (RuntimeException e) { // e.g. a strategy named when adding that is not installed
                session.setStatus(TorrentStatus.State.ERROR);
                session.error = e.getMessage();
                checked.completeExceptionally(e);
                return;
            }
            checked.complete(null);
            if (session.state.complete()) {
                completion.complete(null);
            }
            if (run) {
                sources.startAll();
            }
        });
    }

    /**
     * Says how the resume went: why resume data was not (wholly) used, as a warning in the engine's engine.log and as
     * the torrent's error, before the torrent starts; what was trusted, in the engine.log.
     *
     * @return the verified pieces
     */
    private BitSet resumed(ResumeOutcome outcome) {
        if (outcome.problem() != null) {
            engine.warn(session.infoHashHex + ": " + outcome.problem());
            session.error = outcome.problem();
        } else {
            engine.log(session.infoHashHex + ": resume data used: " + outcome.trusted() + " pieces trusted, "
                    + outcome.spotChecked() + " spot-checked");
        }
        return outcome.verified();
    }

    /** The kind of slot this torrent needs: a download, a seed, or none (finished and not seeding). */
    int kind() {
        if (!session.state.complete()) {
            return EngineImpl.DOWNLOAD;
        }
        return session.options.seed() ? EngineImpl.SEED : EngineImpl.NO_SLOT;
    }

    /** Whether it holds a slot now: checked, running, not paused, queued, stopped or failed. */
    synchronized boolean holdsSlot() {
        return started && !paused && !queued && !session.stopped && session.status != TorrentStatus.State.ERROR;
    }

    synchronized boolean isQueued() {
        return queued && !paused && !session.stopped;
    }

    /** The queue takes its slot: engine.connections closed, sources stopped, state queued. */
    void queue() {
        synchronized (this) {
            if (queued || paused || !started || session.stopped) {
                return;
            }
            queued = true;
            session.pause(TorrentStatus.State.QUEUED); // with the flag: a pause cannot come between
        }
        sources.stop(null);
        saveResumeLater();
    }

    /** A slot is free: it runs again where it was. */
    void unqueue() {
        synchronized (this) {
            if (!queued || paused || session.stopped) {
                return;
            }
            queued = false;
            session.resume();
        }
        peerList.resumed();
        sources.startAll();
    }

    double checkProgress() {
        return checkProgress;
    }

    /** Posts {@link EngineEvents#TORRENT_STATS} once a second, when something changed since the last. */
    private long lastStatsKey = Long.MIN_VALUE;

    void postStats() {
        if (engine.eventSink == EventSink.NONE) {
            return;
        }
        TorrentSession s0 = session;
        long now = engine.nowMillis();
        long down = s0.down.rate(now);
        long up = s0.up.rate(now);
        int peers = s0.peerCount;
        long key = down * 31 + up * 17 + peers * 7L + s0.state.have().count();
        if (key == lastStatsKey && down == 0 && up == 0) {
            return; // nothing moved
        }
        lastStatsKey = key;
        TorrentStatus s = session.status(0); // the timer never waits for a torrent's lock
        engine.post(EngineEvents.TORRENT_STATS, Map.of(EngineEvents.INFO_HASH, session.infoHashHex,
                EngineEvents.DOWNLOAD_RATE, s.downloadRate(), EngineEvents.UPLOAD_RATE, s.uploadRate(),
                EngineEvents.BYTES_DONE, s.bytesDone(), EngineEvents.BYTES_WANTED, s.bytesWanted(),
                EngineEvents.PEERS, s.peers()));
    }

    /** Called with the torrent's lock held: whatever takes this handle's monitor runs on another thread. */
    void finished() {
        engine.schedule(engine::balanceQueue, 0); // a download slot is free; a seed slot may be wanted
        synchronized (this) {
            sources.finishedHere = true;
        }
        offThisThread(sources::tellCompleted);
        saveResumeLater();
        engine.post(EngineEvents.TORRENT_COMPLETED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
        offThisThread(() -> completion.complete(null)); // its callbacks must not run under the torrent's lock
    }

    /**
     * Called with the torrent's lock held when storage failed for good: the torrent is held as if paused (so
     * {@link #resume()} retries, once the user has made room or fixed the folder), its sources stop, its
     * verified pieces are saved and its slot of the queue goes to another.
     */
    void failed() {
        offThisThread(() -> {
            synchronized (this) {
                if (session.stopped || paused) {
                    return;
                }
                paused = true;
                queued = false;
            }
            sources.stop(null);
            saveResumeLater();
            engine.balanceQueue();
        });
    }

    /** Runs a task off the caller's thread (it may hold the torrent's lock); at once while closing. */
    private void offThisThread(Runnable task) {
        try {
            engine.announcer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closing: nothing else will run it
        }
    }

    private void saveResumeLater() {
        try {
            engine.announcer.execute(this::saveResume);
        } catch (RejectedExecutionException e) {
            // closing: stop() saves
        }
    }

    private long lastResumeSave;

    /** While downloading, resume data is saved every 30 s, so a crash loses little verification work. */
    void maybeSaveResume(long now) {
        if (session.status == TorrentStatus.State.DOWNLOADING && now - lastResumeSave >= 30_000) {
            lastResumeSave = now;
            saveResumeLater();
        }
    }

    /** Saves run one at a time, on their own lock: a slow flush never holds the handle's monitor. */
    private final Object saveLock = new Object();

    /**
     * Flushes the data and saves what it vouches for. A flush that fails is a storage failure (the torrent stops with
     * the reason, and the pieces whose bytes may be lost are dropped); a resume file that cannot be written only costs
     * a recheck at the next start, and is a warning.
     */
    private void saveResume() {
        Path resume = resumeFile();
        if (resume == null) {
            return;
        }
        synchronized (saveLock) {
            org.stampede.storage.ResumeData data;
            try {
                data = storage.resumeData(); // flushes first: a piece it vouches for is on disk
            } catch (IOException e) {
                session.flushFailed(e);
                return;
            }
            try {
                Files.createDirectories(resume.getParent());
                data.save(resume);
            } catch (IOException e) {
                engine.warn(session.infoHashHex + ": cannot save resume data to " + resume + " (the next start "
                        + "rechecks what it would have said): " + e.getMessage());
            }
        }
    }

    /** How often a full torrent drops a peer that trades nothing, for a candidate (libtorrent: peer_turnover). */
    static final long TURNOVER_INTERVAL_MS = 60_000;
    private long lastTurnover;

    /** Dials candidates from the peer list while the torrent has room for peers. */
    void connectMore() {
        if (!acceptsPeers() || peerList.size() == 0) {
            return;
        }
        int torrentRoom = engine.settings.maxPeersPerTorrent() - session.peerCount - dialing.get();
        int room = Math.min(torrentRoom, engine.settings.maxPeers() - engine.connections.size());
        if (room <= 0 && (torrentRoom > 0 || engine.nowMillis() - lastTurnover < TURNOVER_INTERVAL_MS)) {
            return;
        }
        Set<InetSocketAddress> connected = session.connectedAddresses();
        if (connected == null) {
            return; // its lock is held by a strategy call that does not return
        }
        if (room <= 0) {
            // full of peers: now and then one that trades nothing makes room for a candidate never tried
            lastTurnover = engine.nowMillis();
            if (dialing.get() == 0 && peerList.hasCandidate(connected::contains)) {
                session.turnOver(); // the next round dials into the room it made
            }
            return;
        }
        for (InetSocketAddress a : peerList.candidates(room, connected::contains)) {
            engine.dial(this, a, 0);
        }
    }

    /** A dialed peer's handshake is done (its slot in the peer list is now connected). */
    void peerAttached(WireConnection c) {
        if (c.outgoing()) {
            dialing.decrementAndGet();
            peerList.connected(c.dialedAddress());
        }
    }

    void pumpUploads() {
        if (!session.lock.tryLock()) {
            return; // busy: the next tick
        }
        try {
            for (PeerConnection p : session.peers.values()) {
                if (!p.uploads.isEmpty()) {
                    session.pump(p);
                }
            }
        } finally {
            session.lock.unlock();
        }
    }

    @Override
    public Torrent torrent() {
        return session.torrent;
    }

    @Override
    public String infoHash() {
        return session.infoHashHex;
    }

    /**
     * The session's status; while it is checking, with the check's progress as its progress. Decided on the snapshot's
     * own state: a status asked for as the check ends (state read "checking", snapshot taken after the verified pieces
     * were applied) shows what was verified, not the check's progress under the new state.
     */
    @Override
    public TorrentStatus status() {
        TorrentStatus s = session.status();
        if (s.state() != TorrentStatus.State.CHECKING) {
            return s;
        }
        long wanted = s.bytesWanted();
        return new TorrentStatus(s.state(), s.have(), s.wanted(), s.pieces(), (long) (wanted * checkProgress), wanted,
                0, 0, 0, 0, 0, 0, s.picker(), s.choker(), s.error());
    }

    @Override
    public List<PeerStatus> peers() {
        return session.peerStatus();
    }

    @Override
    public void connect(InetSocketAddress peer) {
        peerList.add(peer, PeerOrigin.MANUAL);
    }

    @Override
    public boolean pause() {
        synchronized (this) {
            if (paused || session.stopped) {
                return false;
            }
            paused = true;
            queued = false; // a queued torrent the user pauses waits for the user, not the queue
            if (!started) {
                return true; // checking: it pauses when the check is done
            }
            session.pause(TorrentStatus.State.PAUSED);
        }
        sources.stop(null);
        saveResumeLater();
        engine.schedule(engine::balanceQueue, 0); // its slot is free
        return true;
    }

    @Override
    public boolean resume() {
        synchronized (this) {
            if (!paused || session.stopped) {
                return false;
            }
            if (!started) {
                paused = false;
                return true;
            }
        }
        boolean run;
        synchronized (engine.queueLock) {
            run = engine.slotFree(this);
            synchronized (this) {
                if (!paused || session.stopped) {
                    return false; // resumed meanwhile
                }
                paused = false;
                queued = !run;
                if (run) {
                    session.resume();
                } else {
                    session.pause(TorrentStatus.State.QUEUED); // waits for a slot
                }
            }
        }
        if (run) {
            peerList.resumed();
            sources.startAll();
        }
        return true;
    }

    @Override
    public synchronized boolean isPaused() {
        return paused;
    }

    @Override
    public void reannounce() {
        sources.each(PeerSource.Lookup::refresh);
    }

    @Override
    public void switchStrategy(String kind, String name) {
        session.switchStrategy(kind, name);
    }

    @Override
    public void setFilePriority(int fileIndex, int priority) {
        if (fileIndex < 0 || fileIndex >= session.torrent.files().size()) {
            throw new IllegalArgumentException("no file " + fileIndex + " in " + session.torrent.name());
        }
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority " + priority + " is not 0 to 7");
        }
        storage.setFilePriority(fileIndex, priority);
        session.filePrioritiesChanged(storage.wantedPieces());
    }

    @Override
    public int filePriority(int fileIndex) {
        if (fileIndex < 0 || fileIndex >= session.torrent.files().size()) {
            throw new IllegalArgumentException("no file " + fileIndex + " in " + session.torrent.name());
        }
        return storage.filePriority(fileIndex);
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= session.torrent.pieceCount()) {
            throw new IllegalArgumentException("no piece " + piece + " in " + session.torrent.name() + " ("
                    + session.torrent.pieceCount() + " pieces)");
        }
    }

    @Override
    public void setPiecePriority(int piece, int priority) {
        checkPiece(piece);
        if (priority < -1 || priority > 7) {
            throw new IllegalArgumentException("priority " + priority + " is not 0 to 7 (or -1)");
        }
        session.setPiecePriority(piece, priority, storage.wantedPieces());
    }

    @Override
    public int piecePriority(int piece) {
        checkPiece(piece);
        return session.piecePriority(piece);
    }

    @Override
    public void setPieceDeadline(int piece, long millis) {
        checkPiece(piece);
        session.setDeadline(piece, millis);
    }

    @Override
    public int fileProgress(long[] bytesDone) {
        return session.fileProgress(bytesDone);
    }

    @Override
    public int pieces(byte[] states, int[] availability) {
        return session.pieces(states, availability);
    }

    @Override
    public synchronized List<org.stampede.engine.TrackerStatus> trackers() {
        PeerSource.Lookup l = sources.lookup(engine.trackerSource);
        return l instanceof TrackerSource.TrackerLookup t ? t.book.snapshot() : idleTrackers.snapshot();
    }

    @Override
    public int knownPeers() {
        return peerList.size();
    }

    @Override
    public Map<String, Long> decisions() {
        Map<String, Long> out = new LinkedHashMap<>();
        String prefix = session.infoHashHex + "|";
        engine.decisions.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v.sum());
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<Void> checked() {
        return checked;
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public synchronized CompletableFuture<Void> stop() {
        if (stopping != null) {
            return stopping;
        }
        session.stop();
        CompletableFuture<Void> announced = sources.stop(null);
        stopping = announced.thenRunAsync(() -> {
            if (session.status != TorrentStatus.State.ERROR && checked.isDone()
                    && !checked.isCompletedExceptionally()) {
                saveResume();
            }
            try {
                storage.close();
            } catch (IOException e) {
                engine.log(session.infoHashHex + ": closing files: " + e.getMessage());
                session.flushFailed(e); // its status says the data may not be on disk
            }
            engine.handles.remove(session.infoHashHex, this);
            engine.queueOrder.remove(queuePosition, this);
            engine.schedule(engine::balanceQueue, 0); // its slot is free
            engine.post(EngineEvents.TORRENT_REMOVED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
        }, engine.announcer);
        return stopping;
    }
}
