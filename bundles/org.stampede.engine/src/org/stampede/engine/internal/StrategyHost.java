package org.stampede.engine.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePicker;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.internal.PickerNews.Kind;

/**
 * A torrent's strategies and the task that calls them. The slots hold the picker, the choker and the seed choker in
 * use; a strategy that throws or overruns its time budget falls back to the default, one whose bundle goes away
 * too. Every strategy call runs on the <em>strategy task</em>: on the engine's strategy threads, one run at a time
 * per torrent, under the torrent's lock. Network, disk and timer threads only note what is to be done and
 * {@link #wake()} the task; what they could not do because the lock stayed busy they {@link #handOver}. The picker's
 * news ({@link PickerNews}, marked by {@link TorrentState} as things change) is told by the task before any pick.
 */
final class StrategyHost {
    static final long STRATEGY_BUDGET_NANOS = 50_000_000;
    /** A strategy call running this long is reported in the torrent's status; tests shorten it. */
    static volatile long hungStrategyMillis = 10_000;

    private final TorrentSession s;
    final StrategySlot<PiecePicker> picker = new StrategySlot<>(StrategyKind.PICKER, null, null);
    final StrategySlot<Choker> choker = new StrategySlot<>(StrategyKind.CHOKER, null, null);
    final StrategySlot<Choker> seedChoker = new StrategySlot<>(StrategyKind.SEED_CHOKER, null, null);

    /** Runs the strategy task: the engine's strategy threads (tests may run it inline). */
    Executor executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable task = this::run;
    /** Work handed over by threads that could not get the lock in time, in their order; the task runs it. */
    private final ConcurrentLinkedQueue<Runnable> handedOver = new ConcurrentLinkedQueue<>();
    /** Guarded by the lock: the task is running (an inline one must not nest). */
    private boolean running;
    /** Calls the picker with one piece of its news (see {@link #tellPicker()}). */
    private final PickerNews.Teller teller = this::tellOne;
    /** The picker being told its news, or null. */
    private PiecePicker telling;
    /** When the strategy call in progress began (System.nanoTime()), or 0; and which strategy it is. */
    private volatile long callSince;
    private volatile String callName;

    StrategyHost(TorrentSession session, Executor executor) {
        this.s = session;
        this.executor = executor;
    }

    // ---------------------------------------------------------------- slots

    /** Under the lock: a slot starts with the strategy named when adding, else the stored one, else the default. */
    void start(StrategySlot<?> slot, String named, Map<String, String> stored) {
        Selections.Choice c = Selections.choose(slot.kind, named, stored.get(slot.kind),
                n -> s.engine.registry().get(slot.kind, n) != null);
        if (c.note() != null) {
            s.engine.log(s.infoHashHex + ": " + c.note());
        }
        install(slot, c.name(), c.reason());
    }

