package org.stampede.ui.internal.parts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.stampede.engine.TorrentStatus;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Coalescer;
import org.stampede.ui.internal.Format;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.UserActions;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The torrents of the session: name, size, a progress bar painted in its cell, state, rates, peers, ETA, ratio;
 * sortable by any column; .torrent files and magnet links dropped on it are added; a context menu starts, pauses,
 * removes and opens folders. Rows are refreshed from the engine's events, coalesced, on the display thread.
 */
public final class TorrentsPart {
    public static final String ID = "org.stampede.ui.part.torrents";
    static final int PROGRESS_COLUMN = 2;

    /** One row: the session's entry and the engine's status of it, taken once per refresh. */
    static final class Row {
        final ClientSession.Entry entry;
        final TorrentStatus status;

        Row(ClientSession.Entry entry, TorrentStatus status) {
            this.entry = entry;
            this.status = status;
        }

        String name() {
            return entry.torrent().name();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && r.entry.infoHash().equals(entry.infoHash());
        }

        @Override
        public int hashCode() {
            return entry.infoHash().hashCode();
        }
    }

    private final ClientSession session;
    private TableViewer viewer;
    private final List<Row> rows = new ArrayList<>();
    private ClientSession.Listener listener;
    private int sortColumn = -1;
    private int sortDirection = SWT.UP;

    @Inject
    public TorrentsPart(ClientSession session) {
        this.session = session;
    }

    @PostConstruct
    public void create(Composite parent) {
        parent.setLayout(new FillLayout());
        viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        column(Messages.colName, 240, SWT.LEFT, r -> r.name(), Comparator.comparing(Row::name));
        column(Messages.colSize, 80, SWT.RIGHT, r -> Format.bytes(r.entry.torrent().totalLength()),
                longs(r -> r.entry.torrent().totalLength()));
        column(Messages.colProgress, 120, SWT.LEFT, r -> "", Comparator.comparingDouble(r -> r.status.progress()));
        column(Messages.colState, 105, SWT.LEFT, r -> state(r.status), Comparator.comparing(r -> r.status.state()));
        column(Messages.colDown, 80, SWT.RIGHT, r -> Format.rate(r.status.downloadRate()),
                longs(r -> r.status.downloadRate()));
        column(Messages.colUp, 80, SWT.RIGHT, r -> Format.rate(r.status.uploadRate()),
                longs(r -> r.status.uploadRate()));
        column(Messages.colPeers, 105, SWT.RIGHT, r -> r.status.peers() + " (" + r.status.seeds() + ")",
                longs(r -> r.status.peers()));
        column(Messages.colEta, 70, SWT.RIGHT, r -> eta(r.status), longs(r -> eta(r.status).isEmpty() ? Long.MAX_VALUE
                : r.status.etaSeconds() < 0 ? Long.MAX_VALUE - 1 : r.status.etaSeconds()));
        column(Messages.colRatio, 60, SWT.RIGHT, r -> Format.ratio(r.status.uploaded(), r.status.downloaded()),
                Comparator.comparingDouble(r -> r.status.downloaded() == 0 ? r.status.uploaded()
                        : r.status.uploaded() / (double) r.status.downloaded()));
        ProgressCell.install(table, PROGRESS_COLUMN, item -> ((Row) item.getData()).status.progress());
        viewer.addSelectionChangedListener(e -> {
            Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
            if (first instanceof Row r) {
                session.select(r.entry.infoHash());
            }
        });
        contextMenu();
        dropTarget(table);
        viewer.setInput(rows);
        Coalescer refresh = new Coalescer(table, this::refresh);
        listener = (topic, hash) -> {
            if (!ClientSession.SELECTION_CHANGED.equals(topic)) {
                refresh.request();
            }
        };
        session.addListener(listener);
        refresh();
    }

    /** The State column: the state, and for a torrent stopped by an error (a full disk, a permission) its reason. */
    static String state(TorrentStatus s) {
        String name = s.state().name();
        String text = name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
        return s.state() == TorrentStatus.State.ERROR && s.error() != null ? text + ": " + s.error() : text;
    }

    private static String eta(TorrentStatus s) {
        return s.state() == TorrentStatus.State.DOWNLOADING ? Format.duration(s.etaSeconds()) : "";
    }

    private static Comparator<Row> longs(ToLongFunction<Row> f) {
        return Comparator.comparingLong(f);
    }

