package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.stampede.api.StrategyKind;
import org.stampede.engine.StrategyInfo;
import org.stampede.ui.StampedeUi;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.ScreenshotsForTests;
import org.stampede.testing.interop.Interop;

/**
 * Runs in the UI harness, on the UI thread of the Stampede desktop application (under Xvfb in the build), with the
 * real strategy bundles and the GUI's own session (the DS component): a torrent downloads from a libtorrent seeder
 * on 127.0.0.1 while the views, opened through the workbench, show it, and the Strategies view switches its
 * picker in the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchUiTest {
    private static final long WAIT_MS = 90_000;
    private static final Map<String, Class<?>> PARTS = Map.of(StampedeUi.TORRENTS_VIEW_ID, TorrentsPart.class,
            StampedeUi.FILES_VIEW_ID, FilesPart.class, StampedeUi.PEERS_VIEW_ID, PeersPart.class,
            StampedeUi.PIECES_VIEW_ID, PiecesPart.class, StampedeUi.TRACKERS_VIEW_ID, TrackersPart.class,
            StampedeUi.SPEED_VIEW_ID, SpeedPart.class, StampedeUi.STRATEGIES_VIEW_ID, StrategiesPart.class);

    private Path dir;
    private Swarm swarm;

    @BeforeAll
    void startTransfer() throws Exception {
        Interop.requireLibtorrent();
        BundleContext context = TestRuntime.startStampede();
        ServiceReference<ClientSession> ref = context.getServiceReference(ClientSession.class);
        assertNotNull(ref, "the GUI's session service (ClientSessionComponent) is not registered");
        ClientSession session = context.getService(ref);
        dir = Files.createTempDirectory("stampede-workbench");
        swarm = new Swarm(dir, session);
        session.select(swarm.entry.infoHash());
    }

    @AfterAll
    void stop() throws Exception {
        if (swarm != null) {
            swarm.close();
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void pump(long millis) {
        Display display = Display.getCurrent();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
    }

    /** Dispatches UI events until the condition holds; fails with {@code what} after a generous bound. */
    private static void await(BooleanSupplier condition, Supplier<String> what) {
        Display display = Display.getCurrent();
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

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    private static <T> T show(String id, Class<T> type) throws Exception {
        IViewPart view = page().showView(id);
        assertNotNull(view, "showView returned no part for " + id);
        MPart part = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(EPartService.class).findPart(id);
        assertNotNull(part, "no MPart " + id);
        return type.cast(part.getObject());
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
    void stampedePerspectiveIsTheInitialOne() {
        assertEquals(StampedeUi.PERSPECTIVE_ID, page().getPerspective().getId());
    }

    @Test
    @Order(2)
    void showViewListsEveryViewUnderTheStampedeCategory() {
        MApplication application = PlatformUI.getWorkbench().getService(MApplication.class);
        List<MPartDescriptor> ours = application.getDescriptors().stream()
                .filter(d -> StampedeUi.VIEW_IDS.contains(d.getElementId())).toList();
        assertEquals(StampedeUi.VIEW_IDS.size(), ours.size(), "fragment.e4xmi descriptors: " + ours);
        for (MPartDescriptor d : ours) {
            assertTrue(d.getTags().contains("View"), d.getElementId() + " not tagged View: " + d.getTags());
            assertEquals("Stampede", d.getCategory(), d.getElementId());
        }
    }

    @Test
    @Order(3)
    void preferencePageAndCreateTorrentWizardAreRegistered() {
        assertNotNull(PlatformUI.getWorkbench().getPreferenceManager().find(StampedeUi.PREFERENCE_PAGE_ID),
                "preference page not registered");
        assertNotNull(PlatformUI.getWorkbench().getNewWizardRegistry()
                .findWizard(StampedeUi.CREATE_TORRENT_WIZARD_ID), "new-torrent wizard not registered");
    }

    @Test
    @Order(4)
    void torrentsViewShowsTheTransferringTorrent() throws Exception {
        TorrentsPart part = show(StampedeUi.TORRENTS_VIEW_ID, TorrentsPart.class);
        Table table = part.table();
        await(() -> column(table, 0).contains("Stampede sample"), () -> "the torrent's row: " + column(table, 0));
        assertEquals("4.3 MiB", table.getItem(column(table, 0).indexOf("Stampede sample")).getText(1));
        await(() -> swarm.entry.handle().completion().isDone(), () -> "completion: " + swarm.entry.handle().status());
        await(() -> table.getItem(column(table, 0).indexOf("Stampede sample")).getText(3).matches("Seeding|Finished"),
                () -> "the state column to say the download is done: " + column(table, 3));
    }

    @Test
    @Order(5)
    void filesAndTrackersViewsShowTheSelectedTorrent() throws Exception {
        FilesPart files = show(StampedeUi.FILES_VIEW_ID, FilesPart.class);
        await(() -> files.files().size() == 3, () -> "three files: " + files.files());
        TrackersPart trackers = show(StampedeUi.TRACKERS_VIEW_ID, TrackersPart.class);
        Table table = trackers.viewer().getTable();
        await(() -> table.getItemCount() == 1, () -> "the tracker row");
        assertEquals(swarm.tracker.httpAnnounceUrl().toString(), table.getItem(0).getText(0));
    }

    @Test
    @Order(6)
    void strategiesViewListsTheInstalledBundlesAndSwitchesThePickerInTheEngine() throws Exception {
        StrategiesPart part = show(StampedeUi.STRATEGIES_VIEW_ID, StrategiesPart.class);
        Table table = part.viewer().getTable();
        await(() -> column(table, 0).containsAll(List.of("rarest-first", "random-first-then-rarest", "tit-for-tat",
                "round-robin")), () -> "the installed strategies: " + column(table, 0));
        assertEquals("org.stampede.picker.rarest", table.getItem(column(table, 0).indexOf("rarest-first")).getText(2));
        Combo pickers = part.combo(StrategyKind.PICKER);
        int index = List.of(pickers.getItems()).indexOf("random-first-then-rarest");
        assertTrue(index >= 0, "picker combo: " + List.of(pickers.getItems()));
        pickers.select(index);
        pickers.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        await(() -> "random-first-then-rarest".equals(swarm.entry.handle().status().picker()),
                () -> "the engine to use the picker chosen in the view: " + swarm.entry.handle().status());
    }

    @Test
    @Order(7)
    void uninstallingThePickerBundleInTheViewFallsBackToRarestFirstAndInstallingItsJarListsItAgain()
            throws Exception {
        Path jar = TestRuntime.bundleJar("org.stampede.picker.random");
        StrategiesPart part = show(StampedeUi.STRATEGIES_VIEW_ID, StrategiesPart.class);
        Table table = part.viewer().getTable();
        await(() -> column(table, 0).contains("random-first-then-rarest"), () -> "the random picker's row");
        StrategyInfo random = null;
        for (Object o : (List<?>) part.viewer().getInput()) {
            if (o instanceof StrategyInfo s && s.name().equals("random-first-then-rarest")) {
                random = s;
            }
        }
        assertNotNull(random, "the random picker in the view's input");
        part.viewer().setSelection(new StructuredSelection(random), true);
        part.uninstallSelected().get(30, TimeUnit.SECONDS);
        await(() -> !column(table, 0).contains("random-first-then-rarest"),
                () -> "the row to go with the bundle: " + column(table, 0));
        await(() -> "rarest-first".equals(swarm.entry.handle().status().picker()),
                () -> "the torrent to fall back to rarest-first: " + swarm.entry.handle().status());

        part.installFrom(jar).get(30, TimeUnit.SECONDS);
        await(() -> column(table, 0).contains("random-first-then-rarest"),
                () -> "the row to come back with the bundle from " + jar + ": " + column(table, 0));
        assertEquals("org.stampede.picker.random",
                table.getItem(column(table, 0).indexOf("random-first-then-rarest")).getText(2));
    }

    @Test
    @Order(8)
    void everyViewOpensThroughTheWorkbenchAndIsPhotographed() throws Exception {
        EPartService parts = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(EPartService.class);
        for (String id : StampedeUi.VIEW_IDS) {
            page().showView(id);
            pump(300);
            MPart part = parts.findPart(id);
            assertNotNull(part, "no MPart " + id);
            assertEquals(PARTS.get(id), part.getObject().getClass(), id);
            assertTrue(part.getWidget() instanceof Composite c && !c.isDisposed() && c.getChildren().length > 0,
                    "no controls in " + id);
            String name = id.substring(id.lastIndexOf('.') + 1);
            Path png = ScreenshotsForTests.save((Composite) part.getWidget(), "workbench-" + name);
            assertTrue(Files.size(png) > 0, "empty screenshot " + png);
        }
        page().showView(StampedeUi.FILES_VIEW_ID);
        pump(300);
        ScreenshotsForTests.save(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "workbench-window");
    }
}
