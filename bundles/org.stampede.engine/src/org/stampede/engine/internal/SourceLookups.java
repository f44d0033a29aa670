package org.stampede.engine.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.stampede.spi.PeerSource;

/**
 * The lookups of one torrent's peer sources (the trackers among them): started when the torrent runs, stopped when
 * it pauses, queues or stops, told of a refresh and of completion. Every call into a source runs on the engine's
 * plug-in threads, bounded in time: a source that throws or blocks is left out for this torrent, which goes on.
 * Guarded by the torrent's ({@link ManagedTorrent}'s) monitor, which also guards whether the sources may run.
 */
final class SourceLookups {
    /** A lookup being started (see {@link #start}). */
    private static final PeerSource.Lookup STARTING = () -> CompletableFuture.completedFuture(null);

    private final EngineImpl engine;
    private final ManagedTorrent torrent;
    /** The running lookups, by source. */
    private final Map<PeerSource, PeerSource.Lookup> lookups = new LinkedHashMap<>();
    /**
     * Whether the torrent finished here (not complete when added), and the sources told so: each source hears it
     * exactly once, also when it finished while paused or while a source's lookup was starting.
     */
    boolean finishedHere;
    private final Set<PeerSource> toldCompleted = new HashSet<>();

    SourceLookups(EngineImpl engine, ManagedTorrent torrent) {
        this.engine = engine;
        this.torrent = torrent;
    }

    /** Under the torrent's monitor: the running lookup of a source, or null. */
    PeerSource.Lookup lookup(PeerSource source) {
        PeerSource.Lookup l = lookups.get(source);
        return l == STARTING ? null : l;
    }

    /** Starts every peer source that may serve this torrent (only trackers for a private one). */
    void startAll() {
        start(engine.trackerSource);
        for (Plugins.Entry<PeerSource> e : engine.plugins.sources()) {
            start(e.service());
        }
    }

    /**
     * Starts a source's lookup on a plug-in thread: one that throws is left out for this torrent, one that
     * blocks is given up on after {@link EngineImpl#PLUGIN_CALL_MS} (its thread stays with it); the torrent goes on.
     */
    void start(PeerSource source) {
        boolean allowed;
        try {
            allowed = !torrent.session.torrent.isPrivate() || source.allowsPrivate();
        } catch (RuntimeException | LinkageError ex) {
            allowed = false;
        }
        if (!allowed) {
            return;
        }
        synchronized (torrent) {
            if (!torrent.sourcesMayRun() || lookups.containsKey(source)
                    || engine.hungSources.contains(source)) {
                return;
            }
            lookups.put(source, STARTING);
        }
        CompletableFuture<PeerSource.Lookup> f;
        try {
            f = CompletableFuture.supplyAsync(() -> source.start(torrent.swarm, torrent.peerList), engine.pluginCalls);
        } catch (RejectedExecutionException ex) {
            f = CompletableFuture.failedFuture(ex);
        }
        // a start that comes back after the timeout is stopped at once: nobody else holds its lookup
        CompletableFuture<PeerSource.Lookup> started = f;
        f.copy().orTimeout(EngineImpl.PLUGIN_CALL_MS, TimeUnit.MILLISECONDS).whenComplete((lookup, err) -> {
            boolean keep;
            synchronized (torrent) {
                boolean mine = lookups.get(source) == STARTING;
                keep = mine && err == null && lookup != null && torrent.sourcesMayRun();
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
                    engine.hungSources.add(source);
                    started.thenAccept(late -> stopLookup(source, late));
                }
                engine.log(torrent.hex() + ": peer source " + safeName(source) + (hung ? " did not start within "
                        + EngineImpl.PLUGIN_CALL_MS + " ms; it is not started again" : " failed to start: " + why)
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
            f = CompletableFuture.supplyAsync(lookup::stop, engine.pluginCalls)
                    .thenCompose(x -> x == null ? CompletableFuture.<Void>completedFuture(null) : x);
        } catch (RejectedExecutionException ex) {
            f = CompletableFuture.failedFuture(ex);
        }
        return f.completeOnTimeout(null, 10, TimeUnit.SECONDS).exceptionally(x -> {
            engine.log(torrent.hex() + ": peer source " + safeName(source) + " failed to stop: " + x);
            return null;
        });
    }

    /** Stops one source's lookup (its bundle went away) or all of them; completes when they have stopped. */
    CompletableFuture<Void> stop(PeerSource only) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        synchronized (torrent) {
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
    void tellCompleted() {
        List<Map.Entry<PeerSource, PeerSource.Lookup>> due = new ArrayList<>();
        synchronized (torrent) {
            if (!finishedHere || !torrent.session.state.complete()) {
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
    void each(Consumer<PeerSource.Lookup> action) {
        List<Map.Entry<PeerSource, PeerSource.Lookup>> now;
        synchronized (torrent) {
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
            engine.pluginCalls.execute(() -> {
                try {
                    action.accept(e.getValue());
                } catch (RuntimeException | LinkageError ex) {
                    engine.log(torrent.hex() + ": peer source " + safeName(e.getKey()) + ": " + ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            engine.log(torrent.hex() + ": peer source " + safeName(e.getKey()) + ": no plug-in thread free");
        }
    }

    private static String safeName(PeerSource s) {
        try {
            return s.name();
        } catch (RuntimeException | LinkageError e) {
            return s.getClass().getName();
        }
    }
}