    private void column(String title, int width, int align, java.util.function.Function<Row, String> text,
            Comparator<Row> order) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        TableColumn col = c.getColumn();
        col.setText(title);
        col.setWidth(width);
        col.setAlignment(align);
        col.setMoveable(true);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((Row) element);
            }
        });
        int index = viewer.getTable().getColumnCount() - 1;
        col.addListener(SWT.Selection, e -> sortBy(index, col, order));
    }

    private void sortBy(int index, TableColumn col, Comparator<Row> order) {
        Table table = viewer.getTable();
        sortDirection = sortColumn == index && sortDirection == SWT.UP ? SWT.DOWN : SWT.UP;
        sortColumn = index;
        table.setSortColumn(col);
        table.setSortDirection(sortDirection);
        Comparator<Row> c = sortDirection == SWT.UP ? order : order.reversed();
        viewer.setComparator(new ViewerComparator() {
            @Override
            public int compare(Viewer v, Object a, Object b) {
                return c.compare((Row) a, (Row) b);
            }
        });
    }

    /** Re-reads the session's torrents and each one's status: one status call per torrent, none per cell. */
    void refresh() {
        rows.clear();
        for (ClientSession.Entry e : session.torrents()) {
            rows.add(new Row(e, e.handle().status())); // a paused torrent shows what it has, as it is kept
        }
        viewer.refresh();
    }

    private List<ClientSession.Entry> selection() {
        List<ClientSession.Entry> out = new ArrayList<>();
        for (Object o : viewer.getStructuredSelection().toList()) {
            out.add(((Row) o).entry);
        }
        return out;
    }

    private void contextMenu() {
        MenuManager menu = new MenuManager();
        menu.setRemoveAllWhenShown(true);
        menu.addMenuListener(m -> {
            List<ClientSession.Entry> sel = selection();
            m.add(action(Messages.menuStart, !sel.isEmpty(), () -> sel.forEach(e -> UserActions.resume(session, e))));
            m.add(action(Messages.menuPause, !sel.isEmpty(), () -> sel.forEach(e -> session.pause(e.infoHash()))));
            m.add(new Separator());
            m.add(action(Messages.menuRemove, !sel.isEmpty(),
                    () -> sel.forEach(e -> UserActions.remove(viewer.getControl().getShell(), session, e, false))));
            m.add(action(Messages.menuRemoveData, !sel.isEmpty(),
                    () -> sel.forEach(e -> UserActions.remove(viewer.getControl().getShell(), session, e, true))));
            m.add(new Separator());
            m.add(action(Messages.menuOpenFolder, sel.size() == 1,
                    () -> Program.launch(sel.get(0).downloadDir().toString())));
        });
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
    }

    private static Action action(String text, boolean enabled, Runnable run) {
        Action a = new Action(text) {
            @Override
            public void run() {
                run.run();
            }
        };
        a.setEnabled(enabled);
        return a;
    }

    /** .torrent files (FileTransfer) and magnet links (TextTransfer) dropped on the table are added. */
    private void dropTarget(Table table) {
        DropTarget target = new DropTarget(table, DND.DROP_COPY | DND.DROP_DEFAULT | DND.DROP_LINK);
        target.setTransfer(new Transfer[] { FileTransfer.getInstance(), TextTransfer.getInstance() });
        target.addDropListener(new DropTargetAdapter() {
            @Override
            public void dragEnter(DropTargetEvent event) {
                if (event.detail == DND.DROP_DEFAULT || event.detail == DND.DROP_LINK) {
                    event.detail = DND.DROP_COPY;
                }
            }

            @Override
            public void drop(DropTargetEvent event) {
                if (event.data instanceof String[] files) {
                    for (String f : files) {
                        if (f.toLowerCase(java.util.Locale.ROOT).endsWith(".torrent")) {
                            UserActions.addFile(table.getShell(), session, Path.of(f));
                        }
                    }
                } else if (event.data instanceof String text) {
                    for (String line : text.split("\\R")) {
                        if (line.strip().regionMatches(true, 0, "magnet:", 0, 7)) {
                            UserActions.addMagnet(table.getShell(), session, line.strip());
                        }
                    }
                }
            }
        });
    }

    @Focus
    public void focus() {
        viewer.getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        session.removeListener(listener);
    }

    TableViewer viewer() {
        return viewer;
    }

    /** For tests and handlers: the rows as shown. */
    Table table() {
        return viewer.getTable();
    }
}
