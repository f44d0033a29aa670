package org.stampede.ui.internal.parts;

import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.TrackerStatus;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Format;
import org.stampede.ui.internal.Messages;

import jakarta.inject.Inject;

/** The trackers of the selected torrent: URL, tier, status, last error, next announce, scrape counts. */
public final class TrackersPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.trackers";

    private TableViewer viewer;

    @Inject
    public TrackersPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.BORDER);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        column(Messages.colUrl, 260, SWT.LEFT, TrackerStatus::url);
        column(Messages.colTier, 45, SWT.RIGHT, t -> Integer.toString(t.tier()));
        column(Messages.colStatus, 100, SWT.LEFT, TrackersPart::status);
        column(Messages.colLastError, 220, SWT.LEFT, t -> t.lastError() == null ? "" : t.lastError());
        column(Messages.colNextAnnounce, 120, SWT.RIGHT, TrackersPart::next);
        column(Messages.colSeeds, 60, SWT.RIGHT, t -> count(t.seeds()));
        column(Messages.colLeechers, 70, SWT.RIGHT, t -> count(t.leechers()));
        column(Messages.colDownloaded, 85, SWT.RIGHT, t -> count(t.downloaded()));
        return viewer.getControl();
    }

    private static String status(TrackerStatus t) {
        return switch (t.state()) {
            case NOT_CONTACTED -> "not contacted";
            case WORKING -> "working";
            case FAILED -> "failed";
        };
    }

    private static String next(TrackerStatus t) {
        if (t.nextAnnounceAt() <= 0) {
            return "";
        }
        return "in " + Format.duration(Math.max(0, (t.nextAnnounceAt() - System.currentTimeMillis()) / 1000));
    }

    private static String count(int n) {
        return n < 0 ? "" : Integer.toString(n);
    }

    private void column(String title, int width, int align, Function<TrackerStatus, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.getColumn().setAlignment(align);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((TrackerStatus) element);
            }
        });
    }

    /** Tracker rows change with announces; the torrent's once-a-second stats event also moves "next announce". */
    @Override
    protected boolean concerns(String topic, String infoHash) {
        return super.concerns(topic, infoHash) && !topic.startsWith(EngineEvents.PREFIX + "piece/");
    }

    @Override
    protected void refresh() {
        ClientSession.Entry e = session.selected();
        List<TrackerStatus> rows = e == null || e.paused() ? List.of() : e.handle().trackers();
        viewer.setInput(rows);
    }

    TableViewer viewer() {
        return viewer;
    }
}
