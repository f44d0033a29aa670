package org.stampede.ui.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.stampede.engine.AddOptions;
import org.stampede.engine.Engine;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.MagnetLink;
import org.stampede.metainfo.MetainfoException;
import org.stampede.metainfo.Torrent;

/**
 * The GUI's client: one engine, the torrents the user added (kept in a list file in the data folder, so a restart
 * reopens them, paused ones included), the torrent selected in the views, and the engine's events passed on to the
 * views. Every view works through it. Thread-safe; listeners are called on the thread that posted the event (never
 * the UI thread by itself), so views coalesce and move to the display thread themselves.
 * <p>
 * In a framework it is made by {@link ClientSessionComponent}; outside one (tests) it is made directly from any
 * {@link EngineFactory}, and the engine's events are handed to {@link #handleEvent}.
 */
public final class ClientSession implements EventHandler, AutoCloseable {
    /** Topic of the session's own events: the list of torrents changed (an add, remove, pause or resume). */
    public static final String LIST_CHANGED = "org/stampede/ui/LIST";
    /** Topic of the session's own events: another torrent was selected. */
    public static final String SELECTION_CHANGED = "org/stampede/ui/SELECTION";

    private static final String LIST_FILE = "torrents.list";

    /** Hears the engine's events and the session's own, on the posting thread. */
    @FunctionalInterface
    public interface Listener {
        /** @param infoHash the torrent concerned, or null */
        void changed(String topic, String infoHash);
    }

    /**
     * One torrent the user added.
     *
     * @param torrentFile the session's own copy of the .torrent file
     * @param handle      the engine's handle, paused or not
     */
    public record Entry(String infoHash, Torrent torrent, Path torrentFile, Path downloadDir, TorrentHandle handle) {
        public boolean paused() {
            return handle.isPaused();
        }
    }

    private final Engine engine;
    private final Path dataDir;
    private final Path defaultDownloadDir;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final RateHistory history = new RateHistory(300);
    private final Map<String, long[]> rates = new ConcurrentHashMap<>();
    private volatile String selected;

    /**
     * Starts an engine and reopens the torrents listed in {@code dataDir}.
     *
     * @param settings           engine settings; its state folder is replaced by {@code dataDir/resume}
     * @param dataDir            where the list of torrents, copies of their .torrent files and resume data live
     * @param defaultDownloadDir where torrents are downloaded unless the user says otherwise
     */
    public ClientSession(EngineFactory factory, EngineSettings settings, Path dataDir, Path defaultDownloadDir)
            throws IOException {
        this.dataDir = dataDir;
        this.defaultDownloadDir = defaultDownloadDir;
        Files.createDirectories(dataDir.resolve("torrents"));
        this.engine = factory.create(settings.withStateDir(dataDir.resolve("resume")));
        restore();
    }

    public Engine engine() {
        return engine;
    }

    public Path defaultDownloadDir() {
        return defaultDownloadDir;
    }

    public RateHistory history() {
        return history;
    }

