package org.stampede.engine.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import org.stampede.api.StrategyKind;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.PeerStatus;
import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.StrategyInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;
import org.stampede.spi.Extension;
import org.stampede.spi.PeerOrigin;
import org.stampede.spi.PeerSink;
import org.stampede.spi.PeerSource;
import org.stampede.spi.SwarmContext;
import org.stampede.spi.Transport;
import org.stampede.spi.TransportLayer;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;
import org.stampede.storage.ResumeOutcome;
import org.stampede.tracker.TrackerClient;
import org.stampede.wire.Handshake;
import org.stampede.wire.PeerId;
import org.stampede.wire.PieceGeometry;

/**
 * The engine: listens and dials through the installed {@link Transport}s (it knows no socket library), speaks the
 * peer wire protocol over them ({@link WireConnection}), feeds each torrent's bounded {@link PeerList} from the
 * peer sources (the trackers among them), and runs a timer that drives the torrents that have work, a disk pool and
 * the torrents. Strategies and plug-ins come from registries that the DS component keeps current (or that a test
 * fills by hand).
 */
public final class EngineImpl implements Engine, EngineContext, Plugins.Listener {
    private static final System.Logger LOG = System.getLogger("org.stampede.engine");
    private static final int MAX_EVENTS = 10_000;
    /** Tracker clients kept per announce URL (their connection ids and state); past this many, not cached. */
    private static final int MAX_TRACKER_CLIENTS = 512;

    private final EngineSettings settings;
    private final StrategyRegistry strategies;
    private final Plugins plugins;
    private final Function<URI, TrackerClient> trackers;
    private final Map<URI, TrackerClient> trackerClients = new ConcurrentHashMap<>();
    private final PeerId peerId = PeerId.random();
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService announcer;
    private final DiskIo disk = new DiskIo();
    private final TokenBucket downLimit;
    private final TokenBucket upLimit;
    private final Map<String, Handle> handles = new ConcurrentHashMap<>();
    /** The torrents in queue order (the order they were added), for the active downloads and seeds limits. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Handle> queueOrder =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicLong queueSequence = new AtomicLong();
    /** Taken to decide which torrents run: never while holding a torrent's lock or a handle's monitor. */
    private final Object queueLock = new Object();
    private final Set<InetAddress> banned = ConcurrentHashMap.newKeySet();
    private final List<StrategyEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final TrackerSource trackerSource;
    /** Longest a peer source's start or stop may take before the engine goes on without it. */
    static final long PLUGIN_CALL_MS = 5_000;
    /**
     * Where peer sources are started and stopped and transports dial: a plug-in that blocks holds one of these
     * threads, never the timer, a network thread or a torrent's lock. Bounded: when every thread is stuck and the
     * queue is full, further calls are refused (and count as failures) instead of piling up.
     */
    private final java.util.concurrent.ThreadPoolExecutor pluginCalls = new java.util.concurrent.ThreadPoolExecutor(4,
            4, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(10_000), daemon("stampede-plugin"));
    /** Dials run apart from peer sources, so that a source that hangs cannot hold up connecting. */
    private final java.util.concurrent.ThreadPoolExecutor dialCalls = new java.util.concurrent.ThreadPoolExecutor(2, 2,
            30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(10_000), daemon("stampede-dial"));
    /**
     * The torrents' strategy tasks (see {@link TorrentSession}): this many threads, plus one for each torrent whose
     * strategy call hangs, so that a strategy that never returns does not take a thread from the other torrents.
     */
    static final int STRATEGY_THREADS = 2;
    private final java.util.concurrent.ThreadPoolExecutor strategyCalls = new java.util.concurrent.ThreadPoolExecutor(
            STRATEGY_THREADS, STRATEGY_THREADS, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            daemon("stampede-strategy"));
    /** Milliseconds a transport has to open or fail a dial before the engine counts it as failed. */
    static final long DIAL_TIMEOUT_MS = 30_000;
    /** Dials the transports have not yet answered (opened or closed). */
    private final Set<WireConnection> dials = ConcurrentHashMap.newKeySet();
    /** Peer sources that did not return from a start in time: not started again by this engine. */
    private final Set<PeerSource> hungSources = ConcurrentHashMap.newKeySet();
    /** Every open connection, before and after its handshake. */
    private final Set<WireConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final EventSink eventSink;
    private final SelectionStore selections;
    private final Consumer<StrategyRegistry.Entry> removalListener = e -> {
        for (Handle h : handles.values()) {
            h.session.strategyRemoved(e.kind(), e.name());
        }
    };

    // the transports: guarded by listenLock
    private final Object listenLock = new Object();
    private final Map<Transport, org.stampede.spi.Transport.Listener> listening = new HashMap<>();
    private List<TransportLayer> layersInUse = List.of();
    private volatile int listenPort;
    /** The transports to dial with, wrapped in the layers, highest ranking first; and each one's base transport. */
    private volatile List<Route> routes = List.of();

    /** A transport to dial with: the base transport as installed, and what to dial through (wrapped in layers). */
    record Route(Transport base, Transport dialer, List<TransportLayer> layers) {
    }

