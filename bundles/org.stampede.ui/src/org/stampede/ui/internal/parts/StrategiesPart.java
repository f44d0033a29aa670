package org.stampede.ui.internal.parts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.stampede.api.ChokerFactory;
import org.stampede.api.PiecePickerFactory;
import org.stampede.api.StrategyKind;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.StrategyInfo;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Coalescer;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.UserActions;

import jakarta.inject.Inject;

/**
 * The installed strategies (id, kind, bundle, version, the torrents using each), the selected torrent's picker,
 * choker and seed choker to switch, and installing a strategy bundle from a jar or uninstalling one. Switching
 * runs off the display thread; the engine's strategy event then refreshes the table.
 */
public final class StrategiesPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.strategies";
    private static final String[] KINDS = { StrategyKind.PICKER, StrategyKind.CHOKER, StrategyKind.SEED_CHOKER };

    private TableViewer viewer;
    private final Combo[] combos = new Combo[KINDS.length];
    private Button install;
    private Button uninstall;
    private BundleContext context;
    private BundleListener bundles;
    private List<StrategyInfo> infos = List.of();

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

        Composite row = new Composite(parent, SWT.NONE);
        row.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        row.setLayout(new GridLayout(2 * KINDS.length + 2, false));
        String[] titles = { Messages.picker, Messages.choker, Messages.seedChoker };
        for (int k = 0; k < KINDS.length; k++) {
            new Label(row, SWT.NONE).setText(titles[k]);
            Combo c = new Combo(row, SWT.READ_ONLY | SWT.DROP_DOWN);
            c.setLayoutData(new GridData(200, SWT.DEFAULT));
            String kind = KINDS[k];
            c.addListener(SWT.Selection, e -> switchTo(kind, c.getText()));
            combos[k] = c;
        }
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
            bundles = event -> {
                if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.STOPPED
                        || event.getType() == BundleEvent.UNINSTALLED) {
                    c.request();
                }
            };
            context.addBundleListener(bundles);
        } else {
            install.setToolTipText(Messages.noFramework);
            uninstall.setToolTipText(Messages.noFramework);
        }
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

    private void updateButtons() {
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
     * Installs and starts a strategy bundle from a jar off the display thread; a failure is shown in a dialog and
     * completes the result exceptionally. The bundle's services then refresh the view through the engine's events.
     */
    CompletableFuture<Bundle> installFrom(Path jar) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Bundle b = context.installBundle(jar.toUri().toString());
                b.start();
                return b;
            } catch (Exception ex) {
                UserActions.error(Messages.installJar, jar + ": " + ex.getMessage());
                throw new CompletionException(ex);
            }
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
        return CompletableFuture.runAsync(() -> {
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
            } catch (IllegalStateException e) {
                // the bundle is stopping
            }
        }
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
