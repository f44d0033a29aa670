package org.stampede.engine.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.StrategyInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;
import org.stampede.storage.ResumeOutcome;
import org.stampede.tracker.AnnounceRequest;
import org.stampede.tracker.AnnounceResponse;
import org.stampede.tracker.ReannouncePolicy;
import org.stampede.tracker.Reannouncer;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerException;
import org.stampede.tracker.TrackerTiers;
import org.stampede.wire.Handshake;
import org.stampede.wire.MessageDecoder;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;
import org.stampede.wire.ProtocolException;
import org.stampede.wire.mina.WireCodecFactory;

/**
 * The engine: a MINA acceptor and connector speaking the peer wire protocol, a timer that drives every torrent once
 * a second, a disk pool, and the torrents. Strategies and tracker clients come from registries that the DS
 * component keeps current (or that a test fills by hand).
 */
public final class EngineImpl implements Engine, EngineContext {
    private static final System.Logger LOG = System.getLogger("org.stampede.engine");
    private static final int MAX_EVENTS = 10_000;

    private final EngineSettings settings;
    private final StrategyRegistry strategies;
    private final Function<URI, TrackerClient> trackers;
    private final PeerId peerId = PeerId.random();
    private final NioSocketAcceptor acceptor;
    private final NioSocketConnector connector;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService announcer;
    private final DiskIo disk = new DiskIo();
    private final TokenBucket downLimit;
    private final TokenBucket upLimit;
    private final Map<String, Handle> handles = new ConcurrentHashMap<>();
    private final Set<InetAddress> banned = ConcurrentHashMap.newKeySet();
    private final List<StrategyEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final int listenPort;
    private volatile boolean closed;
    private final EventSink eventSink;
    private final SelectionStore selections;
    private final java.util.function.Consumer<StrategyRegistry.Entry> removalListener = e -> {
        for (Handle h : handles.values()) {
            h.session.strategyRemoved(e.kind(), e.name());
        }
    };

    EngineImpl(EngineSettings settings, StrategyRegistry strategies, Function<URI, TrackerClient> trackers)
            throws IOException {
        this(settings, strategies, trackers, EventSink.NONE);
    }

    EngineImpl(EngineSettings settings, StrategyRegistry strategies, Function<URI, TrackerClient> trackers,
            EventSink events) throws IOException {
        this(settings, strategies, trackers, events, SelectionStore.NONE);
    }

