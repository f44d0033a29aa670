package org.stampede.ui.internal.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.engine.EngineConfiguration;
import org.stampede.engine.EngineSettings;
import org.stampede.ui.internal.ScreenshotsForTests;
import org.stampede.ui.internal.UiWait;

/**
 * The Stampede preference page in a JFace {@link PreferenceDialog} on a plain Shell, over an in-memory
 * {@link EngineConfiguration}: what it shows, what OK stores, and a port it refuses.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionPreferencePageTest {
    @TempDir
    Path dir;
    private Display display;
    private Shell shell;
    private Dialog dialog;
    private Configuration config;
    private SessionPreferencePage page;

    /** The stored session settings, in memory; records every update. */
    private static final class Configuration implements EngineConfiguration {
        private final EngineSettings settings;
        private final Path folder;
        final List<Map<String, ?>> updates = new ArrayList<>();

        Configuration(EngineSettings settings, Path folder) {
            this.settings = settings;
            this.folder = folder;
        }

        @Override
        public EngineSettings settings() {
            return settings;
        }

        @Override
        public Path downloadFolder() {
            return folder;
        }

        @Override
        public Map<String, Object> stored() {
            return Map.of();
        }

        @Override
        public void update(Map<String, ?> changes) {
            updates.add(new LinkedHashMap<>(changes));
        }

        @Override
        public Map<String, String> selection(String infoHash) {
            return Map.of();
        }

        @Override
        public void select(String infoHash, String kind, String name) {
            throw new UnsupportedOperationException("the preference page stores no per-torrent selection");
        }
    }

    /** Lets the test press the dialog's own OK button, and press OK as Enter would even when it is disabled. */
    private static final class Dialog extends PreferenceDialog {
        Dialog(Shell parent, PreferenceManager manager) {
            super(parent, manager);
        }

        Button okButton() {
            return getButton(IDialogConstants.OK_ID);
        }

        void pressOk() {
            okPressed();
        }
    }

    @BeforeEach
    void open() {
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setSize(200, 100);
        EngineSettings stored = EngineSettings.defaults().withBind(InetAddress.getLoopbackAddress(), 51413)
                .withLimits(300 * 1024, 40 * 1024).withUploadSlots(6)
                .withStrategies("rarest-first", "tit-for-tat", "round-robin");
        config = new Configuration(stored, dir.resolve("downloads"));
        page = new SessionPreferencePage(config);
        page.init(null);
        PreferenceManager manager = new PreferenceManager();
        page.setTitle("Stampede");
        manager.addToRoot(new PreferenceNode("stampede", page));
        dialog = new Dialog(shell, manager);
        dialog.setBlockOnOpen(false);
        dialog.open();
        assertNotNull(page.port, "the dialog showed the page");
    }

    @AfterEach
    void close() {
        if (dialog.getShell() != null) {
            dialog.close();
        }
        shell.dispose();
        UiWait.drain(display);
    }

    @Test
    void thePageShowsTheStoredSettings() throws Exception {
        assertEquals("51413", page.port.getText());
        assertEquals(6, page.uploadSlots.getSelection());
        assertEquals(300, page.downLimit.getSelection(), "KiB/s");
        assertEquals(40, page.upLimit.getSelection(), "KiB/s");
        assertEquals(dir.resolve("downloads").toString(), page.folder.getText());
        assertEquals("rarest-first", page.picker.getText());
        assertEquals("tit-for-tat", page.choker.getText());
        assertEquals("round-robin", page.seedChoker.getText());
        assertTrue(page.isValid());
        dialog.getShell().setLocation(0, 0);
        UiWait.settle(display, 400);
        ScreenshotsForTests.save(dialog.getShell(), "preferences");
    }

    @Test
    void okStoresTheTypedValuesInOneUpdate() {
        page.port.setText("51500");
        page.maxPeersPerTorrent.setSelection(80);
        page.maxPeers.setSelection(400);
        page.uploadSlots.setSelection(8);
        page.downLimit.setSelection(512);
        page.upLimit.setSelection(0);
        page.activeDownloads.setSelection(-1);
        page.activeSeeds.setSelection(20);
        page.folder.setText(dir.resolve("elsewhere").toString());
        page.picker.setText("random-first-then-rarest");
        Button ok = dialog.okButton();
        assertTrue(ok.isEnabled());
        ok.notifyListeners(SWT.Selection, new Event());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put(EngineConfiguration.LISTEN_PORT, 51500);
        expected.put(EngineConfiguration.MAX_PEERS_PER_TORRENT, 80);
        expected.put(EngineConfiguration.MAX_PEERS, 400);
        expected.put(EngineConfiguration.UPLOAD_SLOTS, 8);
        expected.put(EngineConfiguration.DOWNLOAD_LIMIT, 512L);
        expected.put(EngineConfiguration.UPLOAD_LIMIT, 0L);
        expected.put(EngineConfiguration.ACTIVE_DOWNLOADS, -1);
        expected.put(EngineConfiguration.ACTIVE_SEEDS, 20);
        expected.put(EngineConfiguration.DOWNLOAD_FOLDER, dir.resolve("elsewhere").toString());
        expected.put(EngineConfiguration.PICKER, "random-first-then-rarest");
        expected.put(EngineConfiguration.CHOKER, "tit-for-tat");
        expected.put(EngineConfiguration.SEED_CHOKER, "round-robin");
        assertEquals(List.of(expected), config.updates);
        assertNull(dialog.getShell(), "the dialog closed");
    }

    @Test
    void aPortAbove65535IsRefusedWithTheErrorMessageAndNothingIsStored() {
        page.port.setText("70000");
        assertEquals("The listen port must be a number from 0 to 65535.", page.getErrorMessage());
        assertFalse(page.isValid());
        assertFalse(dialog.okButton().isEnabled(), "OK is disabled");
        dialog.pressOk();
        assertEquals(List.of(), config.updates, "nothing stored");
        assertNotNull(dialog.getShell(), "the dialog stays open");
    }
}