    /** The torrents in the order they were added. */
    public List<Entry> torrents() {
        List<Entry> out = new ArrayList<>(order.size());
        for (String h : order) {
            Entry e = entries.get(h);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public Entry get(String infoHash) {
        return infoHash == null ? null : entries.get(infoHash);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    private void fire(String topic, String infoHash) {
        for (Listener l : listeners) {
            try {
                l.changed(topic, infoHash);
            } catch (RuntimeException e) {
                System.err.println("stampede ui: listener failed on " + topic + ": " + e);
            }
        }
    }

    // ---------------------------------------------------------------- selection

    public void select(String infoHash) {
        if (!java.util.Objects.equals(selected, infoHash)) {
            selected = infoHash;
            fire(SELECTION_CHANGED, infoHash);
        }
    }

    /** The selected torrent, or null. */
    public Entry selected() {
        return get(selected);
    }

    // ---------------------------------------------------------------- adding and removing

    /** Adds a .torrent file, downloading into {@code downloadDir} (the default folder when null). */
    public Entry add(Path torrentFile, Path downloadDir) throws IOException, MetainfoException {
        Torrent torrent = Torrent.read(torrentFile);
        Path dir = downloadDir != null ? downloadDir : defaultDownloadDir;
        TorrentHandle h = engine.add(torrent, dir, AddOptions.defaults());
        Path copy = dataDir.resolve("torrents").resolve(h.infoHash() + ".torrent");
        if (!copy.equals(torrentFile.toAbsolutePath())) {
            Files.copy(torrentFile, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        Entry e = new Entry(h.infoHash(), torrent, copy, dir, h);
        entries.put(e.infoHash(), e);
        order.remove(e.infoHash());
        order.add(e.infoHash());
        save();
        fire(LIST_CHANGED, e.infoHash());
        if (selected == null) {
            select(e.infoHash());
        }
        return e;
    }

    /**
     * Adds a magnet link. The engine cannot fetch metadata from peers yet (BEP 9), so a well-formed link is refused
     * with that reason, a malformed one with what is wrong in it.
     */
    public Entry addMagnet(String uri) throws MetainfoException {
        MagnetLink.parse(uri.strip());
        throw new UnsupportedOperationException("magnet links are not yet supported: fetching the metadata from "
                + "peers (BEP 9) is to come; add the .torrent file instead");
    }

    /**
     * Pauses a torrent: the engine pauses it (connections closed, trackers told, resume data saved) and keeps it,
     * with what it has verified; it stays in the list as paused.
     */
    public CompletableFuture<Void> pause(String infoHash) {
        Entry e = entries.get(infoHash);
        if (e == null || !e.handle().pause()) {
            return CompletableFuture.completedFuture(null);
        }
        save();
        fire(LIST_CHANGED, infoHash);
        return CompletableFuture.completedFuture(null);
    }

    /** Resumes a paused torrent where it was: no recheck. */
    public void resume(String infoHash) throws IOException, MetainfoException {
        Entry e = entries.get(infoHash);
        if (e == null || !e.handle().resume()) {
            return;
        }
        save();
        fire(LIST_CHANGED, infoHash);
    }

    /**
     * Removes a torrent from the engine and the list; with {@code deleteData} its downloaded files (the torrent's
     * folder, or its single file, under the download folder) are deleted once the engine has closed them.
     */
    public CompletableFuture<Void> remove(String infoHash, boolean deleteData) {
        Entry e = entries.remove(infoHash);
        if (e == null) {
            return CompletableFuture.completedFuture(null);
        }
        order.remove(infoHash);
        save();
        if (infoHash.equals(selected)) {
            select(null);
        }
        CompletableFuture<Void> stopped = e.handle().stop();
        return stopped.thenRun(() -> {
            try {
                Files.deleteIfExists(e.torrentFile());
                Files.deleteIfExists(dataDir.resolve("resume").resolve(infoHash + ".resume"));
                if (deleteData) {
                    deleteTree(e.downloadDir().resolve(e.torrent().name()));
                }
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            } finally {
                fire(LIST_CHANGED, infoHash);
            }
        });
    }

    /** Where a torrent's data is: its folder, or its single file. */
    public static Path dataPath(Entry e) {
        return e.downloadDir().resolve(e.torrent().name());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---------------------------------------------------------------- the list file

    /** One line per torrent: state (active/paused), TAB, download folder, TAB, the session's .torrent copy. */
    private synchronized void save() {
        StringBuilder b = new StringBuilder();
        for (Entry e : torrents()) {
            b.append(e.paused() ? "paused" : "active").append('\t').append(e.downloadDir().toAbsolutePath())
                    .append('\t').append(e.torrentFile().toAbsolutePath()).append('\n');
        }
        Path list = dataDir.resolve(LIST_FILE);
        Path tmp = dataDir.resolve(LIST_FILE + ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, list, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("stampede ui: cannot save the list of torrents in " + list + ": " + e.getMessage());
        }
    }

    private void restore() {
        Path list = dataDir.resolve(LIST_FILE);
        if (!Files.isRegularFile(list)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("stampede ui: cannot read " + list + ": " + e.getMessage());
            return;
        }
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                continue;
            }
            try {
                Path file = Path.of(f[2]);
                Torrent t = Torrent.read(file);
                Path dir = Path.of(f[1]);
                TorrentHandle h = engine.add(t, dir, AddOptions.defaults());
                if ("paused".equals(f[0])) {
                    h.pause(); // after its check from the resume data: it shows what it has
                }
                String hash = h.infoHash();
                entries.put(hash, new Entry(hash, t, file, dir, h));
                order.add(hash);
            } catch (IOException | MetainfoException | RuntimeException e) {
                System.err.println("stampede ui: cannot reopen " + f[2] + ": " + e.getMessage());
            }
        }
    }

    /** The info-hash as the engine names torrents: v1, else the truncated v2. */
    static String infoHashOf(Torrent t) {
        byte[] b = t.infoHashV1() != null ? t.infoHashV1().bytes() : t.infoHashV2().truncatedV1().bytes();
        return java.util.HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- engine events

    /** An engine event: stats feed the rate history; every event goes on to the listeners. */
    @Override
    public void handleEvent(Event event) {
        String hash = (String) event.getProperty(EngineEvents.INFO_HASH);
        if (EngineEvents.TORRENT_STATS.equals(event.getTopic()) && hash != null) {
            Object down = event.getProperty(EngineEvents.DOWNLOAD_RATE);
            Object up = event.getProperty(EngineEvents.UPLOAD_RATE);
            rates.put(hash, new long[] { down instanceof Long d ? d : 0, up instanceof Long u ? u : 0 });
            long totalDown = 0;
            long totalUp = 0;
            for (Map.Entry<String, long[]> r : rates.entrySet()) {
                if (entries.containsKey(r.getKey())) {
                    totalDown += r.getValue()[0];
                    totalUp += r.getValue()[1];
                }
            }
            history.record(System.currentTimeMillis(), totalDown, totalUp);
        } else if (EngineEvents.TORRENT_REMOVED.equals(event.getTopic()) && hash != null) {
            rates.remove(hash);
        }
        fire(event.getTopic(), hash);
    }

    /** Closes the engine: every torrent stops, announcing and saving resume data; the list stays as it is. */
    @Override
    public void close() {
        engine.close();
    }
}
