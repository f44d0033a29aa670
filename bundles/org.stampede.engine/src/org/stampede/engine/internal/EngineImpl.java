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
import org.stampede.engine.PluginInfo;
import org.stampede.engine.StrategyEvent;
import org.stampede.engine.StrategyInfo;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;
import org.stampede.spi.Extension;
import org.stampede.spi.PeerSource;
import org.stampede.spi.Transport;
import org.stampede.spi.TransportLayer;
import org.stampede.storage.DiskIo;
import org.stampede.storage.FileStorage;
import org.stampede.tracker.TrackerClient;
import org.stampede.wire.PeerId;

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

    final EngineSettings settings;
    private final StrategyRegistry strategies;
    final Plugins plugins;
    private final Function<URI, TrackerClient> trackers;
    private final Map<URI, TrackerClient> trackerClients = new ConcurrentHashMap<>();
    final PeerId peerId = PeerId.random();
    private final ScheduledExecutorService timer;
    final ScheduledExecutorService announcer;
    private final DiskIo disk = new DiskIo();
    private final TokenBucket downLimit;
    private final TokenBucket upLimit;
    final Map<String, ManagedTorrent> handles = new ConcurrentHashMap<>();
    /** The torrents in queue order (the order they were added), for the active downloads and seeds limits. */
    final java.util.concurrent.ConcurrentSkipListMap<Long, ManagedTorrent> queueOrder =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    final AtomicLong queueSequence = new AtomicLong();
    /** Taken to decide which torrents run: never while holding a torrent's lock or a handle's monitor. */
    final Object queueLock = new Object();
    private final Set<InetAddress> banned = ConcurrentHashMap.newKeySet();
    private final List<StrategyEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    final TrackerSource trackerSource;
    /** Longest a peer source's start or stop may take before the engine goes on without it. */
    static final long PLUGIN_CALL_MS = 5_000;
    /**
     * Where peer sources are started and stopped and transports dial: a plug-in that blocks holds one of these
     * threads, never the timer, a network thread or a torrent's lock. Bounded: when every thread is stuck and the
     * queue is full, further calls are refused (and count as failures) instead of piling up.
     */
    final java.util.concurrent.ThreadPoolExecutor pluginCalls = new java.util.concurrent.ThreadPoolExecutor(4,
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
    final Set<PeerSource> hungSources = ConcurrentHashMap.newKeySet();
    /** Incoming connections waiting for their handshake, oldest first; guarded by {@link #connections}. */
    private final java.util.LinkedHashSet<WireConnection> awaitingHandshake = new java.util.LinkedHashSet<>();
    /** Every open connection, before and after its handshake. */
    final Set<WireConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    final EventSink eventSink;
    private final SelectionStore selections;
    private final Consumer<StrategyRegistry.Entry> removalListener = e -> {
        for (ManagedTorrent h : handles.values()) {
            h.session.strategyRemoved(e.kind(), e.name());
        }
    };

    // the transports: guarded by listenLock
    private final Object listenLock = new Object();
    private final Map<Transport, org.stampede.spi.Transport.Listener> listening = new HashMap<>();
    private List<TransportLayer> layersInUse = List.of();
    volatile int listenPort;
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

    /**
     * An incoming connection on a transport: refused when banned or the engine is closing. Connections still waiting
     * for their handshake have a budget of their own ({@link #halfOpenLimit()}), and at the engine's limit the oldest
     * of them makes room: idle sockets, however many, can never keep a peer that handshakes at once from getting in;
     * only when every connection is a handshaked peer is a newcomer refused.
     */
    private WireConnection accept(Transport base, List<TransportLayer> layers, InetSocketAddress remote) {
        if (closed || remote == null || isBanned(remote.getAddress())) {
            return null;
        }
        WireConnection c = new WireConnection(this, null, remote, base, layers, -1);
        WireConnection evicted = null;
        // check and count in one step: transports accept on several threads at once
        synchronized (connections) {
            if (!acceptsMorePeers() || awaitingHandshake.size() >= halfOpenLimit()) {
                Iterator<WireConnection> oldest = awaitingHandshake.iterator();
                if (!oldest.hasNext()) {
                    return null; // every connection is a peer
                }
                evicted = oldest.next();
                oldest.remove();
                connections.remove(evicted);
            }
            connections.add(c);
            awaitingHandshake.add(c);
        }
        if (evicted != null) {
            evicted.close("no handshake yet, and a newer connection needed its place");
        }
        return c;
    }

    /** Incoming connections that may wait for their handshake at once: a quarter of the engine's limit, at least 8. */
    int halfOpenLimit() {
        return Math.max(8, settings.maxPeers() / 4);
    }

    /** An incoming connection's handshake is done: it no longer counts as waiting. */
    void handshakeDone(WireConnection c) {
        synchronized (connections) {
            awaitingHandshake.remove(c);
        }
    }

    /** Dials a candidate of a torrent with the best transport that can, from route {@code from} on. */
    void dial(ManagedTorrent h, InetSocketAddress a, int from) {
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
        synchronized (connections) {
            connections.remove(c);
            awaitingHandshake.remove(c);
        }
        dials.remove(c);
        ManagedTorrent h = c.handle();
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
            for (ManagedTorrent h : handles.values()) {
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

    static final int NO_SLOT = -1, DOWNLOAD = 0, SEED = 1;

    private int limit(int kind) {
        return kind == DOWNLOAD ? settings.activeDownloads() : settings.activeSeeds();
    }

    /** Whether a torrent that is to run now has a free slot (called with the queue lock held). */
    boolean slotFree(ManagedTorrent h) {
        return slotFree(h, h.kind());
    }

    /** As {@link #slotFree(ManagedTorrent)} for a torrent just checked, whose verified pieces are {@code verified}. */
    boolean slotFree(ManagedTorrent h, BitSet verified) {
        BitSet missing = h.storage.wantedPieces();
        missing.andNot(verified);
        return slotFree(h, !missing.isEmpty() ? DOWNLOAD : h.session.options.seed() ? SEED : NO_SLOT);
    }

    boolean slotFree(ManagedTorrent h, int kind) {
        int limit = kind == NO_SLOT ? -1 : limit(kind);
        if (limit < 0) {
            return true;
        }
        int active = 0;
        for (ManagedTorrent o : queueOrder.values()) {
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
            for (ManagedTorrent h : queueOrder.values()) {
                int kind = h.kind();
                if (kind != NO_SLOT && h.holdsSlot()) {
                    if (limit(kind) >= 0 && active[kind] >= limit(kind)) {
                        h.queue();
                    } else {
                        active[kind]++;
                    }
                }
            }
            for (ManagedTorrent h : queueOrder.values()) {
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
        try {
            refuseStateFolder(torrent, storage);
        } catch (IOException e) {
            storage.close();
            throw e;
        }
        TorrentSession session = new TorrentSession(this, torrent, storage, options);
        ManagedTorrent h = new ManagedTorrent(this, session, storage);
        if (handles.putIfAbsent(session.infoHashHex, h) != null) {
            storage.close();
            throw new IllegalStateException("torrent " + session.infoHashHex + " is already added");
        }
        queueOrder.put(h.queuePosition, h);
        post(EngineEvents.TORRENT_ADDED, Map.of(EngineEvents.INFO_HASH, session.infoHashHex));
        h.check();
        return h;
    }

    /**
     * Refuses a torrent with a file in the engine's state folder, or where that folder (or a folder above it) must
     * be: it would overwrite resume data and the control file, or they its data. Names are compared ignoring case,
     * as on the file systems of Windows and macOS.
     */
    private void refuseStateFolder(Torrent torrent, FileStorage storage) throws IOException {
        if (settings.stateDir() == null) {
            return;
        }
        Path state = settings.stateDir().toAbsolutePath().normalize();
        for (int f = 0; f < torrent.files().size(); f++) {
            Path file = storage.filePath(f);
            if (file != null && (startsWithIgnoringCase(file, state) || startsWithIgnoringCase(state, file))) {
                throw new IOException(torrent.name() + ": its file " + file + " and " + state + ", the folder of "
                        + "Stampede's own state (resume data, control file), would overwrite each other: refused; "
                        + "download it into another folder");
            }
        }
    }

    private static boolean startsWithIgnoringCase(Path path, Path prefix) {
        if (path.getNameCount() < prefix.getNameCount() || !java.util.Objects.equals(path.getRoot(), prefix.getRoot())) {
            return false;
        }
        for (int i = 0; i < prefix.getNameCount(); i++) {
            if (!path.getName(i).toString().equalsIgnoreCase(prefix.getName(i).toString())) {
                return false;
            }
        }
        return true;
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
            for (ManagedTorrent h : handles.values()) {
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
        for (ManagedTorrent h : handles.values()) {
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
            for (ManagedTorrent h : handles.values()) {
                h.peerList.remove(address);
            }
        }
    }

    boolean isBanned(InetAddress address) {
        return address != null && banned.contains(address);
    }

    @Override
    public void torrentFinished(TorrentSession session) {
        ManagedTorrent h = handles.get(session.infoHashHex);
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
        for (ManagedTorrent h : handles.values()) {
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
        ManagedTorrent h = handles.get(session.infoHashHex);
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

    ManagedTorrent handleFor(byte[] infoHash) {
        return handles.get(java.util.HexFormat.of().formatHex(infoHash));
    }

    boolean acceptsMorePeers() {
        return connections.size() < settings.maxPeers();
    }

    /** Accounts received payload against the rate limits; stops reading from the peer while over them. */
    void throttleDownload(ManagedTorrent h, PeerChannel channel, int bytes) {
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

    // ---------------------------------------------------------------- plug-ins coming and going

    @Override
    public void sourceAdded(Plugins.Entry<PeerSource> source) {
        for (ManagedTorrent h : handles.values()) {
            if (h.running()) {
                h.sources.start(source.service());
            }
        }
    }

    @Override
    public void sourceRemoved(Plugins.Entry<PeerSource> source) {
        for (ManagedTorrent h : handles.values()) {
            h.sources.stop(source.service());
        }
    }

    @Override
    public void trackerClientsChanged() {
        trackerClients.clear(); // the next announce takes the client of the factory installed now
    }

    @Override
    public void extensionsChanged() {
        for (ManagedTorrent h : handles.values()) {
            h.session.extensionsChanged();
        }
    }
}