    EngineImpl(EngineSettings settings, StrategyRegistry strategies, Plugins plugins,
            Function<URI, TrackerClient> trackers, EventSink events, SelectionStore selections) throws IOException {
        this.selections = selections;
        this.eventSink = events;
        this.settings = settings;
        this.strategies = strategies;
        this.plugins = plugins;
        this.trackers = trackers;
        this.downLimit = new TokenBucket(settings.downloadLimit(), System.nanoTime());
        this.upLimit = new TokenBucket(settings.uploadLimit(), System.nanoTime());
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("stampede-timer"));
        this.announcer = Executors.newScheduledThreadPool(2, daemon("stampede-announce"));
        this.trackerSource = new TrackerSource(this::trackerClient, announcer);
        pluginCalls.allowCoreThreadTimeOut(true);
        dialCalls.allowCoreThreadTimeOut(true);
        try {
            updateTransports(true);
        } catch (IOException e) {
            timer.shutdownNow();
            announcer.shutdownNow();
            disk.close();
            pluginCalls.shutdownNow();
            dialCalls.shutdownNow();
            strategyCalls.shutdownNow();
            throw e;
        }
        plugins.addListener(this);
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

    /** The cached client of a tracker URL: one per URL, so its state (a UDP connection id) serves every announce. */
    private TrackerClient trackerClient(URI url) {
        TrackerClient c = trackerClients.get(url);
        if (c != null) {
            return c;
        }
        c = trackers.apply(url);
        if (c != null && trackerClients.size() < MAX_TRACKER_CLIENTS) {
            TrackerClient prev = trackerClients.putIfAbsent(url, c);
            return prev != null ? prev : c;
        }
        return c;
    }

    /** Runs when the engine has closed (the DS component unregisters its service). */
    void onClose(Runnable r) {
        onClose.add(r);
    }

    // ---------------------------------------------------------------- transports

    @Override
    public void transportsChanged() {
        try {
            updateTransports(false);
        } catch (IOException e) {
            log("transports: " + e.getMessage());
        }
    }

    /**
     * Listens on each installed transport (through the installed layers) and stops listening on departed ones,
     * closing their connections; the first listener chooses the port and the others take the same one.
     *
     * @param strict whether it is an error that no transport can listen (at construction), or only logged
     */
    private void updateTransports(boolean strict) throws IOException {
        synchronized (listenLock) {
            if (closed) {
                return;
            }
            List<Plugins.Entry<Transport>> bases = plugins.transports();
            List<TransportLayer> layers = plugins.layers().stream().map(Plugins.Entry::service).toList();
            boolean relayer = !layers.equals(layersInUse);
            for (Iterator<Map.Entry<Transport, org.stampede.spi.Transport.Listener>> it = listening.entrySet()
                    .iterator(); it.hasNext();) {
                Map.Entry<Transport, org.stampede.spi.Transport.Listener> e = it.next();
                boolean present = bases.stream().anyMatch(b -> b.service() == e.getKey());
                if (!present || relayer) {
                    e.getValue().close();
                    it.remove();
                    if (!present) {
                        closeConnectionsOf(e.getKey(), "transport " + e.getKey().kind() + " uninstalled");
                    }
                }
            }
            for (TransportLayer gone : layersInUse) {
                if (!layers.contains(gone)) {
                    closeConnectionsThrough(gone, "transport layer " + gone.name() + " uninstalled");
                }
            }
            layersInUse = layers;
            List<Route> next = new ArrayList<>();
            IOException failure = null;
            for (Plugins.Entry<Transport> b : bases) {
                Transport base = b.service();
                Transport dialer = base;
                for (int i = layers.size() - 1; i >= 0; i--) { // the highest-ranked layer is outermost
                    try {
                        dialer = layers.get(i).wrap(dialer);
                    } catch (RuntimeException | LinkageError ex) {
                        log("transport layer " + layers.get(i).name() + " failed to wrap " + base.kind() + ": " + ex);
                    }
                }
                next.add(new Route(base, dialer, layers));
                if (!listening.containsKey(base)) {
                    int port = listenPort > 0 ? listenPort : settings.listenPort();
                    InetSocketAddress at = new InetSocketAddress(settings.bindAddress(), port);
                    try {
                        org.stampede.spi.Transport.Listener l = dialer.listen(at,
                                remote -> accept(base, layers, remote));
                        listening.put(base, l);
                        if (listenPort == 0) {
                            listenPort = l.localAddress().getPort();
                        }
                    } catch (IOException | RuntimeException | LinkageError ex) {
                        if (failure == null) {
                            failure = ex instanceof IOException io ? io
                                    : new IOException("cannot listen on " + at + ": " + ex, ex);
                        }
                        log("transport " + base.kind() + " cannot listen on " + at + ": " + ex.getMessage());
                    }
                }
            }
            if (strict && listening.isEmpty() && failure != null) {
                throw failure; // no transport could listen (the port is taken): the engine cannot start
            }
            routes = List.copyOf(next);
            if (bases.isEmpty()) {
                log("no transport is installed: peers can neither reach us nor be reached");
            }
        }
    }

