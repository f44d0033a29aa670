package org.stampede.ui.internal;

import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/**
 * What the user asks of the session from menus, handlers and drops, with failures shown in a dialog. Slow work
 * (checking the data, stopping a torrent, deleting data) runs as Eclipse Jobs ({@link TorrentJobs}): the Progress
 * view shows it, and the workbench reports a failed job.
 */
public final class UserActions {
    private UserActions() {
    }

    public static void addFile(Shell shell, ClientSession session, Path file) {
        try {
            TorrentJobs.check(session, session.add(file, null));
        } catch (Exception e) {
            MessageDialog.openError(shell, Messages.addFailed, file + ": " + e.getMessage());
        }
    }

    public static void addMagnet(Shell shell, ClientSession session, String uri) {
        try {
            session.addMagnet(uri);
        } catch (Exception e) {
            MessageDialog.openError(shell, Messages.addFailed, e.getMessage());
        }
    }

    public static void resume(ClientSession session, ClientSession.Entry e) {
        try {
            session.resume(e.infoHash());
            ClientSession.Entry resumed = session.get(e.infoHash());
            if (resumed != null) {
                TorrentJobs.check(session, resumed);
            }
        } catch (Exception ex) {
            error(Messages.addFailed, e.torrent().name() + ": " + ex.getMessage());
        }
    }

    public static void remove(Shell shell, ClientSession session, ClientSession.Entry e, boolean withData) {
        if (withData && !MessageDialog.openConfirm(shell, Messages.menuRemoveData,
                "Delete " + ClientSession.dataPath(e) + " and everything in it?")) {
            return;
        }
        TorrentJobs.remove(session, e, withData);
    }

    /** Shows an error from any thread. */
    public static void error(String title, String message) {
        Display d = Display.getDefault();
        d.asyncExec(() -> MessageDialog.openError(d.getActiveShell(), title, message));
    }
}
