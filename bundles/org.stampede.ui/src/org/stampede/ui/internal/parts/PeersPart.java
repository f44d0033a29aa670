package org.stampede.ui.internal.parts;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.stampede.engine.PeerStatus;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Format;
import org.stampede.ui.internal.Messages;

import jakarta.inject.Inject;

/**
 * The peers of the selected torrent in a virtual table: a refresh takes one snapshot array from the engine, and
 * the table asks (SWT.SetData) only for the rows it shows, so hundreds of peers cost what a screenful does.
 * <p>
 * Flags: {@code out}/{@code in} (who connected), {@code snubbed}, {@code optimistic} (optimistic unchoke). States,
 * as uTorrent and libtorrent show them: {@code D} we download (interested, unchoked), {@code d} we would (interested,
 * choked); {@code U} we upload (they are interested, we unchoke them), {@code u} they would (interested, choked).
 */
public final class PeersPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.peers";
    private static final PeerStatus[] NONE = new PeerStatus[0];

    private Table table;
    private volatile PeerStatus[] snapshot = NONE;

    @Inject
    public PeersPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        table = new Table(parent, SWT.VIRTUAL | SWT.FULL_SELECTION | SWT.BORDER);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        column(Messages.colAddress, 150, SWT.LEFT);
        column(Messages.colClient, 150, SWT.LEFT);
        column(Messages.colFlags, 110, SWT.LEFT);
        column(Messages.colDown, 80, SWT.RIGHT);
        column(Messages.colUp, 80, SWT.RIGHT);
        column(Messages.colProgress, 80, SWT.RIGHT);
        column(Messages.colState, 60, SWT.LEFT);
        column(Messages.colDownloaded, 90, SWT.RIGHT);
        table.addListener(SWT.SetData, e -> {
            TableItem item = (TableItem) e.item;
            PeerStatus[] peers = snapshot;
            int i = table.indexOf(item);
            if (i >= 0 && i < peers.length) {
                item.setText(row(peers[i]));
            }
        });
        return table;
    }

    private void column(String title, int width, int align) {
        TableColumn c = new TableColumn(table, SWT.NONE);
        c.setText(title);
        c.setWidth(width);
        c.setAlignment(align);
    }

    static String[] row(PeerStatus p) {
        return new String[] { p.address(), p.client() == null ? "" : p.client(), flags(p),
                Format.rate(p.downloadRate()), Format.rate(p.uploadRate()), Format.percent(p.progress()), states(p),
                Format.bytes(p.downloaded()) };
    }

    /** Direction, transport (and whether it is encrypted), then snubbed and optimistic when they are. */
    static String flags(PeerStatus p) {
        String f = p.outgoing() ? "out" : "in";
        if (p.transport() != null && !p.transport().isEmpty()) {
            f += " " + p.transport();
        }
        if (p.encrypted()) {
            f += " encrypted";
        }
        if (p.snubbed()) {
            f += " snubbed";
        }
        if (p.optimistic()) {
            f += " optimistic";
        }
        return f;
    }

    static String states(PeerStatus p) {
        String down = p.amInterested() ? p.peerChoking() ? "d" : "D" : "";
        String up = p.peerInterested() ? p.amChoking() ? "u" : "U" : "";
        return down + up;
    }

    @Override
    protected void refresh() {
        ClientSession.Entry e = session.selected();
        List<PeerStatus> peers = e == null || e.paused() ? List.of() : e.handle().peers();
        snapshot = peers.toArray(NONE);
        table.setItemCount(snapshot.length);
        table.clearAll();
    }

    Table table() {
        return table;
    }

    int rowCount() {
        return snapshot.length;
    }
}