    private void closeConnectionsOf(Transport base, String why) {
        for (WireConnection c : connections) {
            if (c.base() == base) {
                c.close(why);
            }
        }
    }

    /** Closes the connections made or accepted through a layer, which is going away with its code. */
    private void closeConnectionsThrough(TransportLayer layer, String why) {
        for (WireConnection c : connections) {
            if (c.layers().contains(layer)) {
                c.close(why);
            }
        }
        for (WireConnection c : dials) {
            if (c.layers().contains(layer)) {
                c.closed(why);
            }
        }
    }

    /** An incoming connection on a transport: refused when banned, over the limit, or the engine is closing. */
    private WireConnection accept(Transport base, List<TransportLayer> layers, InetSocketAddress remote) {
        if (closed || remote == null || isBanned(remote.getAddress())) {
            return null;
        }
        WireConnection c = new WireConnection(this, null, remote, base, layers, -1);
        // check and count in one step: transports accept on several threads at once
        synchronized (connections) {
            if (!acceptsMorePeers()) {
                return null;
            }
            connections.add(c);
        }
        return c;
    }

    /** Dials a candidate of a torrent with the best transport that can, from route {@code from} on. */
    void dial(Handle h, InetSocketAddress a, int from) {
        List<Route> rs = routes;
        for (int i = Math.max(0, from); i < rs.size(); i++) {
            Route r = rs.get(i);
            boolean can;
            try {
                can = r.dialer().canDial(a);
            } catch (RuntimeException | LinkageError ex) {
                can = false;
            }
            if (can) {
                h.dialing.incrementAndGet();
                WireConnection c = new WireConnection(this, h, a, r.base(), r.layers(), i);
                Transport dialer = r.dialer();
                dials.add(c);
                try {
                    dialCalls.execute(() -> {
                        try {
                            dialer.dial(a, c);
                        } catch (RuntimeException | LinkageError ex) {
                            c.closed("dial through " + dialer.kind() + " failed: " + ex);
                        }
                    });
                } catch (RejectedExecutionException ex) {
                    c.closed("dial through " + r.base().kind() + " refused: every plug-in thread is busy");
                }
                return;
            }
        }
        h.peerList.failed(a);
    }

    /** A connection opened; false when the engine refuses it now (closing, banned, its dial timed out). */
    boolean opened(WireConnection c) {
        if (c.outgoing() && !dials.remove(c)) {
            c.close("opened after its dial timed out");
            return false;
        }
        InetSocketAddress remote = c.remoteAddress();
        if (closed || remote != null && isBanned(remote.getAddress())) {
            c.close(closed ? "engine closing" : "banned");
            return false;
        }
        synchronized (connections) {
            connections.add(c); // an accepted one is in already
        }
        return true;
    }

    /** A connection closed or a dial failed: the torrent and its peer list hear of it. */
    void closed(WireConnection c, String reason) {
        connections.remove(c);
        dials.remove(c);
        Handle h = c.handle();
        PeerConnection p = c.peer();
        if (h == null) {
            return;
        }
        if (c.outgoing()) {
            if (p == null) {
                h.dialing.decrementAndGet(); // an attached peer stopped counting as a dial at its handshake
            }
            if (p != null) {
                h.peerList.disconnected(c.dialedAddress());
            } else if (!c.wasOpened() && !closed && c.route() + 1 < routes.size()) {
                dial(h, c.dialedAddress(), c.route() + 1); // try the next transport
            } else {
                h.peerList.failed(c.dialedAddress());
            }
        }
        if (p != null) {
            h.session.detach(p);
        }
    }

    // ---------------------------------------------------------------- the timer

    private long lastSecondTick;

    /**
     * Four times a second: serves queued uploads of torrents with peers, and closes connections whose handshake is
     * late. Once a second: drives each torrent that has work (peers, or room for them and candidates), saves resume
     * data, and posts stats events when they changed. Paused, stopped and checking torrents cost nothing here.
     */
    private void tick() {
        try {
            long now = nowMillis();
            boolean second = now - lastSecondTick >= 1000;
            for (Handle h : handles.values()) {
                if (!h.running()) {
                    continue;
                }
                if (second) {
                    if (h.session.peerCount > 0) {
                        h.session.tick();
                    }
                    h.connectMore();
                    h.maybeSaveResume(now);
                    h.postStats();
                } else if (h.session.peerCount > 0) {
                    h.pumpUploads();
                }
            }
            if (second) {
                lastSecondTick = now;
                balanceQueue();
                watchStrategies();
            }
            for (WireConnection c : connections) {
                c.closeIfHandshakeLate(now);
            }
            for (WireConnection c : dials) {
                if (now - c.createdAt() > DIAL_TIMEOUT_MS) {
                    c.closed("the " + c.base().kind() + " transport did not answer the dial within "
                            + DIAL_TIMEOUT_MS / 1000 + " s");
                }
            }
        } catch (RuntimeException e) {
            log("timer: " + e);
        }
    }

