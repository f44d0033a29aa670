package org.stampede.ui.internal.actions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineSettings;
import org.stampede.engine.StrategyInfo;
import org.stampede.ui.internal.ClientSession;

/**
 * The session configuration the headless client uses too ({@link EngineConfiguration}: ConfigurationAdmin PID
 * {@value EngineConfiguration#PID}, described by Metatype): listen port, peer limits, rate limits, download
 * folder, default strategies. The engine takes them when it next starts.
 */
public final class SessionPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {
    private static final int MAX_PORT = 65535;

    private EngineConfiguration admin;
    // a text, not a spinner: GTK's spin button drops a typed value out of its range without a word
    Text port;
    Spinner maxPeersPerTorrent;
    Spinner maxPeers;
    Spinner uploadSlots;
    Spinner downLimit;
    Spinner upLimit;
    Spinner activeDownloads;
    Spinner activeSeeds;
    Text folder;
    Combo picker;
    Combo choker;
    Combo seedChoker;

    /** The page the workbench makes; {@link #init} finds the configuration service. */
    public SessionPreferencePage() {
    }

    /** A page over the given configuration (outside a framework). */
    SessionPreferencePage(EngineConfiguration admin) {
        this.admin = admin;
    }

    @Override
    public void init(IWorkbench workbench) {
        setDescription("Settings of the Stampede session, shared with the command line; they apply when the "
                + "engine next starts.");
        if (admin != null) {
            return;
        }
        Bundle b = FrameworkUtil.getBundle(SessionPreferencePage.class);
        BundleContext c = b == null ? null : b.getBundleContext();
        ServiceReference<EngineConfiguration> ref = c == null ? null
                : c.getServiceReference(EngineConfiguration.class);
        admin = ref == null ? null : c.getService(ref);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        EngineSettings s = admin == null ? EngineSettings.defaults() : admin.settings();
        Path configured = admin == null ? null : admin.downloadFolder();
        new Label(c, SWT.NONE).setText("Listen port (0: any free port):");
        port = new Text(c, SWT.BORDER);
        port.setText(Integer.toString(s.listenPort()));
        GridData pd = new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1);
        pd.widthHint = 80;
        port.setLayoutData(pd);
        port.addListener(SWT.Modify, e -> validate());
        maxPeersPerTorrent = spinner(c, "Peers per torrent:", 1, 10_000, s.maxPeersPerTorrent());
        maxPeers = spinner(c, "Peers in all:", 1, 100_000, s.maxPeers());
        uploadSlots = spinner(c, "Upload slots per torrent:", 1, 1000, s.uploadSlots());
        downLimit = spinner(c, "Download limit (KiB/s, 0: none):", 0, Integer.MAX_VALUE,
                (int) (s.downloadLimit() / 1024));
        upLimit = spinner(c, "Upload limit (KiB/s, 0: none):", 0, Integer.MAX_VALUE, (int) (s.uploadLimit() / 1024));
        activeDownloads = spinner(c, "Active downloads (-1: no limit):", -1, 10_000, s.activeDownloads());
        activeSeeds = spinner(c, "Active seeds (-1: no limit):", -1, 100_000, s.activeSeeds());
        // limits: Metatype allows up to 1 TiB/s; the spinners stop at 2 GiB/s
        new Label(c, SWT.NONE).setText("Download folder:");
        folder = new Text(c, SWT.BORDER);
        folder.setText(configured == null ? "" : configured.toString());
        folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button browse = new Button(c, SWT.PUSH);
        browse.setText("Browse\u2026");
        browse.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(getShell());
            d.setFilterPath(folder.getText());
            String f = d.open();
            if (f != null) {
                folder.setText(f);
            }
        });
        picker = strategy(c, "Default picker:", "picker", s.defaultPicker());
        choker = strategy(c, "Default choker:", "choker", s.defaultChoker());
        seedChoker = strategy(c, "Default seed choker:", "seed-choker", s.defaultSeedChoker());
        if (admin == null) {
            setErrorMessage("ConfigurationAdmin is not running: the settings cannot be stored.");
            setValid(false);
        }
        return c;
    }

    /** The port typed, or -1 when it is not a number from 0 to 65535. */
    private int typedPort() {
        try {
            int p = Integer.parseInt(port.getText().strip());
            return p >= 0 && p <= MAX_PORT ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void validate() {
        if (admin == null) {
            return;
        }
        boolean ok = typedPort() >= 0;
        setErrorMessage(ok ? null : "The listen port must be a number from 0 to " + MAX_PORT + ".");
        setValid(ok);
    }

    private static Spinner spinner(Composite c, String label, int min, int max, int value) {
        new Label(c, SWT.NONE).setText(label);
        Spinner s = new Spinner(c, SWT.BORDER);
        s.setValues(Math.max(min, Math.min(max, value)), min, max, 0, 1, 10);
        s.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        return s;
    }

    private static Combo strategy(Composite c, String label, String kind, String current) {
        new Label(c, SWT.NONE).setText(label);
        Combo combo = new Combo(c, SWT.DROP_DOWN);
        combo.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        ClientSession session = SessionHandlers.session();
        if (session != null) {
            for (StrategyInfo i : session.engine().strategies()) {
                if (i.kind().equals(kind)) {
                    combo.add(i.name());
                }
            }
        }
        combo.setText(current);
        return combo;
    }

    @Override
    protected void performDefaults() {
        EngineSettings d = EngineSettings.defaults();
        port.setText(Integer.toString(d.listenPort()));
        maxPeersPerTorrent.setSelection(d.maxPeersPerTorrent());
        maxPeers.setSelection(d.maxPeers());
        uploadSlots.setSelection(d.uploadSlots());
        downLimit.setSelection(0);
        upLimit.setSelection(0);
        activeDownloads.setSelection(d.activeDownloads());
        activeSeeds.setSelection(d.activeSeeds());
        folder.setText("");
        picker.setText(d.defaultPicker());
        choker.setText(d.defaultChoker());
        seedChoker.setText(d.defaultSeedChoker());
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (admin == null) {
            return true;
        }
        int listenPort = typedPort();
        if (listenPort < 0) {
            validate();
            return false;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(EngineConfiguration.LISTEN_PORT, listenPort);
        values.put(EngineConfiguration.MAX_PEERS_PER_TORRENT, maxPeersPerTorrent.getSelection());
        values.put(EngineConfiguration.MAX_PEERS, maxPeers.getSelection());
        values.put(EngineConfiguration.UPLOAD_SLOTS, uploadSlots.getSelection());
        values.put(EngineConfiguration.DOWNLOAD_LIMIT, (long) downLimit.getSelection());
        values.put(EngineConfiguration.UPLOAD_LIMIT, (long) upLimit.getSelection());
        values.put(EngineConfiguration.ACTIVE_DOWNLOADS, activeDownloads.getSelection());
        values.put(EngineConfiguration.ACTIVE_SEEDS, activeSeeds.getSelection());
        values.put(EngineConfiguration.DOWNLOAD_FOLDER, folder.getText().strip());
        values.put(EngineConfiguration.PICKER, picker.getText().strip());
        values.put(EngineConfiguration.CHOKER, choker.getText().strip());
        values.put(EngineConfiguration.SEED_CHOKER, seedChoker.getText().strip());
        try {
            admin.update(values);
            return true;
        } catch (IllegalArgumentException | IOException e) {
            setErrorMessage("cannot store the configuration: " + e.getMessage());
            return false;
        }
    }
}