    /** Stores a user's choice of strategy for this torrent (not under the lock: it may write a file). */
    void remember(String kind, String name) {
        if (name != null) {
            s.engine.selections().save(s.infoHashHex, kind, name);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> boolean install(StrategySlot<T> slot, String wanted, String reason) {
        String name = wanted != null ? wanted : s.engine.defaultStrategy(slot.kind);
        StrategyRegistry.Entry e = s.engine.registry().get(slot.kind, name);
        if (e == null) {
            if (wanted != null && slot.instance == null) {
                throw new IllegalArgumentException("no " + slot.kind + " named '" + name + "' is installed");
            }
            return false;
        }
        Object instance;
        try {
            instance = StrategyKind.PICKER.equals(slot.kind) ? ((PiecePickerFactory) e.factory()).create(s.state)
                    : ((ChokerFactory) e.factory()).create(s.state);
        } catch (RuntimeException | LinkageError ex) {
            s.engine.log("strategy " + name + " failed to start for " + s.infoHashHex + ": " + ex);
            return false;
        }
        closeQuietly(slot);
        slot.instance = (T) instance;
        slot.name = name;
        slot.overruns = 0;
        if (slot == picker) {
            // the new picker reads the state from the view: nothing that happened before is news to it
            s.state.news.clear();
            s.state.news.listening = true;
        }
        s.engine.recordStrategy(s.infoHashHex, slot.kind, name, reason);
        return true;
    }

    /** Under the lock: closes every strategy (the torrent stops). */
    void closeAll() {
        closeQuietly(picker);
        closeQuietly(choker);
        closeQuietly(seedChoker);
    }

    private static void closeQuietly(StrategySlot<?> slot) {
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
    void switchTo(String kind, String name) {
        s.lock.lock();
        try {
            StrategySlot<?> slot = slot(kind);
            if (s.engine.registry().get(kind, name) == null) {
                throw new IllegalArgumentException("no " + kind + " named '" + name + "' is installed");
            }
            if (!install(slot, name, "switch")) {
                throw new IllegalStateException(name + " could not start; " + slot.name + " stays");
            }
            if (StrategyKind.PICKER.equals(kind)) {
                s.requests.fillAll();
            }
        } finally {
            s.lock.unlock();
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

    /** The choker deciding now: the seed choker once every piece is here. */
    StrategySlot<Choker> activeChoker() {
        return s.state.complete() ? seedChoker : choker;
    }

    /** A strategy's bundle went away: torrents using it fall back to the default now. */
    void removed(String kind, String name) {
        s.lock.lock();
        try {
            StrategySlot<?> slot = slot(kind);
            if (name.equals(slot.name)) {
                fallback(slot, "uninstalled");
            }
        } finally {
            s.lock.unlock();
        }
    }

    private void fallback(StrategySlot<?> slot, String why) {
        String from = slot.name;
        String to = s.engine.defaultStrategy(slot.kind);
        s.engine.log(s.infoHashHex + ": " + slot.kind + " " + from + " " + why + "; falling back to " + to);
        if (to.equals(from) || !install(slot, to, "fallback from " + from + ": " + why)) {
            slot.instance = null;
            slot.name = null;
            if (slot == picker) {
                s.state.news.clear();
                s.state.news.listening = false;
            }
        }
    }

    // ---------------------------------------------------------------- calls

    /** Before a strategy call: the engine's timer reports it if it does not return (see {@link #hung()}). */
    void calling(StrategySlot<?> slot) {
        callName = slot.kind + " " + slot.name;
        callSince = System.nanoTime();
    }

    /** After a strategy call that returned: three overruns of the time budget in a row replace the strategy. */
    void returned(StrategySlot<?> slot, long startNanos) {
        callSince = 0;
        long spent = System.nanoTime() - startNanos;
        if (spent > STRATEGY_BUDGET_NANOS) {
            if (++slot.overruns >= 3) {
                fallback(slot, "overran its time budget (" + spent / 1_000_000 + " ms)");
            }
        } else {
            slot.overruns = 0;
        }
    }

    /** A strategy call threw: the strategy is replaced by the default. */
    void failed(StrategySlot<?> slot, Throwable t) {
        callSince = 0;
        fallback(slot, "failed: " + t);
    }

    /** What a strategy call in progress has been doing for too long, or null. */
    String hung() {
        long since = callSince;
        if (since == 0) {
            return null;
        }
        long ms = (System.nanoTime() - since) / 1_000_000;
        return ms < hungStrategyMillis ? null
                : "the " + callName + " has not returned for " + ms / 1000 + " s; the torrent waits for it";
    }

    // ---------------------------------------------------------------- the picker's news

    /** Under the lock: the picker is to hear that a piece passed its hash check. */
    void pieceVerified(int piece) {
        s.state.news.verified(piece);
        wake();
    }

    /** Under the lock: the picker is to hear that a piece failed its hash check. */
    void pieceFailed(int piece) {
        s.state.news.failed(piece);
        wake();
    }

    /** Under the lock, after a change of priorities, availability or deadlines: the task tells the picker soon. */
    void wakeForNews() {
        if (s.state.news.pending()) {
            wake();
        }
    }

    /**
     * On the task, before any pick: tells the picker what changed since it last heard, in the order
     * {@link PiecePicker} promises. A picker that throws is replaced, and its successor starts from the view.
     */
    void tellPicker() {
        PickerNews news = s.state.news;
        if (picker.instance == null) {
            news.clear(); // nobody to tell (and nothing is marked until a picker is installed)
            return;
        }
        if (!news.pending()) {
            return;
        }
        telling = picker.instance;
        try {
            news.tell(s.state, teller);
        } finally {
            telling = null;
        }
    }

    private boolean tellOne(Kind kind, int piece, Bitfield pieces) {
        PiecePicker p = picker.instance;
        if (p == null || p != telling) {
            return false; // replaced meanwhile: its successor reads the view
        }
        long t0 = System.nanoTime();
        calling(picker);
        try {
            switch (kind) {
                case VERIFIED -> p.pieceVerified(s.state, piece);
                case FAILED -> p.pieceFailed(s.state, piece);
                case PRIORITY -> p.priorityChanged(s.state, pieces);
                case AVAILABILITY -> p.availabilityChanged(s.state, pieces);
                case DEADLINE -> p.deadlineChanged(s.state, pieces);
            }
        } catch (RuntimeException | LinkageError ex) {
            failed(picker, ex);
            return false;
        }
        returned(picker, t0);
        return picker.instance == p;
    }

    // ---------------------------------------------------------------- the task

    /** Queues work for the task, which runs it under the lock. Allocates: only when the lock was busy. */
    void handOver(Runnable work) {
        handedOver.add(work);
        schedule();
    }

    /** Under the lock: there is strategy work to do; a running task looks again before it ends. */
    void wake() {
        if (!running) {
            schedule();
        }
    }

    /** Makes sure the task runs (soon) once more; cheap when it is already scheduled. */
    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // the engine is closing
            }
        }
    }

    /**
     * The task: the work handed over, the picker's news, a due rechoke and the picks for every peer that wants
     * blocks, until none is left. Each strategy call is timed, and watched by the engine's timer.
     */
    private void run() {
        scheduled.set(false); // from here on new work schedules another run
        s.lock.lock();
        try {
            if (running) {
                return; // an inline run nested in another: the outer one does the work
            }
            running = true;
            try {
                for (boolean any = true; any;) {
                    any = false;
                    for (Runnable r; (r = handedOver.poll()) != null;) {
                        any = true;
                        r.run();
                    }
                    if (s.stopped) {
                        return;
                    }
                    if (s.state.news.pending()) {
                        any = true;
                        tellPicker();
                    }
                    any |= s.chokes.rechokeIfDue();
                    any |= s.requests.pickWanted();
                }
            } finally {
                running = false;
            }
        } finally {
            s.lock.unlock();
        }
    }
}