    // ---------------------------------------------------------------- the queue

    private static final int NO_SLOT = -1, DOWNLOAD = 0, SEED = 1;

    private int limit(int kind) {
        return kind == DOWNLOAD ? settings.activeDownloads() : settings.activeSeeds();
    }

    /** Whether a torrent that is to run now has a free slot (called with the queue lock held). */
    private boolean slotFree(Handle h) {
        return slotFree(h, h.kind());
    }

    /** As {@link #slotFree(Handle)} for a torrent just checked, whose verified pieces are {@code verified}. */
    private boolean slotFree(Handle h, BitSet verified) {
        BitSet missing = h.storage.wantedPieces();
        missing.andNot(verified);
        return slotFree(h, !missing.isEmpty() ? DOWNLOAD : h.session.options.seed() ? SEED : NO_SLOT);
    }

    private boolean slotFree(Handle h, int kind) {
        int limit = kind == NO_SLOT ? -1 : limit(kind);
        if (limit < 0) {
            return true;
        }
        int active = 0;
        for (Handle o : queueOrder.values()) {
            if (o != h && o.holdsSlot() && o.kind() == kind) {
                active++;
            }
        }
        return active < limit;
    }

    /**
     * Keeps at most {@link EngineSettings#activeDownloads()} torrents downloading and
     * {@link EngineSettings#activeSeeds()} seeding, in the order they were added (libtorrent's auto-managed
     * torrents): running ones beyond a limit are queued, queued ones start as slots free up. Paused torrents take
     * no slot; a finished torrent that does not seed needs none. Once a second, and soon after a torrent finishes.
     */
    void balanceQueue() {
        if (settings.activeDownloads() < 0 && settings.activeSeeds() < 0) {
            return; // no limits: nothing is ever queued
        }
        synchronized (queueLock) {
            int[] active = new int[2];
            for (Handle h : queueOrder.values()) {
                int kind = h.kind();
                if (kind != NO_SLOT && h.holdsSlot()) {
                    if (limit(kind) >= 0 && active[kind] >= limit(kind)) {
                        h.queue();
                    } else {
                        active[kind]++;
                    }
                }
            }
            for (Handle h : queueOrder.values()) {
                int kind = h.kind();
                if (h.isQueued() && (kind == NO_SLOT || limit(kind) < 0 || active[kind] < limit(kind))) {
                    h.unqueue();
                    if (kind != NO_SLOT) {
                        active[kind]++;
                    }
                }
            }
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
        queueOrder.put(h.queuePosition, h);
        post(EngineEvents.TORRENT_ADDED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
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
    public List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        for (StrategyRegistry.Entry e : strategies.all()) {
            out.add(new PluginInfo(e.name(), e.kind(), e.bundle(), e.version(), "active"));
        }
        Set<Transport> listeningNow;
        synchronized (listenLock) {
            listeningNow = Set.copyOf(listening.keySet());
        }
        for (Plugins.Entry<Transport> e : plugins.transports()) {
            out.add(new PluginInfo(e.id(), PluginInfo.TRANSPORT, e.bundle(), e.version(),
                    listeningNow.contains(e.service()) ? "active" : "failed"));
        }
        for (Plugins.Entry<TransportLayer> e : plugins.layers()) {
            out.add(new PluginInfo(e.id(), PluginInfo.TRANSPORT_LAYER, e.bundle(), e.version(), "active"));
        }
        out.add(new PluginInfo(TrackerSource.NAME, PluginInfo.PEER_SOURCE, "org.stampede.engine", engineVersion(),
                "active"));
        for (Plugins.Entry<PeerSource> e : plugins.sources()) {
            out.add(new PluginInfo(e.id(), PluginInfo.PEER_SOURCE, e.bundle(), e.version(), "active"));
        }
        Set<String> names = new java.util.HashSet<>();
        for (Plugins.Entry<Extension> e : plugins.extensions()) {
            out.add(new PluginInfo(e.id(), PluginInfo.EXTENSION, e.bundle(), e.version(),
                    names.add(e.id()) ? "active" : "standby"));
        }
        for (Plugins.Entry<Object> e : plugins.trackerClients()) {
            out.add(new PluginInfo(e.id(), PluginInfo.TRACKER_CLIENT, e.bundle(), e.version(), "active"));
        }
        return out;
    }

    private static String engineVersion() {
        Package p = EngineImpl.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        org.osgi.framework.Bundle b = null;
        try {
            b = org.osgi.framework.FrameworkUtil.getBundle(EngineImpl.class);
        } catch (RuntimeException | LinkageError e) {
            // outside a framework
        }
        return b != null ? b.getVersion().toString() : v != null ? v : "?";
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
        plugins.removeListener(this);
        strategies.removeListener(removalListener);
        synchronized (listenLock) {
            for (org.stampede.spi.Transport.Listener l : listening.values()) {
                try {
                    l.close();
                } catch (RuntimeException e) {
                    log("closing a listener: " + e);
                }
            }
            listening.clear();
        }
        for (WireConnection c : connections) {
            c.close("engine closed");
        }
        timer.shutdownNow();
        announcer.shutdownNow();
        pluginCalls.shutdownNow();
        dialCalls.shutdownNow();
        strategyCalls.shutdownNow();
        disk.close();
        for (Runnable r : onClose) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log("on close: " + e);
            }
        }
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
    public List<Plugins.Entry<Extension>> extensions() {
        return plugins.extensions();
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
            for (Handle h : handles.values()) {
                h.peerList.remove(address);
            }
        }
    }

