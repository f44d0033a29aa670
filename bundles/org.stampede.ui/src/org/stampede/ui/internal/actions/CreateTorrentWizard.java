package org.stampede.ui.internal.actions;

import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * Creates a .torrent from a file or folder: v1, v2 or hybrid, trackers one tier per line (commas put several in a
 * tier, BEP 12), a piece size or automatic, and where to write it. Hashing runs as a cancellable Eclipse Job with
 * progress.
 */
public final class CreateTorrentWizard extends Wizard implements INewWizard {
    private static final long[] PIECE_SIZES = { 0, 16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10, 512 << 10,
            1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20 };
    private Page page;
    private Job job;

    @Override
    public void init(IWorkbench workbench, IStructuredSelection selection) {
        setWindowTitle("New Torrent");
        setNeedsProgressMonitor(false);
    }

    @Override
    public void addPages() {
        page = new Page();
        addPage(page);
    }

    @Override
    public boolean performFinish() {
        Path source = Path.of(page.source.getText().strip());
        Path output = Path.of(page.output.getText().strip());
        Torrent.Version version = Torrent.Version.values()[page.version.getSelectionIndex()];
        long pieceLength = PIECE_SIZES[Math.max(0, page.pieceSize.getSelectionIndex())];
        List<List<String>> tiers = tiers(page.trackers.getText());
        job = Job.create("Creating " + output.getFileName(),
                (org.eclipse.core.runtime.jobs.IJobFunction) monitor -> create(monitor, source, output, version,
                        pieceLength, tiers));
        job.setUser(true);
        job.schedule();
        return true;
    }

    /** The page, once {@link #addPages()} has made it. */
    Page page() {
        return page;
    }

    /** The job {@link #performFinish()} scheduled, or null before. */
    Job job() {
        return job;
    }

    /** One tier per non-empty line; commas separate trackers within a tier. */
    static List<List<String>> tiers(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            List<String> tier = new ArrayList<>();
            for (String url : line.split(",")) {
                if (!url.isBlank()) {
                    tier.add(url.strip());
                }
            }
            if (!tier.isEmpty()) {
                out.add(tier);
            }
        }
        return out;
    }

    static IStatus create(IProgressMonitor monitor, Path source, Path output, Torrent.Version version,
            long pieceLength, List<List<String>> tiers) {
        AtomicLong done = new AtomicLong();
        AtomicLong total = new AtomicLong(-1);
        TorrentCreator c = TorrentCreator.forSource(source).version(version).progress((d, t) -> {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            done.set(d);
            total.set(t);
        });
        if (pieceLength > 0) {
            c = c.pieceLength(pieceLength);
        }
        for (List<String> tier : tiers) {
            c = c.trackerTier(tier);
        }
        TorrentCreator creator = c;
        CompletableFuture<byte[]> hashing = CompletableFuture.supplyAsync(() -> {
            try {
                return creator.create();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        monitor.beginTask("Hashing " + source.getFileName(), 1000);
        int reported = 0;
        try {
            while (true) {
                try {
                    byte[] bytes = hashing.get(100, TimeUnit.MILLISECONDS);
                    monitor.subTask("Writing " + output);
                    write(output, bytes);
                    return Status.OK_STATUS;
                } catch (TimeoutException e) {
                    long t = total.get();
                    int now = t <= 0 ? 0 : (int) (1000 * done.get() / t);
                    monitor.worked(now - reported);
                    reported = now;
                    // the progress callback sees the cancel and stops the hashing threads
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause()
                    : e.getCause();
            if (monitor.isCanceled()) {
                return Status.CANCEL_STATUS;
            }
            return Status.error("Cannot create " + output + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
        } catch (java.io.IOException e) {
            return Status.error("Cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            monitor.done();
        }
    }

    /**
     * Writes the file beside its destination and moves it there in one step, so a failed write leaves no partial
     * .torrent and a file already there stays as it was.
     */
    private static void write(Path output, byte[] bytes) throws java.io.IOException {
        Path tmp = output.resolveSibling("." + output.getFileName() + ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static final class Page extends WizardPage {
        Text source;
        Combo version;
        Text trackers;
        Combo pieceSize;
        Text output;

        Page() {
            super("create");
            setTitle("Create a torrent");
            setDescription("Hash a file or folder into a .torrent file.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(4, false));
            new Label(c, SWT.NONE).setText("Source:");
            source = new Text(c, SWT.BORDER);
            source.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            Button file = new Button(c, SWT.PUSH);
            file.setText("File\u2026");
            file.addListener(SWT.Selection, e -> {
                String f = new FileDialog(getShell(), SWT.OPEN).open();
                if (f != null) {
                    source.setText(f);
                    output.setText(f + ".torrent");
                }
            });
            Button folder = new Button(c, SWT.PUSH);
            folder.setText("Folder\u2026");
            folder.addListener(SWT.Selection, e -> {
                String f = new DirectoryDialog(getShell()).open();
                if (f != null) {
                    source.setText(f);
                    output.setText(f + ".torrent");
                }
            });
            new Label(c, SWT.NONE).setText("Format:");
            version = new Combo(c, SWT.READ_ONLY);
            for (Torrent.Version v : Torrent.Version.values()) {
                version.add(v.name().toLowerCase(java.util.Locale.ROOT));
            }
            version.select(Torrent.Version.HYBRID.ordinal());
            version.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
            new Label(c, SWT.NONE).setText("Piece size:");
            pieceSize = new Combo(c, SWT.READ_ONLY);
            pieceSize.add("automatic");
            for (int i = 1; i < PIECE_SIZES.length; i++) {
                long s = PIECE_SIZES[i];
                pieceSize.add(s >= 1 << 20 ? (s >> 20) + " MiB" : (s >> 10) + " KiB");
            }
            pieceSize.select(0);
            pieceSize.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
            Label tl = new Label(c, SWT.NONE);
            tl.setText("Trackers:\n(a tier a line)");
            trackers = new Text(c, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
            GridData td = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
            td.heightHint = 80;
            trackers.setLayoutData(td);
            new Label(c, SWT.NONE).setText("Output:");
            output = new Text(c, SWT.BORDER);
            output.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            Button save = new Button(c, SWT.PUSH);
            save.setText("Save as\u2026");
            save.addListener(SWT.Selection, e -> {
                FileDialog d = new FileDialog(getShell(), SWT.SAVE);
                d.setFilterExtensions(new String[] { "*.torrent" });
                d.setOverwrite(true);
                String f = d.open();
                if (f != null) {
                    output.setText(f);
                }
            });
            source.addListener(SWT.Modify, e -> validate());
            output.addListener(SWT.Modify, e -> validate());
            setControl(c);
            validate();
        }

        private void validate() {
            String s = source.getText().strip();
            String o = output.getText().strip();
            String error;
            try {
                error = !s.isEmpty() && !Files.exists(Path.of(s)) ? s + " does not exist" : null;
                if (error == null && !o.isEmpty()) {
                    Path.of(o);
                }
            } catch (java.nio.file.InvalidPathException e) {
                error = e.getMessage();
            }
            setErrorMessage(error);
            setPageComplete(error == null && !s.isEmpty() && !o.isEmpty());
        }
    }
}
