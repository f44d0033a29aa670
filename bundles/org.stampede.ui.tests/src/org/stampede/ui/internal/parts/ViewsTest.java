package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.stampede.api.StrategyKind;
import org.stampede.engine.TrackerStatus;
import org.stampede.testing.interop.Interop;

/**
 * Each view part, made in a plain Shell (no workbench) over a real client session downloading from a libtorrent
 * seeder on 127.0.0.1, shows the right rows; each test saves a PNG of its view under
 * {@code target/screenshots/<view>.png} (relative to the working folder, or {@code -Dstampede.screenshots}).
 * Peers and files are looked at while the transfer runs (1 MiB/s), pieces and speed once it has completed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ViewsTest {
    private static final long WAIT_MS = 90_000;

    private Path dir;
    private Swarm swarm;
    private Display display;
    private Shell shell;

    @BeforeAll
    void start() throws Exception {
        Interop.requireLibtorrent();
        dir = Files.createTempDirectory("stampede-ui");
        display = Display.getDefault();
        swarm = new Swarm(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (swarm != null) {
            swarm.close();
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void closeShell() {
        if (shell != null && !shell.isDisposed()) {
            shell.dispose();
        }
        pump();
    }

    private Composite shell(String title, int width, int height) {
        shell = new Shell(display);
        shell.setText(title);
        shell.setLayout(new FillLayout());
        shell.setSize(width, height);
        shell.setLocation(0, 0);
        return new Composite(shell, SWT.NONE);
    }

    private void pump() {
        while (display.readAndDispatch()) {
            // run what is queued
        }
    }

    /** Dispatches UI events until the condition holds; fails with {@code what} after a generous bound. */
    private void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            if (!display.readAndDispatch()) {
                display.timerExec(50, () -> {
                });
                display.sleep();
            }
        }
    }

    private void awaitComplete() {
        await(() -> swarm.entry.handle().completion().isDone(), () -> "completion: " + swarm.entry.handle().status());
    }

    /** Saves the control's pixels as target/screenshots/{name}.png. */
    private Path screenshot(Control control, String name) throws Exception {
        shell.open();
        shell.forceActive();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
        while (System.nanoTime() < until) { // let the window manager map it and paint
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
        return org.stampede.ui.internal.ScreenshotsForTests.save(control, name);
    }

    private static List<String> column(Table table, int column) {
        List<String> out = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            out.add(item.getText(column));
        }
        return out;
    }

    @Test
    @Order(1)
    void peersViewShowsTheLibtorrentSeederWhileDownloading() throws Exception {
        PeersPart part = new PeersPart(swarm.session);
        part.create(shell("Peers", 900, 260));
        Function<Integer, String> client = i -> part.table().getItem(i).getText(1);
        await(() -> part.rowCount() > 0 && client.apply(0).toLowerCase().contains("libtorrent"),
                () -> "a libtorrent peer row: " + swarm.entry.handle().peers());
        TableItem row = part.table().getItem(0);
        assertTrue(row.getText(0).startsWith("127.0.0.1:"), row.getText(0));
        assertEquals("out", row.getText(2).split(" ")[0], "we connected to the seeder");
        assertEquals("tcp", row.getText(2).split(" ")[1], "over TCP, unencrypted: " + row.getText(2));
        // the seeder's bitfield and our unchoke may come a moment after the connection
        await(() -> "100.0%".equals(part.table().getItem(0).getText(5)), () -> "the seeder to have everything: "
                + part.table().getItem(0).getText(5));
        await(() -> part.table().getItem(0).getText(6).contains("D"), () -> "downloading state D");
        screenshot(part.control().getParent(), "peers");
        part.dispose();
    }

    @Test
    @Order(2)
    void filesViewShowsEachFileUnderTheTorrentsFolderAndSkipsOneThroughItsPriority() throws Exception {
        FilesPart part = new FilesPart(swarm.session);
        part.create(shell("Files", 700, 260));
        List<String> paths = new ArrayList<>();
        for (FilesPart.Node n : part.files()) {
            paths.add(n.path());
        }
        assertEquals(List.of("Stampede sample/docs/deep/third.bin", "Stampede sample/docs/second.bin",
                "Stampede sample/first.bin"), paths.stream().sorted().toList());
        TreeItem top = part.viewer().getTree().getItem(0);
        assertEquals("Stampede sample", top.getText(0));
        FilesPart.Node third = part.files().stream().filter(n -> n.name.equals("third.bin")).findFirst()
                .orElseThrow();
        part.choosePriority(third, 0);
        assertEquals(0, swarm.entry.handle().filePriority(third.file));
        pump();
        screenshot(part.control().getParent(), "files");
        part.choosePriority(third, 1);
        assertEquals(1, swarm.entry.handle().filePriority(third.file));
        part.dispose();
    }

    @Test
    @Order(3)
    void torrentsViewShowsTheTorrentsNameSizeAndState() throws Exception {
        TorrentsPart part = new TorrentsPart(swarm.session);
        part.create(shell("Torrents", 1000, 200));
        Table table = part.table();
        await(() -> table.getItemCount() == 1, () -> "one row");
        assertEquals("Stampede sample", table.getItem(0).getText(0));
        assertEquals("4.3 MiB", table.getItem(0).getText(1));
        await(() -> !table.getItem(0).getText(4).isEmpty() || swarm.entry.handle().completion().isDone(),
                () -> "a download rate or completion");
        screenshot(part.viewer().getControl().getParent(), "torrents");
        part.dispose();
    }

    @Test
    @Order(4)
    void trackersViewShowsTheEmbeddedTrackerAsWorking() throws Exception {
        TrackersPart part = new TrackersPart(swarm.session);
        part.create(shell("Trackers", 1000, 160));
        Table table = part.viewer().getTable();
        await(() -> swarm.entry.handle().trackers().get(0).state() == TrackerStatus.State.WORKING,
                () -> "an answer from the tracker: " + swarm.entry.handle().trackers());
        await(() -> table.getItemCount() == 1 && "working".equals(table.getItem(0).getText(2)),
                () -> "the row to say working: " + column(table, 2));
        assertEquals(swarm.tracker.httpAnnounceUrl().toString(), table.getItem(0).getText(0));
        assertEquals("0", table.getItem(0).getText(1));
        assertTrue(table.getItem(0).getText(4).startsWith("in "), table.getItem(0).getText(4));
        screenshot(part.viewer().getControl().getParent(), "trackers");
        part.dispose();
    }

    @Test
    @Order(5)
    void piecesViewPaintsEveryVerifiedPieceAsHave() throws Exception {
        awaitComplete();
        PiecesPart part = new PiecesPart(swarm.session);
        part.create(shell("Pieces", 700, 300));
        screenshot(part.canvas(), "pieces");
        int pieces = swarm.torrent.pieceCount();
        assertEquals(pieces, part.paintedCells(), "one cell per piece at this size");
        assertEquals(pieces, part.paintedHaveCells());
        part.dispose();
    }

    @Test
    @Order(6)
    void speedViewGraphsTheSamplesOfTheTransfer() throws Exception {
        awaitComplete();
        SpeedPart part = new SpeedPart(swarm.session);
        part.create(shell("Speed", 700, 260));
        await(() -> part.samples() >= 3, () -> "three samples, have " + part.samples());
        long[] down = new long[swarm.session.history().capacity()];
        long[] up = new long[down.length];
        int n = swarm.session.history().copy(down, up);
        assertTrue(java.util.Arrays.stream(down, 0, n).anyMatch(r -> r > 0), "a sample of the download");
        screenshot(part.canvas(), "speed");
        part.dispose();
    }

    @Test
    @Order(7)
    void strategiesViewListsTheInstalledStrategiesAndItsComboSwitchesThePicker() throws Exception {
        StrategiesPart part = new StrategiesPart(swarm.session);
        part.create(shell("Strategies", 950, 260));
        Table table = part.viewer().getTable();
        assertEquals(List.of("in-order", "reverse-order", "unchoke-all", "unchoke-all"),
                column(table, 0).stream().sorted().toList());
        Combo pickers = part.combo(StrategyKind.PICKER);
        assertEquals("in-order", pickers.getText());
        pickers.select(List.of(pickers.getItems()).indexOf("reverse-order"));
        pickers.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        await(() -> "reverse-order".equals(swarm.entry.handle().status().picker()),
                () -> "the switch: " + swarm.entry.handle().status());
        await(() -> column(table, 4).get(column(table, 0).indexOf("reverse-order")).equals("Stampede sample"),
                () -> "the table to show the torrent on reverse-order: " + column(table, 4));
        screenshot(part.viewer().getControl().getParent(), "strategies");
        part.dispose();
    }
}