    boolean isBanned(InetAddress address) {
        return address != null && banned.contains(address);
    }

    @Override
    public void torrentFinished(TorrentSession session) {
        Handle h = handles.get(session.infoHashHex);
        if (h != null) {
            h.finished();
        }
    }

    @Override
    public java.util.concurrent.Executor strategyExecutor() {
        return strategyCalls;
    }

    /**
     * Once a second: logs each torrent whose strategy call hangs (once per episode) and keeps
     * {@link #STRATEGY_THREADS} threads free for the others.
     */
    private void watchStrategies() {
        int hung = 0;
        for (Handle h : handles.values()) {
            String why = h.session.hungStrategy();
            if (why != null) {
                hung++;
                if (!h.hungLogged) {
                    h.hungLogged = true;
                    log(h.session.infoHashHex + ": " + why);
                }
            } else {
                h.hungLogged = false;
            }
        }
        int want = Math.min(64, STRATEGY_THREADS + hung);
        int now = strategyCalls.getCorePoolSize();
        if (want > now) {
            strategyCalls.setMaximumPoolSize(want);
            strategyCalls.setCorePoolSize(want);
        } else if (want < now) {
            strategyCalls.setCorePoolSize(want);
            strategyCalls.setMaximumPoolSize(want);
        }
    }

    @Override
    public void torrentFailed(TorrentSession session) {
        Handle h = handles.get(session.infoHashHex);
        if (h != null) {
            h.failed();
        }
    }

