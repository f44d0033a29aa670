package org.stampede.ui.internal;

import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/**
 * What the user asks of the session from menus, handlers and drops, with failures shown in a dialog. Slow work
 * (stopping a torrent, deleting data) completes in the background; its failure is shown when it happens.
 */
public final class UserActions {
    private UserActions() {
    }

    public static void addFile(Shell shell, ClientSession session, Path file) {
        try {
            session.add(file, null);
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
        } catch (Exception ex) {
            error(Messages.addFailed, e.torrent().name() + ": " + ex.getMessage());
        }
    }

    public static void remove(Shell shell, ClientSession session, ClientSession.Entry e, boolean withData) {
        if (withData && !MessageDialog.openConfirm(shell, Messages.menuRemoveData,
                "Delete " + ClientSession.dataPath(e) + " and everything in it?")) {
            return;
        }
        session.remove(e.infoHash(), withData).exceptionally(err -> {
            error(Messages.menuRemove, e.torrent().name() + ": " + err.getMessage());
            return null;
        });
    }

    /** Shows an error from any thread. */
    public static void error(String title, String message) {
        Display d = Display.getDefault();
        d.asyncExec(() -> MessageDialog.openError(d.getActiveShell(), title, message));
    }
}
