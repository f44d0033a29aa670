package org.stampede.ui.internal.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.wizard.IWizard;
import org.eclipse.jface.wizard.WizardDialog;
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
import org.stampede.metainfo.Torrent;
import org.stampede.ui.internal.ScreenshotsForTests;
import org.stampede.ui.internal.UiWait;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.stampede.testing.interop.Interop;
import org.stampede.testing.interop.Libtorrent;

/**
 * The create-torrent wizard in a {@link WizardDialog} on a plain Shell (no workbench), filled in as a user would and
 * finished with its Finish button; its Job writes the .torrent, which libtorrent then reads.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CreateTorrentWizardTest {
    private static final String TRACKER = "http://127.0.0.1:6969/announce";

    @TempDir
    Path dir;
    private Display display;
    private Shell shell;
    private Dialog dialog;

    /** Lets the test press the dialog's own Finish button. */
    private static final class Dialog extends WizardDialog {
        Dialog(Shell parent, IWizard wizard) {
            super(parent, wizard);
        }

        Button finishButton() {
            return getButton(IDialogConstants.FINISH_ID);
        }
    }

    @BeforeEach
    void openShell() {
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setSize(200, 100);
        shell.setLocation(0, 0);
    }

    @AfterEach
    void closeShell() {
        if (dialog != null && dialog.getShell() != null) {
            dialog.close();
        }
        shell.dispose();
        UiWait.drain(display);
    }

    /** A folder with two files of pseudo-random bytes: 300 KiB + 7 and 100 KiB. */
    private Path source() throws Exception {
        Path folder = dir.resolve("album");
        Files.createDirectories(folder.resolve("disc"));
        Random random = new Random(5);
        byte[] first = new byte[300 * 1024 + 7];
        byte[] second = new byte[100 * 1024];
        random.nextBytes(first);
        random.nextBytes(second);
        Files.write(folder.resolve("first.bin"), first);
        Files.write(folder.resolve("disc/second.bin"), second);
        return folder;
    }

    /** Opens the wizard and fills its page: source, hybrid, one tracker, 64 KiB pieces, output. */
    private CreateTorrentWizard openFilled(Path source, Path output) {
        CreateTorrentWizard wizard = new CreateTorrentWizard();
        wizard.init(null, null);
        dialog = new Dialog(shell, wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        CreateTorrentWizard.Page page = wizard.page();
        page.source.setText(source.toString());
        page.version.select(List.of(page.version.getItems()).indexOf("hybrid"));
        page.trackers.setText(TRACKER);
        int size = List.of(page.pieceSize.getItems()).indexOf("64 KiB");
        assertTrue(size > 0, "piece sizes: " + List.of(page.pieceSize.getItems()));
        page.pieceSize.select(size);
        page.output.setText(output.toString());
        assertNull(page.getErrorMessage());
        return wizard;
    }

    private void finish(CreateTorrentWizard wizard) {
        Button finish = dialog.finishButton();
        assertTrue(finish.isEnabled(), "Finish is enabled once source and output are set");
        finish.notifyListeners(SWT.Selection, new Event());
        assertNull(dialog.getShell(), "the dialog closes when the job is scheduled");
        Job job = wizard.job();
        assertNotNull(job, "performFinish scheduled a job");
        UiWait.until(display, () -> job.getState() == Job.NONE && job.getResult() != null,
                () -> "the job to end, state " + job.getState());
    }

    @Test
    void finishingWritesAHybridTorrentThatLibtorrentReadsWithTheSameInfoHashesPieceLengthAndTracker()
            throws Exception {
        Interop.requireLibtorrent();
        Path output = dir.resolve("album.torrent");
        CreateTorrentWizard wizard = openFilled(source(), output);
        dialog.getShell().setLocation(0, 0);
        UiWait.settle(display, 400);
        ScreenshotsForTests.save(dialog.getShell(), "wizard");
        finish(wizard);
        IStatus result = wizard.job().getResult();
        assertTrue(result.isOK(), result.toString());

        Torrent ours = Torrent.read(output);
        JsonObject lt = Libtorrent.info(output);
        assertNotNull(ours.infoHashV1(), "hybrid has a v1 info-hash");
        assertNotNull(ours.infoHashV2(), "hybrid has a v2 info-hash");
        assertEquals(ours.infoHashV1().hex(), lt.get("infoHashV1").getAsString());
        assertEquals(ours.infoHashV2().hex(), lt.get("infoHashV2").getAsString());
        assertEquals(65536, lt.get("pieceLength").getAsInt());
        JsonArray tiers = lt.getAsJsonArray("trackers");
        assertEquals(1, tiers.size(), tiers.toString());
        assertEquals(List.of(TRACKER), tiers.get(0).getAsJsonArray().asList().stream()
                .map(e -> e.getAsString()).toList());
        assertEquals("album", lt.get("name").getAsString());
    }

    @Test
    void cancellingTheRunningJobLeavesTheExistingOutputFileAsItWasAndNoPartialFile() throws Exception {
        Path source = source();
        Path output = dir.resolve("album.torrent");
        Files.writeString(output, "an older torrent", StandardCharsets.UTF_8);
        List<Path> before = list(dir);
        String name = "Creating " + output.getFileName();
        // cancels the job as it starts running: its hashing sees the cancel at its first progress report
        JobChangeAdapter canceller = new JobChangeAdapter() {
            @Override
            public void running(IJobChangeEvent event) {
                if (name.equals(event.getJob().getName())) {
                    event.getJob().cancel();
                }
            }
        };
        Job.getJobManager().addJobChangeListener(canceller);
        try {
            CreateTorrentWizard wizard = openFilled(source, output);
            finish(wizard);
            assertEquals(IStatus.CANCEL, wizard.job().getResult().getSeverity(), wizard.job().getResult().toString());
        } finally {
            Job.getJobManager().removeJobChangeListener(canceller);
        }
        assertEquals("an older torrent", Files.readString(output, StandardCharsets.UTF_8));
        assertEquals(before, list(dir), "no other file in the output's folder");
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