    @Override
    public void recordStrategy(String infoHash, String kind, String name, String reason) {
        if (events.size() < MAX_EVENTS) {
            events.add(new StrategyEvent(System.currentTimeMillis(), infoHash, kind, name, reason));
        }
        post(EngineEvents.STRATEGY_CHANGED, Map.of(EngineEvents.INFO_HASH, infoHash, EngineEvents.KIND, kind,
                EngineEvents.STRATEGY, name, EngineEvents.REASON, reason));
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
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    @Override
    public void log(String message) {
        LOG.log(System.Logger.Level.INFO, message);
    }

    /** Logs what a user should hear of even without debugging (the command line shows warnings). */
    void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    PeerId peerId() {
        return peerId;
    }

    Handle handleFor(byte[] infoHash) {
        return handles.get(java.util.HexFormat.of().formatHex(infoHash));
    }

    boolean acceptsMorePeers() {
        return connections.size() < settings.maxPeers();
    }

    /** Accounts received payload against the rate limits; stops reading from the peer while over them. */
    void throttleDownload(Handle h, PeerChannel channel, int bytes) {
        long now = System.nanoTime();
        if (downLimit.unlimited() && h.session.downLimit.unlimited()) {
            return;
        }
        // the bytes are here already: charge them all, in debt if need be, and read again once it is paid off
        long wait = Math.max(downLimit.charge(bytes, now), h.session.downLimit.charge(bytes, now));
        if (wait > 0) {
            channel.suspendRead();
            try {
                timer.schedule(channel::resumeRead, Math.max(wait, 10_000_000L), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    // ---------------------------------------------------------------- one torrent

    /** A lookup being started (see {@code Handle#startSource}). */
    private static final PeerSource.Lookup STARTING = () -> CompletableFuture.completedFuture(null);

    /** A torrent as peer sources and extensions see it (see {@link SwarmContext}). */
    final class Swarm implements SwarmContext {
        private final Handle handle;

        Swarm(Handle handle) {
            this.handle = handle;
        }

        @Override
        public byte[] infoHash() {
            return handle.session.infoHash.clone();
        }

        @Override
        public byte[] infoHashV2() {
            Torrent t = handle.session.torrent;
            return t.infoHashV2() == null ? null : t.infoHashV2().bytes();
        }

        @Override
        public String infoHashHex() {
            return handle.session.infoHashHex;
        }

        @Override
        public String name() {
            return handle.session.torrent.name();
        }

        @Override
        public boolean isPrivate() {
            return handle.session.torrent.isPrivate();
        }

        @Override
        public List<List<String>> trackers() {
            return handle.session.torrent.trackers();
        }

        @Override
        public byte[] peerId() {
            return peerId.bytes();
        }

        @Override
        public int listenPort() {
            return listenPort;
        }

        @Override
        public long uploaded() {
            return handle.session.up.total();
        }

        @Override
        public long downloaded() {
            return handle.session.down.total();
        }

        @Override
        public long left() {
            return handle.session.bytesLeft();
        }

        @Override
        public boolean complete() {
            return handle.session.state.complete();
        }

        @Override
        public PeerSink peers() {
            return handle.peerList;
        }

        @Override
        public void log(String message) {
            EngineImpl.this.log(handle.session.infoHashHex + ": " + message);
        }

        /** Shows an error in the torrent's status (a tracker that fails). */
        void error(String message) {
            handle.session.error = message;
        }
    }

    /** The engine's handle on one torrent: its session, storage, peer sources and peer list. */
    final class Handle implements TorrentHandle {
        final TorrentSession session;
        final FileStorage storage;
        final Handshake ourHandshake;
        final PieceGeometry geometry;
        final Swarm swarm = new Swarm(this);
        final PeerList peerList;
        final CompletableFuture<Void> checked = new CompletableFuture<>();
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        /** Dials in flight: not yet opened, or opened and not yet through their handshake. */
        final java.util.concurrent.atomic.AtomicInteger dialing = new java.util.concurrent.atomic.AtomicInteger();
        /** The running lookups of the peer sources, by source; guarded by this. */
        private final Map<PeerSource, PeerSource.Lookup> lookups = new LinkedHashMap<>();
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
        /**
         * Whether the torrent finished here (not complete when added), and the sources told so: each source hears
         * it exactly once, also when it finished while paused or while a source's lookup was starting; guarded by
         * this.
         */
        private boolean finishedHere;
        private final java.util.Set<PeerSource> toldCompleted = new java.util.HashSet<>();
        /** Its place in the queue: the order it was added. */
        final long queuePosition = queueSequence.incrementAndGet();

        Handle(TorrentSession session, FileStorage storage) {
            this.session = session;
            this.storage = storage;
            session.swarm = swarm;
            this.idleTrackers = new TrackerBook(session.torrent.trackers());
            this.ourHandshake = Handshake.of(session.infoHash, peerId, true, true, false);
            int count = session.torrent.pieceCount();
            long last = session.torrent.pieceLength() * (count - 1L) + storage.pieceSize(count - 1);
            this.geometry = new PieceGeometry(count, (int) session.torrent.pieceLength(), last);
            this.peerList = new PeerList(PeerList.DEFAULT_MAX, this::ourselvesOrBanned, EngineImpl.this::nowMillis);
        }

        private boolean ourselvesOrBanned(InetSocketAddress a) {
            InetAddress ip = a.getAddress();
            if (isBanned(ip)) {
                return true;
            }
            return a.getPort() == listenPort
                    && (ip.isLoopbackAddress() || ip.isAnyLocalAddress() || ip.equals(settings.bindAddress()));
        }

        /** Whether the torrent takes part in its swarm now: checked, not paused, stopped or failed. */
        boolean running() {
            TorrentStatus.State s = session.status;
            return !session.stopped && s != TorrentStatus.State.CHECKING && s != TorrentStatus.State.ERROR
                    && s != TorrentStatus.State.PAUSED && s != TorrentStatus.State.QUEUED;
        }

        /** Whether a peer's handshake for this torrent is welcome now. */
        boolean acceptsPeers() {
            return running() && (!session.state.complete() || session.options.seed());
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
                    synchronized (queueLock) {
                        // complete or not decides the kind of slot: the verified pieces are known now
                        boolean free = slotFree(this, bits);
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
                    startSources();
                }
            });
        }

        /**
         * Says how the resume went: why resume data was not (wholly) used, as a warning in the engine's log and as
         * the torrent's error, before the torrent starts; what was trusted, in the log.
         *
         * @return the verified pieces
         */
        private BitSet resumed(ResumeOutcome outcome) {
            if (outcome.problem() != null) {
                warn(session.infoHashHex + ": " + outcome.problem());
                session.error = outcome.problem();
            } else {
                log(session.infoHashHex + ": resume data used: " + outcome.trusted() + " pieces trusted, "
                        + outcome.spotChecked() + " spot-checked");
            }
            return outcome.verified();
        }

        /** The kind of slot this torrent needs: a download, a seed, or none (finished and not seeding). */
        int kind() {
            if (!session.state.complete()) {
                return DOWNLOAD;
            }
            return session.options.seed() ? SEED : NO_SLOT;
        }

        /** Whether it holds a slot now: checked, running, not paused, queued, stopped or failed. */
        synchronized boolean holdsSlot() {
            return started && !paused && !queued && !session.stopped && session.status != TorrentStatus.State.ERROR;
        }

        synchronized boolean isQueued() {
            return queued && !paused && !session.stopped;
        }

        /** The queue takes its slot: connections closed, sources stopped, state queued. */
        void queue() {
            synchronized (this) {
                if (queued || paused || !started || session.stopped) {
                    return;
                }
                queued = true;
                session.pause(TorrentStatus.State.QUEUED); // with the flag: a pause cannot come between
            }
            stopSources(null);
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
            startSources();
        }

        double checkProgress() {
            return checkProgress;
        }

        // ------------------------------------------------------------ peer sources

        /** Starts every peer source that may serve this torrent (only trackers for a private one). */
        private void startSources() {
            startSource(trackerSource);
            for (Plugins.Entry<PeerSource> e : plugins.sources()) {
                startSource(e.service());
            }
        }

        /**
         * Starts a source's lookup on a plug-in thread: one that throws is left out for this torrent, one that
         * blocks is given up on after {@link #PLUGIN_CALL_MS} (its thread stays with it); the torrent goes on.
         */
        void startSource(PeerSource source) {
            boolean allowed;
            try {
                allowed = !session.torrent.isPrivate() || source.allowsPrivate();
            } catch (RuntimeException | LinkageError ex) {
                allowed = false;
            }
            if (!allowed) {
                return;
            }
            synchronized (this) {
                if (paused || queued || !started || session.stopped || lookups.containsKey(source)
                        || hungSources.contains(source)) {
                    return;
                }
                lookups.put(source, STARTING);
            }
            CompletableFuture<PeerSource.Lookup> f;
            try {
                f = CompletableFuture.supplyAsync(() -> source.start(swarm, peerList), pluginCalls);
            } catch (RejectedExecutionException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            // a start that comes back after the timeout is stopped at once: nobody else holds its lookup
            CompletableFuture<PeerSource.Lookup> started = f;
            f.copy().orTimeout(PLUGIN_CALL_MS, TimeUnit.MILLISECONDS).whenComplete((lookup, err) -> {
                boolean keep;
                synchronized (this) {
                    boolean mine = lookups.get(source) == STARTING;
                    keep = mine && err == null && lookup != null && !paused && !queued && !session.stopped;
                    if (keep) {
                        lookups.put(source, lookup);
                    } else if (mine) {
                        lookups.remove(source);
                    }
                }
                if (keep) {
                    tellCompleted(); // it finished before this lookup ran
                }
                if (err != null) {
                    Throwable why = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    boolean hung = why instanceof java.util.concurrent.TimeoutException;
                    if (hung) {
                        hungSources.add(source);
                        started.thenAccept(late -> stopLookup(source, late));
                    }
                    log(session.infoHashHex + ": peer source " + safeName(source) + (hung ? " did not start within "
                            + PLUGIN_CALL_MS + " ms; it is not started again" : " failed to start: " + why)
                            + "; the torrent goes on without it");
                } else if (!keep && lookup != null) {
                    stopLookup(source, lookup); // paused or stopped meanwhile
                }
            });
        }

        /** Stops a lookup on a plug-in thread, bounded in time; never throws. */
        private CompletableFuture<Void> stopLookup(PeerSource source, PeerSource.Lookup lookup) {
            if (lookup == STARTING || lookup == null) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f;
            try {
                f = CompletableFuture.supplyAsync(lookup::stop, pluginCalls)
                        .thenCompose(x -> x == null ? CompletableFuture.<Void>completedFuture(null) : x);
            } catch (RejectedExecutionException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            return f.completeOnTimeout(null, 10, TimeUnit.SECONDS).exceptionally(x -> {
                log(session.infoHashHex + ": peer source " + safeName(source) + " failed to stop: " + x);
                return null;
            });
        }

        /** Stops one source's lookup (its bundle went away) or all of them; completes when they have stopped. */
        CompletableFuture<Void> stopSources(PeerSource only) {
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            synchronized (this) {
                for (Iterator<Map.Entry<PeerSource, PeerSource.Lookup>> it = lookups.entrySet().iterator(); it
                        .hasNext();) {
                    Map.Entry<PeerSource, PeerSource.Lookup> e = it.next();
                    if (only != null && e.getKey() != only) {
                        continue;
                    }
                    it.remove();
                    stops.add(stopLookup(e.getKey(), e.getValue()));
                }
            }
            return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        }

        /** Tells each running lookup that has not heard it yet that the torrent finished here. */
        private void tellCompleted() {
            List<Map.Entry<PeerSource, PeerSource.Lookup>> due = new ArrayList<>();
            synchronized (this) {
                if (!finishedHere || !session.state.complete()) {
                    return;
                }
                for (Map.Entry<PeerSource, PeerSource.Lookup> e : lookups.entrySet()) {
                    if (e.getValue() != STARTING && toldCompleted.add(e.getKey())) {
                        due.add(Map.entry(e.getKey(), e.getValue()));
                    }
                }
            }
            for (Map.Entry<PeerSource, PeerSource.Lookup> e : due) {
                tell(e, PeerSource.Lookup::completed);
            }
        }

        /** Tells every running lookup something (a refresh), each on a plug-in thread. */
        private void eachLookup(Consumer<PeerSource.Lookup> action) {
            List<Map.Entry<PeerSource, PeerSource.Lookup>> now;
            synchronized (this) {
                now = List.copyOf(lookups.entrySet());
            }
            for (Map.Entry<PeerSource, PeerSource.Lookup> e : now) {
                if (e.getValue() != STARTING) {
                    tell(e, action);
                }
            }
        }

        private void tell(Map.Entry<PeerSource, PeerSource.Lookup> e, Consumer<PeerSource.Lookup> action) {
            try {
                pluginCalls.execute(() -> {
                    try {
                        action.accept(e.getValue());
                    } catch (RuntimeException | LinkageError ex) {
                        log(session.infoHashHex + ": peer source " + safeName(e.getKey()) + ": " + ex);
                    }
                });
            } catch (RejectedExecutionException ex) {
                log(session.infoHashHex + ": peer source " + safeName(e.getKey()) + ": no plug-in thread free");
            }
        }

        private static String safeName(PeerSource s) {
            try {
                return s.name();
            } catch (RuntimeException | LinkageError e) {
                return s.getClass().getName();
            }
        }

        /** Posts {@link EngineEvents#TORRENT_STATS} once a second, when something changed since the last. */
        private long lastStatsKey = Long.MIN_VALUE;

        void postStats() {
            if (eventSink == EventSink.NONE) {
                return;
            }
            TorrentSession s0 = session;
            long now = nowMillis();
            long down = s0.down.rate(now);
            long up = s0.up.rate(now);
            int peers = s0.peerCount;
            long key = down * 31 + up * 17 + peers * 7L + s0.state.have().count();
            if (key == lastStatsKey && down == 0 && up == 0) {
                return; // nothing moved
            }
            lastStatsKey = key;
            TorrentStatus s = session.status(0); // the timer never waits for a torrent's lock
            post(EngineEvents.TORRENT_STATS, Map.of(EngineEvents.INFO_HASH, session.infoHashHex,
                    EngineEvents.DOWNLOAD_RATE, s.downloadRate(), EngineEvents.UPLOAD_RATE, s.uploadRate(),
                    EngineEvents.BYTES_DONE, s.bytesDone(), EngineEvents.BYTES_WANTED, s.bytesWanted(),
                    EngineEvents.PEERS, s.peers()));
        }

        /** Called with the torrent's lock held: whatever takes this handle's monitor runs on another thread. */
        void finished() {
            schedule(EngineImpl.this::balanceQueue, 0); // a download slot is free; a seed slot may be wanted
            synchronized (this) {
                finishedHere = true;
            }
            offThisThread(this::tellCompleted);
            saveResumeLater();
            post(EngineEvents.TORRENT_COMPLETED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
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
                stopSources(null);
                saveResumeLater();
                balanceQueue();
            });
        }

        /** Runs a task off the caller's thread (it may hold the torrent's lock); at once while closing. */
        private void offThisThread(Runnable task) {
            try {
                announcer.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // closing: nothing else will run it
            }
        }

        private void saveResumeLater() {
            try {
                announcer.execute(this::saveResume);
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

        private void saveResume() {
            Path resume = resumeFile();
            if (resume == null) {
                return;
            }
            synchronized (saveLock) {
                try {
                    Files.createDirectories(resume.getParent());
                    storage.flush();
                    storage.saveResumeData(resume);
                } catch (IOException e) {
                    log(session.infoHashHex + ": saving resume data: " + e.getMessage());
                }
            }
        }

        /** Dials candidates from the peer list while the torrent has room for peers. */
        void connectMore() {
            if (!acceptsPeers() || peerList.size() == 0) {
                return;
            }
            int room = Math.min(settings.maxPeersPerTorrent() - session.peerCount - dialing.get(),
                    settings.maxPeers() - connections.size());
            if (room <= 0) {
                return;
            }
            Set<InetSocketAddress> connected = session.connectedAddresses();
            if (connected == null) {
                return; // its lock is held by a strategy call that does not return
            }
            for (InetSocketAddress a : peerList.candidates(room, connected::contains)) {
                dial(this, a, 0);
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
            stopSources(null);
            saveResumeLater();
            schedule(EngineImpl.this::balanceQueue, 0); // its slot is free
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
            synchronized (queueLock) {
                run = slotFree(this);
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
                startSources();
            }
            return true;
        }

        @Override
        public synchronized boolean isPaused() {
            return paused;
        }

        @Override
        public void reannounce() {
            eachLookup(PeerSource.Lookup::refresh);
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
            PeerSource.Lookup l = lookups.get(trackerSource);
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
            CompletableFuture<Void> announced = stopSources(null);
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
                queueOrder.remove(queuePosition, this);
                schedule(EngineImpl.this::balanceQueue, 0); // its slot is free
                post(EngineEvents.TORRENT_REMOVED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
            }, announcer);
            return stopping;
        }
    }

    // ---------------------------------------------------------------- plug-ins coming and going

    @Override
    public void sourceAdded(Plugins.Entry<PeerSource> source) {
        for (Handle h : handles.values()) {
            if (h.running()) {
                h.startSource(source.service());
            }
        }
    }

    @Override
    public void sourceRemoved(Plugins.Entry<PeerSource> source) {
        for (Handle h : handles.values()) {
            h.stopSources(source.service());
        }
    }

    @Override
    public void trackerClientsChanged() {
        trackerClients.clear(); // the next announce takes the client of the factory installed now
    }

    @Override
    public void extensionsChanged() {
        for (Handle h : handles.values()) {
            h.session.extensionsChanged();
        }
    }
}