    EngineImpl(EngineSettings settings, StrategyRegistry strategies, Function<URI, TrackerClient> trackers,
            EventSink events, SelectionStore selections) throws IOException {
        this.selections = selections;
        this.eventSink = events;
        this.settings = settings;
        this.strategies = strategies;
        this.trackers = trackers;
        this.downLimit = new TokenBucket(settings.downloadLimit(), System.nanoTime());
        this.upLimit = new TokenBucket(settings.uploadLimit(), System.nanoTime());
        PeerHandler handler = new PeerHandler(this);
        WireCodecFactory codec = new WireCodecFactory((session, theirs) -> {
            Handle h = Boolean.TRUE.equals(session.getAttribute(PeerHandler.OUTGOING))
                    ? (Handle) session.getAttribute(PeerHandler.TORRENT)
                    : handleFor(theirs.infoHash());
            if (h == null || !theirs.hasInfoHash(h.session.infoHash)) {
                throw new ProtocolException("unknown torrent " + theirs.infoHashHex());
            }
            return MessageDecoder.negotiated(h.geometry, h.ourHandshake, theirs);
        });
        int processors = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        acceptor = new NioSocketAcceptor(processors);
        acceptor.setReuseAddress(true);
        acceptor.getFilterChain().addLast("wire", new ProtocolCodecFilter(codec));
        acceptor.setHandler(handler);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        connector = new NioSocketConnector(processors);
        connector.getFilterChain().addLast("wire", new ProtocolCodecFilter(codec));
        connector.setHandler(handler);
        connector.setConnectTimeoutMillis(10_000);
        connector.getSessionConfig().setTcpNoDelay(true);
        try {
            acceptor.bind(settings.listenAddress());
        } catch (IOException e) {
            acceptor.dispose();
            connector.dispose();
            disk.close();
            throw new IOException("cannot listen on " + settings.listenAddress() + ": " + e.getMessage(), e);
        }
        listenPort = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
        timer = Executors.newSingleThreadScheduledExecutor(daemon("stampede-timer"));
        announcer = Executors.newScheduledThreadPool(2, daemon("stampede-announce"));
        timer.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
        strategies.onRemoval(removalListener);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private long lastSecondTick;

    private void tick() {
        try {
            long now = nowMillis();
            boolean second = now - lastSecondTick >= 1000;
            for (Handle h : handles.values()) {
                if (second) {
                    h.session.tick();
                    h.connectMore();
                    h.maybeSaveResume(now);
                    h.postStats();
                } else {
                    h.pumpUploads();
                }
            }
            if (second) {
                lastSecondTick = now;
            }
            long wall = System.currentTimeMillis();
            for (org.apache.mina.core.session.IoSession s : acceptor.getManagedSessions().values()) {
                PeerHandler.closeIfHandshakeLate(s, wall);
            }
            for (org.apache.mina.core.session.IoSession s : connector.getManagedSessions().values()) {
                PeerHandler.closeIfHandshakeLate(s, wall);
            }
        } catch (RuntimeException e) {
            log("timer: " + e);
        }
    }

    // ---------------------------------------------------------------- Engine

    @Override
    public TorrentHandle add(Torrent torrent, Path downloadDir, AddOptions options)
            throws IOException, MetainfoException {
        if (closed) {
            throw new IllegalStateException("engine closed");
        }
        Files.createDirectories(downloadDir);
        FileStorage storage;
        try {
            storage = FileStorage.open(torrent, downloadDir, disk);
        } catch (org.stampede.storage.StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
        TorrentSession session = new TorrentSession(this, torrent, storage, options);
        Handle h = new Handle(session, storage);
        if (handles.putIfAbsent(session.infoHashHex, h) != null) {
            storage.close();
            throw new IllegalStateException("torrent " + session.infoHashHex + " is already added");
        }
        post(org.stampede.engine.EngineEvents.TORRENT_ADDED,
                Map.of(org.stampede.engine.EngineEvents.INFO_HASH, session.infoHashHex));
        h.check();
        return h;
    }

    @Override
    public List<TorrentHandle> torrents() {
        return List.copyOf(handles.values());
    }

    @Override
    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(settings.bindAddress(), listenPort);
    }

    @Override
    public List<StrategyInfo> strategies() {
        List<StrategyInfo> out = new ArrayList<>();
        for (StrategyRegistry.Entry e : strategies.all()) {
            List<String> using = new ArrayList<>();
            for (Handle h : handles.values()) {
                if (e.name().equals(h.session.slot(e.kind()).name)) {
                    using.add(h.session.infoHashHex);
                }
            }
            out.add(new StrategyInfo(e.kind(), e.name(), e.bundle(), e.version(), e.description(), using));
        }
        return out;
    }

    @Override
    public List<StrategyEvent> strategyEvents() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Handle h : handles.values()) {
            stops.add(h.stop());
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            log("stopping torrents: " + e);
        }
        strategies.removeListener(removalListener);
        acceptor.unbind();
        acceptor.dispose(false);
        connector.dispose(false);
        timer.shutdownNow();
        announcer.shutdownNow();
        disk.close();
    }

    // ---------------------------------------------------------------- EngineContext

    @Override
    public EngineSettings settings() {
        return settings;
    }

    @Override
    public long nowMillis() {
        return startMillis + (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public int listenPort() {
        return listenPort;
    }

    @Override
    public StrategyRegistry registry() {
        return strategies;
    }

    @Override
    public String defaultStrategy(String kind) {
        return switch (kind) {
            case StrategyKind.PICKER -> settings.defaultPicker();
            case StrategyKind.CHOKER -> settings.defaultChoker();
            default -> settings.defaultSeedChoker();
        };
    }

    @Override
    public SelectionStore selections() {
        return selections;
    }

    @Override
    public TokenBucket uploadLimit() {
        return upLimit;
    }

    @Override
    public TokenBucket downloadLimit() {
        return downLimit;
    }

    @Override
    public void downloaded(long bytes) {
        downloaded.addAndGet(bytes);
    }

    @Override
    public void uploaded(long bytes) {
        uploaded.addAndGet(bytes);
    }

    @Override
    public void ban(InetAddress address, String why) {
        if (address.isLoopbackAddress() && !"1".equals(System.getProperty("stampede.banLoopback", "1"))) {
            return;
        }
        if (banned.add(address)) {
            log("banned " + address.getHostAddress() + ": " + why);
        }
    }

    boolean isBanned(InetAddress address) {
        return banned.contains(address);
    }

    @Override
    public void torrentFinished(TorrentSession session) {
        Handle h = handles.get(session.infoHashHex);
        if (h != null) {
            h.finished();
        }
    }

    @Override
    public void recordStrategy(String infoHash, String kind, String name, String reason) {
        if (events.size() < MAX_EVENTS) {
            events.add(new StrategyEvent(System.currentTimeMillis(), infoHash, kind, name, reason));
        }
        post(org.stampede.engine.EngineEvents.STRATEGY_CHANGED, Map.of(org.stampede.engine.EngineEvents.INFO_HASH,
                infoHash, org.stampede.engine.EngineEvents.KIND, kind, org.stampede.engine.EngineEvents.STRATEGY, name,
                org.stampede.engine.EngineEvents.REASON, reason));
    }

    @Override
    public void countDecision(String infoHash, String kind, String name, long count) {
        decisions.computeIfAbsent(infoHash + "|" + kind + "/" + name, k -> new LongAdder()).add(count);
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        try {
            eventSink.post(topic, properties);
        } catch (RuntimeException e) {
            log("event " + topic + ": " + e);
        }
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
        if (!closed) {
            try {
                timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    @Override
    public void log(String message) {
        LOG.log(System.Logger.Level.INFO, message);
    }

    PeerId peerId() {
        return peerId;
    }

    Handle handleFor(byte[] infoHash) {
        return handles.get(java.util.HexFormat.of().formatHex(infoHash));
    }

    boolean acceptsMorePeers() {
        return acceptor.getManagedSessionCount() + connector.getManagedSessionCount() <= settings.maxPeers();
    }

    /** Accounts received payload against the rate limits; stops reading from the peer while over them. */
    void throttleDownload(Handle h, PeerConnection p, int bytes) {
        long now = System.nanoTime();
        if (downLimit.unlimited() && h.session.downLimit.unlimited()) {
            return;
        }
        // the bytes are here already: charge them all, in debt if need be, and read again once it is paid off
        long wait = Math.max(downLimit.charge(bytes, now), h.session.downLimit.charge(bytes, now));
        if (wait > 0) {
            p.channel.suspendRead();
            timer.schedule(p.channel::resumeRead, Math.max(wait, 10_000_000L), TimeUnit.NANOSECONDS);
        }
    }

    // ---------------------------------------------------------------- one torrent

    /** The engine's handle on one torrent: its session, storage, announces and known peers. */
    final class Handle implements TorrentHandle {
        final TorrentSession session;
        final FileStorage storage;
        final Handshake ourHandshake;
        final PieceGeometry geometry;
        final CompletableFuture<Void> checked = new CompletableFuture<>();
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        private final Set<InetSocketAddress> known = Collections.synchronizedSet(new LinkedHashSet<>());
        private final Set<InetSocketAddress> connecting = ConcurrentHashMap.newKeySet();
        private final Map<InetSocketAddress, Long> failedAt = new ConcurrentHashMap<>();
        private volatile Reannouncer reannouncer;
        private volatile double checkProgress;
        private CompletableFuture<Void> stopping;
        final TrackerBook trackerBook;

        Handle(TorrentSession session, FileStorage storage) {
            this.session = session;
            this.storage = storage;
            this.trackerBook = new TrackerBook(session.torrent.trackers());
            this.ourHandshake = Handshake.of(session.infoHash, peerId, true, true, false);
            int count = session.torrent.pieceCount();
            long last = session.torrent.pieceLength() * (count - 1L) + storage.pieceSize(count - 1);
            this.geometry = new PieceGeometry(count, (int) session.torrent.pieceLength(), last);
        }

        private Path resumeFile() {
            return settings.stateDir() == null ? null : settings.stateDir().resolve(session.infoHashHex + ".resume");
        }

        void check() {
            Path resume = resumeFile();
            CompletableFuture<BitSet> verified;
            org.stampede.storage.ProgressListener progress = (done, total) -> checkProgress = total == 0 ? 1
                    : (double) done / total;
            if (resume != null && Files.exists(resume)) {
                verified = storage.resume(resume, progress).thenApply(ResumeOutcome::verified);
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
                try {
                    session.start(bits);
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
                startAnnouncing();
            });
        }

        double checkProgress() {
            return checkProgress;
        }

        private static long wallClockIn(Duration d) {
            return d == null ? 0 : System.currentTimeMillis() + d.toMillis();
        }

        /** Asks a tracker that just answered for the swarm's download count, off the announce thread's path. */
        private void scrapeLater(URI url) {
            try {
                announcer.execute(() -> {
                    try {
                        TrackerClient c = trackers.apply(url);
                        if (c != null && c.supportsScrape()) {
                            org.stampede.tracker.ScrapeResponse.Entry e = c.scrape(List.of(session.infoHash))
                                    .find(session.infoHash);
                            if (e != null) {
                                trackerBook.scraped(url, e);
                            }
                        }
                    } catch (TrackerException | RuntimeException e) {
                        log(session.infoHashHex + ": scrape " + url + ": " + e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the engine is closing
            }
        }

        /** Posts {@link org.stampede.engine.EngineEvents#TORRENT_STATS}, once a second from the timer. */
        void postStats() {
            if (eventSink == EventSink.NONE || session.stopped || session.status == TorrentStatus.State.CHECKING) {
                return;
            }
            TorrentStatus s = session.status();
            post(org.stampede.engine.EngineEvents.TORRENT_STATS, Map.of(
                    org.stampede.engine.EngineEvents.INFO_HASH, session.infoHashHex,
                    org.stampede.engine.EngineEvents.DOWNLOAD_RATE, s.downloadRate(),
                    org.stampede.engine.EngineEvents.UPLOAD_RATE, s.uploadRate(),
                    org.stampede.engine.EngineEvents.BYTES_DONE, s.bytesDone(),
                    org.stampede.engine.EngineEvents.BYTES_WANTED, s.bytesWanted(),
                    org.stampede.engine.EngineEvents.PEERS, s.peers()));
        }

        private void startAnnouncing() {
            List<List<URI>> tiers = new ArrayList<>();
            for (List<String> tier : session.torrent.trackers()) {
                List<URI> uris = new ArrayList<>();
                for (String u : tier) {
                    try {
                        uris.add(URI.create(u));
                    } catch (IllegalArgumentException e) {
                        log("ignored tracker " + u + ": " + e.getMessage());
                    }
                }
                if (!uris.isEmpty()) {
                    tiers.add(uris);
                }
            }
            if (tiers.isEmpty()) {
                return;
            }
            int key = ThreadLocalRandom.current().nextInt();
            Reannouncer r = new Reannouncer(new TrackerTiers(tiers), url -> {
                TrackerClient c = trackers.apply(url);
                if (c == null) {
                    throw new TrackerException(url, "no tracker client for scheme " + url.getScheme());
                }
                return c;
            }, event -> new AnnounceRequest(session.infoHash, peerId.bytes(), listenPort, session.up.total(),
                    session.down.total(), session.bytesLeft(), event, AnnounceRequest.DEFAULT_NUM_WANT, true, key,
                    null, null, null), Reannouncer.Scheduler.of(announcer), ReannouncePolicy.DEFAULT,
                    new Reannouncer.Listener() {
                        @Override
                        public void announced(AnnounceRequest.Event event, TrackerTiers.Result result,
                                Duration next) {
                            AnnounceResponse response = result.response();
                            for (InetSocketAddress a : response.peers()) {
                                addPeer(a);
                            }
                            trackerBook.answered(result.tracker(), response, wallClockIn(next));
                            if (event != AnnounceRequest.Event.STOPPED) {
                                scrapeLater(result.tracker());
                            }
                        }

                        @Override
                        public void failed(AnnounceRequest.Event event, TrackerException failure, Duration retry) {
                            if (event == AnnounceRequest.Event.STOPPED) {
                                return; // the stop goes on regardless
                            }
                            trackerBook.failed(failure, wallClockIn(retry));
                            session.error = "tracker: " + failure.getMessage();
                            log(session.infoHashHex + ": " + session.error
                                    + (retry == null ? "" : "; retry in " + retry.toSeconds() + " s"));
                        }
                    });
            reannouncer = r;
            r.start();
        }

        void finished() {
            Reannouncer r = reannouncer;
            if (r != null) {
                r.completed();
            }
            announcer.execute(this::saveResume);
            post(org.stampede.engine.EngineEvents.TORRENT_COMPLETED,
                    Map.of(org.stampede.engine.EngineEvents.INFO_HASH, session.infoHashHex));
            completion.complete(null);
        }

        private long lastResumeSave;

        /** While downloading, resume data is saved every 30 s, so a crash loses little verification work. */
        void maybeSaveResume(long now) {
            if (session.status == TorrentStatus.State.DOWNLOADING && now - lastResumeSave >= 30_000) {
                lastResumeSave = now;
                announcer.execute(this::saveResume);
            }
        }

        private synchronized void saveResume() {
            Path resume = resumeFile();
            if (resume == null) {
                return;
            }
            try {
                Files.createDirectories(resume.getParent());
                storage.flush();
                storage.saveResumeData(resume);
            } catch (IOException e) {
                log(session.infoHashHex + ": saving resume data: " + e.getMessage());
            }
        }

        void addPeer(InetSocketAddress a) {
            if (a.getPort() == 0 || a.getAddress() == null) {
                return;
            }
            if (a.getPort() == listenPort && (a.getAddress().isLoopbackAddress() || a.getAddress().isAnyLocalAddress()
                    || a.getAddress().equals(settings.bindAddress()))) {
                return; // ourselves
            }
            known.add(a);
        }

        void connectMore() {
            if (session.stopped || session.status == TorrentStatus.State.CHECKING
                    || session.status == TorrentStatus.State.ERROR) {
                return;
            }
            if (session.state.complete() && !session.options.seed()) {
                return;
            }
            int room = settings.maxPeersPerTorrent() - session.peers.size() - connecting.size();
            if (room <= 0 || !acceptsMorePeers()) {
                return;
            }
            Set<InetSocketAddress> connected = session.connectedAddresses();
            List<InetSocketAddress> candidates;
            synchronized (known) {
                candidates = new ArrayList<>(known);
            }
            long now = nowMillis();
            for (InetSocketAddress a : candidates) {
                if (room <= 0) {
                    break;
                }
                Long failed = failedAt.get(a);
                if (connected.contains(a) || connecting.contains(a) || isBanned(a.getAddress())
                        || failed != null && now - failed < 30_000) {
                    continue;
                }
                connecting.add(a);
                room--;
                ConnectFuture f = connector.connect(a, (s, future) -> {
                    s.setAttribute(PeerHandler.TORRENT, this);
                    s.setAttribute(PeerHandler.OUTGOING, Boolean.TRUE);
                });
                f.addListener(done -> {
                    if (!((ConnectFuture) done).isConnected()) {
                        connecting.remove(a);
                        failedAt.put(a, nowMillis());
                    }
                });
            }
        }

        void connectionClosed(InetSocketAddress remote, boolean outgoing) {
            if (outgoing) {
                connecting.remove(remote);
                failedAt.put(remote, nowMillis());
            }
        }

        void pumpUploads() {
            session.lock.lock();
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

        @Override
        public TorrentStatus status() {
            if (session.status == TorrentStatus.State.CHECKING) {
                TorrentStatus s = session.status();
                long wanted = s.bytesWanted();
                return new TorrentStatus(s.state(), s.have(), s.wanted(), s.pieces(), (long) (wanted * checkProgress),
                        wanted, 0, 0, 0, 0, 0, 0, s.picker(), s.choker(), s.error());
            }
            return session.status();
        }

        @Override
        public List<PeerStatus> peers() {
            return session.peerStatus();
        }

        @Override
        public void connect(InetSocketAddress peer) {
            addPeer(peer);
            failedAt.remove(peer);
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

        @Override
        public int fileProgress(long[] bytesDone) {
            return session.fileProgress(bytesDone);
        }

        @Override
        public int pieces(byte[] states, int[] availability) {
            return session.pieces(states, availability);
        }

        @Override
        public List<org.stampede.engine.TrackerStatus> trackers() {
            return trackerBook.snapshot();
        }

        @Override
        public Map<String, Long> decisions() {
            Map<String, Long> out = new LinkedHashMap<>();
            String prefix = session.infoHashHex + "|";
            decisions.forEach((k, v) -> {
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
            Reannouncer r = reannouncer;
            CompletableFuture<Void> announced = r == null ? CompletableFuture.completedFuture(null)
                    : r.stop().completeOnTimeout(null, 10, TimeUnit.SECONDS).exceptionally(e -> null);
            stopping = announced.thenRunAsync(() -> {
                if (session.status != TorrentStatus.State.ERROR && checked.isDone()
                        && !checked.isCompletedExceptionally()) {
                    saveResume();
                }
                try {
                    storage.close();
                } catch (IOException e) {
                    log(session.infoHashHex + ": closing files: " + e.getMessage());
                }
                handles.remove(session.infoHashHex, this);
                post(org.stampede.engine.EngineEvents.TORRENT_REMOVED,
                        Map.of(org.stampede.engine.EngineEvents.INFO_HASH, session.infoHashHex));
            }, announcer);
            return stopping;
        }
    }

}
