package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.stampede.cli.plugins.PersistedPlugins;
import org.stampede.engine.StrategyInfo;
import org.stampede.ui.StampedeUi;
import org.stampede.ui.internal.UiWait;

/**
 * Runs in the UI harness, in the Stampede desktop application (under Xvfb in the build): the Strategies view, opened
 * through the workbench, installs a strategy bundle from its jar with "Keep after restart", which copies the jar into
 * the folder of persisted plug-ins (the one {@code stampede control install --persist} uses, and every start
 * installs), marks the bundle's strategies as kept, and deletes the copy when it uninstalls the bundle. The folder is
 * a temporary one: this test registers it as a {@link PersistedPlugins} service ranked above the one the
 * application registered for the user's folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeptPluginsUiTest {
    private static final String BUNDLE = "org.stampede.picker.random";
    private static final String STRATEGY = "random-first-then-rarest";
    private static final int KEPT_COLUMN = 5;

    private BundleContext context;
    private Path data;
    private PersistedPlugins folder;
    private ServiceRegistration<PersistedPlugins> registration;
    private Path jar;

    @BeforeAll
    void start() throws Exception {
        context = TestRuntime.startStampede();
        jar = TestRuntime.bundleJar(BUNDLE);
        data = Files.createTempDirectory("stampede-data"); // a STAMPEDE_DATA_DIR of this test's own
        folder = new PersistedPlugins(data.resolve("plugins"));
        Dictionary<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, 1000);
        registration = context.registerService(PersistedPlugins.class, folder, ranking);
    }

    @AfterAll
    void stop() throws Exception {
        if (registration != null) {
            registration.unregister();
        }
        closeView(); // the next test to open it gets the application's folder again
        boolean present = false;
        for (Bundle b : context.getBundles()) {
            present |= BUNDLE.equals(b.getSymbolicName());
        }
        if (!present) { // leave the random picker installed for the other tests, as the runtime had it
            context.installBundle(jar.toUri().toString()).start();
        }
        if (data != null) {
            try (var walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static EPartService parts() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(EPartService.class);
    }

    private static void closeView() {
        MPart open = parts().findPart(StampedeUi.STRATEGIES_VIEW_ID);
        if (open != null && open.getObject() != null) {
            parts().hidePart(open, true);
        }
    }

    /** A Strategies view made now, so that it finds the services registered now. */
    private static StrategiesPart freshView() throws Exception {
        closeView();
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(StampedeUi.STRATEGIES_VIEW_ID);
        MPart part = parts().findPart(StampedeUi.STRATEGIES_VIEW_ID);
        assertNotNull(part, "no MPart " + StampedeUi.STRATEGIES_VIEW_ID);
        return (StrategiesPart) part.getObject();
    }

    private static List<String> column(Table table, int column) {
        List<String> out = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            out.add(item.getText(column));
        }
        return out;
    }

    /** The text of the strategy's row in the column, or null when it has no row. */
    private static String cell(Table table, String strategy, int column) {
        int row = column(table, 0).indexOf(strategy);
        return row < 0 ? null : table.getItem(row).getText(column);
    }

    private static void select(StrategiesPart part, String strategy) {
        for (Object o : (List<?>) part.viewer().getInput()) {
            if (o instanceof StrategyInfo s && s.name().equals(strategy)) {
                part.viewer().setSelection(new StructuredSelection(s), true);
                return;
            }
        }
        throw new AssertionError(strategy + " is not in the view's input");
    }

    @Test
    void theDesktopApplicationOffersTheFolderItInstallsAtItsStart() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(PersistedPlugins.class.getName(), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        assertNotNull(refs, "no PersistedPlugins service");
        List<String> registrars = new ArrayList<>();
        for (ServiceReference<?> r : refs) {
            registrars.add(r.getBundle().getSymbolicName());
        }
        assertTrue(registrars.contains("org.stampede.ui.app"),
                "the desktop application registers the folder it installed from: " + registrars);
    }

    @Test
    void keepAfterRestartCopiesTheJarIntoThePluginsFolderMarksItAndUninstallDeletesIt() throws Exception {
        Display display = Display.getCurrent();
        StrategiesPart part = freshView();
        Table table = part.viewer().getTable();
        assertSame(folder, part.persisted(), "the view keeps plug-ins in the highest-ranked folder");
        assertTrue(part.keep().isEnabled(), "Keep after restart is offered where a start installs the folder");
        UiWait.until(display, () -> cell(table, STRATEGY, 0) != null, () -> "the row of " + STRATEGY);
        assertEquals("", cell(table, STRATEGY, KEPT_COLUMN), "installed with the product, not kept");

        // the runtime installed the bundle from elsewhere: uninstall it (not kept: the folder stays as it is)
        select(part, STRATEGY);
        part.uninstallSelected().get(30, TimeUnit.SECONDS);
        UiWait.until(display, () -> cell(table, STRATEGY, 0) == null, () -> "the row to go: " + column(table, 0));
        assertEquals(List.of(), folder.jars());

        // install from the jar, kept after a restart
        part.keep().setSelection(true);
        Bundle b = part.installFrom(jar).get(30, TimeUnit.SECONDS);
        Path kept = folder.folder().resolve(BUNDLE + "_" + b.getVersion() + ".jar");
        assertEquals(List.of(kept), folder.jars(), "the jar is in " + data.resolve("plugins"));
        assertEquals(-1, Files.mismatch(jar, kept), "a copy of the jar");
        assertEquals(BUNDLE, b.getSymbolicName());
        assertEquals(Bundle.ACTIVE, b.getState());
        UiWait.until(display, () -> "yes".equals(cell(table, STRATEGY, KEPT_COLUMN)),
                () -> "the row to say kept: " + column(table, 0) + " " + column(table, KEPT_COLUMN));
        assertEquals("", cell(table, "rarest-first", KEPT_COLUMN), "only the kept bundle's strategies are marked");

        // uninstalling it in the view deletes its jar
        select(part, STRATEGY);
        part.uninstallSelected().get(30, TimeUnit.SECONDS);
        assertTrue(Files.notExists(kept), kept + " deleted");
        assertEquals(List.of(), folder.jars());
        assertEquals(Bundle.UNINSTALLED, b.getState());
        UiWait.until(display, () -> cell(table, STRATEGY, 0) == null, () -> "the row to go: " + column(table, 0));

        // without the check box, an install lasts only as long as the client
        part.keep().setSelection(false);
        part.installFrom(jar).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), folder.jars());
        UiWait.until(display, () -> "".equals(cell(table, STRATEGY, KEPT_COLUMN)),
                () -> "the row back, not kept: " + column(table, 0) + " " + column(table, KEPT_COLUMN));
    }
}
