package org.stampede.ui.internal.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.osgi.util.NLS;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.cli.plugins.PersistedPlugins;
import org.stampede.cli.plugins.PluginJar;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.StrategyInfo;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Coalescer;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.UserActions;

import jakarta.inject.Inject;

/**
 * The installed strategies (id, kind, bundle, version, the torrents using each, whether their bundle is kept after a
 * restart), the selected torrent's picker, choker and seed choker to switch, and installing a strategy bundle from a
 * jar or uninstalling one. Switching runs off the display thread; the engine's strategy event then refreshes the
 * table.
 * <p>
 * An install lasts as long as the client, or, with "Keep after restart", also copies the jar into the folder of
 * persisted plug-ins, which every start of the desktop client and of {@code ./stampede} installs (as {@code stampede
 * control install --persist} does, through the same {@link PersistedPlugins}); uninstalling a kept bundle deletes its
 * jar from the folder first. The folder is the one of the {@link PersistedPlugins} service, which the desktop
 * application registers after installing from it; without that service (in an Eclipse IDE, whose start installs no
 * such folder) the check box is disabled.
 */
public final class StrategiesPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.strategies";
    private static final String[] KINDS = { StrategyKind.PICKER, StrategyKind.CHOKER, StrategyKind.SEED_CHOKER };

    private TableViewer viewer;
    private final Combo[] combos = new Combo[KINDS.length];
    private Button keep;
    private Button install;
    private Button uninstall;
    private BundleContext context;
    private BundleListener bundles;
    private Coalescer bundleChanges;
    private ServiceReference<PersistedPlugins> persistedRef;
    /** The folder of persisted plug-ins that a start installs; null where there is none (an Eclipse IDE). */
    private PersistedPlugins persisted;
    private List<StrategyInfo> infos = List.of();
    /** The bundles kept after a restart, as "symbolic-name version", as of the last refresh. */
    private Set<String> kept = Set.of();

    @Inject
    public StrategiesPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.BORDER);
        viewer.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        column(Messages.colId, 200, StrategyInfo::name);
        column(Messages.colKind, 90, StrategyInfo::kind);
        column(Messages.colBundle, 230, StrategyInfo::bundle);
        column(Messages.colVersion, 160, StrategyInfo::version);
        column(Messages.colTorrents, 220, this::users);
        column(Messages.colKept, 60, s -> kept.contains(s.bundle() + " " + s.version()) ? Messages.kept : "");

        Composite row = new Composite(parent, SWT.NONE);
        row.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        row.setLayout(new GridLayout(2 * KINDS.length + 3, false));
        String[] titles = { Messages.picker, Messages.choker, Messages.seedChoker };
        for (int k = 0; k < KINDS.length; k++) {
            new Label(row, SWT.NONE).setText(titles[k]);
            Combo c = new Combo(row, SWT.READ_ONLY | SWT.DROP_DOWN);
            c.setLayoutData(new GridData(200, SWT.DEFAULT));
            String kind = KINDS[k];
            c.addListener(SWT.Selection, e -> switchTo(kind, c.getText()));
            combos[k] = c;
        }
        keep = new Button(row, SWT.CHECK);
        keep.setText(Messages.keepAfterRestart);
        install = new Button(row, SWT.PUSH);
        install.setText(Messages.installJar);
        install.addListener(SWT.Selection, e -> installJar());
        uninstall = new Button(row, SWT.PUSH);
        uninstall.setText(Messages.uninstall);
        uninstall.addListener(SWT.Selection, e -> uninstallSelected());
        viewer.addSelectionChangedListener(e -> updateButtons());

        Bundle self = FrameworkUtil.getBundle(StrategiesPart.class);
        context = self == null ? null : self.getBundleContext();
        if (context != null) {
            Coalescer c = new Coalescer(viewer.getControl(), this::refresh);
            bundleChanges = c;
            bundles = event -> {
                if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.STOPPED
                        || event.getType() == BundleEvent.UNINSTALLED) {
                    c.request();
                }
            };
            context.addBundleListener(bundles);
            persistedRef = context.getServiceReference(PersistedPlugins.class);
            persisted = persistedRef == null ? null : context.getService(persistedRef);
        } else {
            install.setToolTipText(Messages.noFramework);
            uninstall.setToolTipText(Messages.noFramework);
        }
        keep.setToolTipText(persisted != null ? NLS.bind(Messages.keepTip, persisted.folder())
                : context != null ? Messages.keepUnavailable : Messages.noFramework);
        return viewer.getControl();
    }

    private void column(String title, int width, Function<StrategyInfo, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((StrategyInfo) element);
            }
        });
    }

    /** The names of the torrents using a strategy. */
    private String users(StrategyInfo s) {
        List<String> names = new ArrayList<>();
        for (String hash : s.torrents()) {
            ClientSession.Entry e = session.get(hash);
            names.add(e == null ? hash.substring(0, Math.min(8, hash.length())) : e.torrent().name());
        }
        return String.join(", ", names);
    }

    @Override
    protected boolean concerns(String topic, String infoHash) {
        return EngineEvents.STRATEGY_CHANGED.equals(topic) || ClientSession.SELECTION_CHANGED.equals(topic)
                || ClientSession.LIST_CHANGED.equals(topic) || EngineEvents.TORRENT_ADDED.equals(topic)
                || EngineEvents.TORRENT_REMOVED.equals(topic);
    }

    @Override
    protected void refresh() {
        infos = session.engine().strategies();
        kept = keptBundles();
        viewer.setInput(infos);
        ClientSession.Entry e = session.selected();
        for (int k = 0; k < KINDS.length; k++) {
            Combo c = combos[k];
            List<String> names = new ArrayList<>();
            String current = null;
            for (StrategyInfo s : infos) {
                if (s.kind().equals(KINDS[k])) {
                    names.add(s.name());
                    if (e != null && s.torrents().contains(e.infoHash())) {
                        current = s.name();
                    }
                }
            }
            c.setItems(names.toArray(String[]::new));
            if (current != null) {
                c.select(names.indexOf(current));
            }
            c.setEnabled(e != null && !e.paused());
        }
        updateButtons();
    }

    /** The bundles whose jar is in the folder of persisted plug-ins, as "symbolic-name version". */
    private Set<String> keptBundles() {
        if (context == null || persisted == null) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && persisted.persistedJar(b).isPresent()) {
                out.add(b.getSymbolicName() + " " + b.getVersion());
            }
        }
        return out;
    }

    private void updateButtons() {
        keep.setEnabled(persisted != null);
        install.setEnabled(context != null);
        StrategyInfo s = (StrategyInfo) viewer.getStructuredSelection().getFirstElement();
        uninstall.setEnabled(context != null && s != null && strategyBundle(s.bundle()) != null);
    }

    /** Switches the selected torrent's strategy of {@code kind} off the display thread. */
    void switchTo(String kind, String name) {
        ClientSession.Entry e = session.selected();
        if (e == null || e.paused() || name == null || name.isEmpty()) {
            return;
        }
        CompletableFuture.runAsync(() -> e.handle().switchStrategy(kind, name)).exceptionally(err -> {
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            UserActions.error(Messages.switchFailed, cause.getMessage());
            return null;
        });
    }

    /** The bundle of that name that provides a picker or choker service, or null (never the engine, never us). */
    private Bundle strategyBundle(String symbolicName) {
        if (context == null) {
            return null;
        }
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().equals(symbolicName)) {
                ServiceReference<?>[] refs = b.getRegisteredServices();
                if (refs != null) {
                    for (ServiceReference<?> r : refs) {
                        for (String type : (String[]) r.getProperty(org.osgi.framework.Constants.OBJECTCLASS)) {
                            if (type.equals(PiecePickerFactory.class.getName())
                                    || type.equals(ChokerFactory.class.getName())) {
                                return b;
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private void installJar() {
        FileDialog d = new FileDialog(viewer.getControl().getShell(), SWT.OPEN);
        d.setFilterExtensions(new String[] { "*.jar" });
        String path = d.open();
        if (path != null) {
            installFrom(Path.of(path));
        }
    }

    /**
     * Installs and starts a strategy bundle from a jar off the display thread, by the rules of {@code stampede control
     * install} ({@link PluginJar}: a plug-in, not named as an installed bundle; one that does not start is uninstalled
     * again); with "Keep after restart" checked (read here, on the display thread), then copies the jar into the
     * folder of persisted plug-ins, and when that fails uninstalls the bundle again. A failure is shown in a dialog and
     * completes the result exceptionally. The bundle's services then refresh the view through the engine's events.
     */
    CompletableFuture<Bundle> installFrom(Path jar) {
        PersistedPlugins folder = keep.getSelection() ? persisted : null;
        return CompletableFuture.supplyAsync(() -> {
            Bundle b;
            try {
                b = PluginJar.read(jar).install(context);
            } catch (Exception ex) {
                UserActions.error(Messages.installJar, ex instanceof PluginJar.Refused ? ex.getMessage()
                        : jar + ": " + ex.getMessage());
                throw new CompletionException(ex);
            }
            if (folder != null) {
                try {
                    folder.keep(b, jar);
                } catch (IOException | RuntimeException ex) {
                    try {
                        b.uninstall();
                    } catch (BundleException | RuntimeException again) {
                        ex.addSuppressed(again);
                    }
                    UserActions.error(Messages.installJar, NLS.bind(Messages.keepFailed,
                            new Object[] { b.getSymbolicName() + " " + b.getVersion(), folder.folder(), ex }));
                    throw new CompletionException(ex);
                }
                bundleChanges.request(); // the bundle's start was before its jar was kept
            }
            return b;
        });
    }

    /**
     * Uninstalls the bundle of the strategy selected in the table off the display thread (nothing when no row, or
     * the row of a strategy no bundle of its own provides, is selected); a failure is shown in a dialog.
     */
    CompletableFuture<Void> uninstallSelected() {
        StrategyInfo s = (StrategyInfo) viewer.getStructuredSelection().getFirstElement();
        Bundle b = s == null ? null : strategyBundle(s.bundle());
        if (b == null) {
            return CompletableFuture.completedFuture(null);
        }
        PersistedPlugins folder = persisted;
        return CompletableFuture.runAsync(() -> {
            if (folder != null) {
                try {
                    folder.forget(b); // its jar first: when that fails, it stays as it is
                } catch (IOException | RuntimeException ex) {
                    UserActions.error(Messages.uninstall, NLS.bind(Messages.forgetFailed, s.bundle(), ex));
                    throw new CompletionException(ex);
                }
            }
            try {
                b.uninstall();
            } catch (Exception ex) {
                UserActions.error(Messages.uninstall, s.bundle() + ": " + ex.getMessage());
                throw new CompletionException(ex);
            }
        });
    }

    @Override
    public void dispose() {
        super.dispose();
        if (context != null && bundles != null) {
            try {
                context.removeBundleListener(bundles);
                if (persistedRef != null) {
                    context.ungetService(persistedRef);
                }
            } catch (IllegalStateException e) {
                // the bundle is stopping
            }
        }
    }

    /** The folder this view keeps plug-ins in, or null. */
    PersistedPlugins persisted() {
        return persisted;
    }

    Button keep() {
        return keep;
    }

    TableViewer viewer() {
        return viewer;
    }

    Combo combo(String kind) {
        for (int k = 0; k < KINDS.length; k++) {
            if (KINDS[k].equals(kind)) {
                return combos[k];
            }
        }
        throw new IllegalArgumentException(kind);
    }
}
