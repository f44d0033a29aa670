package org.stampede.ui.internal.parts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ComboBoxCellEditor;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.stampede.engine.EngineEvents;
import org.stampede.engine.TorrentHandle;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentFile;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Format;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.UserActions;

import jakarta.inject.Inject;

/**
 * The files of the selected torrent as a tree (folders as nodes, padding files left out): size, progress, and a
 * priority to edit (a folder's applies to every file in it). Priorities: Skip (0: not downloaded), Normal (1, the
 * engine's default), High (4), Highest (7).
 */
public final class FilesPart extends SessionPart {
    public static final String ID = "org.stampede.ui.part.files";
    static final int[] PRIORITIES = { 0, 1, 4, 7 };
    static final int PROGRESS_COLUMN = 2;

    /** A folder (file -1, with children) or a file of the torrent. */
    static final class Node {
        final String name;
        final int file;
        final Node parent;
        final List<Node> children = new ArrayList<>();
        long size;
        long done;
        int priority;

        Node(String name, int file, Node parent) {
            this.name = name;
            this.file = file;
            this.parent = parent;
        }

        /** Path from the torrent's root, '/'-separated. */
        String path() {
            return parent == null || parent.parent == null ? name : parent.path() + "/" + name;
        }
    }

    private TreeViewer viewer;
    private String shownHash;
    private Node root;
    private final List<Node> files = new ArrayList<>();
    private long[] progress = new long[0];
    private final String[] labels = Messages.priorityLabels.split(",");

    @Inject
    public FilesPart(ClientSession session) {
        super(session);
    }

