package org.stampede.ui.internal.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.UiWait;

/**
 * The Peers view with 500 peers (a session over a fake engine, see {@link FakePeers}) in a Shell 260 pixels high:
 * its table is virtual, and a refresh fills only about the rows on screen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeersPartTest {
    private static final int PEERS = 500;

    @TempDir
    Path dir;
    private Display display;
    private Shell shell;
    private ClientSession session;
    private PeersPart part;

    @BeforeEach
    void open() throws Exception {
        display = Display.getDefault();
        session = FakePeers.session(dir, FakePeers.peers(PEERS));
        shell = new Shell(display);
        shell.setLayout(new FillLayout());
        shell.setSize(900, 260);
        shell.setLocation(0, 0);
        part = new PeersPart(session);
        part.create(new Composite(shell, SWT.NONE));
        shell.layout(true, true);
        shell.open();
        UiWait.settle(display, 300);
    }

    @AfterEach
    void close() {
        part.dispose();
        shell.dispose();
        UiWait.drain(display);
        session.close();
    }

    @Test
    void theTableIsVirtualWithOneItemPerPeer() {
        Table table = part.table();
        assertTrue((table.getStyle() & SWT.VIRTUAL) != 0, "SWT.VIRTUAL");
        assertEquals(PEERS, table.getItemCount());
        assertEquals(PEERS, part.rowCount());
    }

    @Test
    void aRefreshFillsOnlyAboutTheRowsOnScreen() {
        Table table = part.table();
        AtomicInteger filled = new AtomicInteger();
        table.addListener(SWT.SetData, e -> filled.incrementAndGet());
        part.refresh();
        UiWait.until(display, () -> filled.get() > 0, () -> "the table to ask for the rows it paints");
        UiWait.settle(display, 500); // whatever else the table would fill, it fills now
        int visible = table.getClientArea().height / table.getItemHeight() + 1;
        assertTrue(visible > 3 && visible < 30, "rows on screen: " + visible);
        assertTrue(filled.get() <= 2 * visible, filled.get() + " rows filled for " + visible + " on screen");
        assertEquals("127.0.0.1:10000", table.getItem(table.getTopIndex()).getText(0));
    }
}