    @Override
    protected Control createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        viewer = new TreeViewer(parent, SWT.FULL_SELECTION | SWT.BORDER | SWT.MULTI);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        viewer.setContentProvider(new ITreeContentProvider() {
            @Override
            public Object[] getElements(Object input) {
                return ((Node) input).children.toArray();
            }

            @Override
            public Object[] getChildren(Object parentElement) {
                return ((Node) parentElement).children.toArray();
            }

            @Override
            public Object getParent(Object element) {
                return ((Node) element).parent;
            }

            @Override
            public boolean hasChildren(Object element) {
                return !((Node) element).children.isEmpty();
            }
        });
        column(Messages.colName, 280, SWT.LEFT, n -> n.name);
        column(Messages.colSize, 90, SWT.RIGHT, n -> Format.bytes(n.size));
        column(Messages.colProgress, 120, SWT.LEFT, n -> "");
        TreeViewerColumn priority = column(Messages.colPriority, 90, SWT.LEFT, this::priorityLabel);
        priority.setEditingSupport(new PriorityEditing());
        ProgressCell.install(viewer.getTree(), PROGRESS_COLUMN, item -> {
            Node n = (Node) item.getData();
            return n.size == 0 ? 1 : n.done / (double) n.size;
        });
        return viewer.getControl();
    }

    private TreeViewerColumn column(String title, int width, int align, Function<Node, String> text) {
        TreeViewerColumn c = new TreeViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.getColumn().setAlignment(align);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((Node) element);
            }
        });
        return c;
    }

    private String priorityLabel(Node n) {
        if (n.file < 0) {
            return "";
        }
        return labels[labelIndex(n.priority)];
    }

    static int labelIndex(int priority) {
        int best = 0;
        for (int i = 0; i < PRIORITIES.length; i++) {
            if (PRIORITIES[i] <= priority) {
                best = i;
            }
        }
        return best;
    }

    /** Only the selection, the list, and the selected torrent's verified pieces and state change what is shown. */
    @Override
    protected boolean concerns(String topic, String infoHash) {
        return super.concerns(topic, infoHash) && !topic.startsWith(EngineEvents.PREFIX + "peer/")
                && !EngineEvents.TORRENT_STATS.equals(topic);
    }

    @Override
    protected void refresh() {
        ClientSession.Entry e = session.selected();
        String hash = e == null ? null : e.infoHash();
        if (!java.util.Objects.equals(hash, shownHash)) {
            shownHash = hash;
            root = e == null ? new Node("", -1, null) : build(e.torrent());
            viewer.setInput(root);
            // small torrents open fully; big ones to their top folders
            viewer.expandToLevel(files.size() <= 500 ? org.eclipse.jface.viewers.AbstractTreeViewer.ALL_LEVELS : 2);
        }
        if (e != null) {
            update(e);
        }
        viewer.refresh();
    }

    private Node build(Torrent t) {
        Node top = new Node("", -1, null);
        files.clear();
        Map<Node, Map<String, Node>> folders = new LinkedHashMap<>();
        List<TorrentFile> list = t.files();
        for (int i = 0; i < list.size(); i++) {
            TorrentFile f = list.get(i);
            if (f.padding()) {
                continue;
            }
            Node at = top;
            List<String> path = t.isSingleFile() ? List.of(t.name()) : f.path();
            if (!t.isSingleFile()) {
                // multi-file torrents: the torrent's own folder on top
                at = child(folders, at, t.name());
            }
            for (int c = 0; c < path.size() - 1; c++) {
                at = child(folders, at, path.get(c));
            }
            Node leaf = new Node(path.get(path.size() - 1), i, at);
            leaf.size = f.length();
            leaf.priority = 1;
            at.children.add(leaf);
            files.add(leaf);
        }
        return top;
    }

    private static Node child(Map<Node, Map<String, Node>> folders, Node parent, String name) {
        return folders.computeIfAbsent(parent, k -> new LinkedHashMap<>()).computeIfAbsent(name, n -> {
            Node d = new Node(n, -1, parent);
            parent.children.add(d);
            return d;
        });
    }

    /** Per-file progress and priorities from the engine; folders sum their files. */
    private void update(ClientSession.Entry e) {
        int n = e.torrent().files().size();
        if (progress.length < n) {
            progress = new long[n];
        }
        if (e.paused()) {
            java.util.Arrays.fill(progress, 0);
        } else {
            e.handle().fileProgress(progress);
        }
        clearFolders(root);
        for (Node f : files) {
            f.done = progress[f.file];
            f.priority = e.paused() ? f.priority : e.handle().filePriority(f.file);
            for (Node p = f.parent; p != null; p = p.parent) {
                p.size += f.size;
                p.done += f.done;
            }
        }
    }

    private static void clearFolders(Node n) {
        if (n.file < 0) {
            n.size = 0;
            n.done = 0;
            for (Node c : n.children) {
                clearFolders(c);
            }
        }
    }

    private void setPriority(Node n, int priority) {
        ClientSession.Entry e = session.selected();
        if (e == null || e.paused()) {
            return;
        }
        TorrentHandle h = e.handle();
        try {
            apply(h, n, priority);
        } catch (RuntimeException ex) {
            UserActions.error(Messages.colPriority, ex.getMessage());
        }
        refresh();
    }

    private static void apply(TorrentHandle h, Node n, int priority) {
        if (n.file >= 0) {
            h.setFilePriority(n.file, priority);
            n.priority = priority;
        }
        for (Node c : n.children) {
            apply(h, c, priority);
        }
    }

    private final class PriorityEditing extends EditingSupport {
        private final ComboBoxCellEditor editor;

        PriorityEditing() {
            super(viewer);
            editor = new ComboBoxCellEditor(viewer.getTree(), labels, SWT.READ_ONLY);
        }

        @Override
        protected CellEditor getCellEditor(Object element) {
            return editor;
        }

        @Override
        protected boolean canEdit(Object element) {
            ClientSession.Entry e = session.selected();
            return e != null && !e.paused();
        }

        @Override
        protected Object getValue(Object element) {
            Node n = (Node) element;
            return labelIndex(n.file >= 0 ? n.priority : 1);
        }

        @Override
        protected void setValue(Object element, Object value) {
            int i = (Integer) value;
            if (i >= 0 && i < PRIORITIES.length) {
                setPriority((Node) element, PRIORITIES[i]);
            }
        }
    }

    TreeViewer viewer() {
        return viewer;
    }

    /** The files shown, in torrent order (padding left out). */
    List<Node> files() {
        return files;
    }

    /** Sets a node's priority as the combo does. */
    void choosePriority(Node n, int labelIndex) {
        setPriority(n, PRIORITIES[labelIndex]);
    }
}
