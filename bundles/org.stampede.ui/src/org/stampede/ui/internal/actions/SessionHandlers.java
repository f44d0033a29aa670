package org.stampede.ui.internal.actions;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Messages;
import org.stampede.ui.internal.UserActions;

/**
 * The handlers of the Torrent menu and toolbar commands (see plugin.xml). Each acts on the session's selected
 * torrent (the one selected in the Torrents view), or adds one.
 */
public final class SessionHandlers {
    private SessionHandlers() {
    }

    /** The client session service, or null when it is not (yet) there. */
    static ClientSession session() {
        Bundle b = FrameworkUtil.getBundle(SessionHandlers.class);
        BundleContext c = b == null ? null : b.getBundleContext();
        if (c == null) {
            return null;
        }
        ServiceReference<ClientSession> ref = c.getServiceReference(ClientSession.class);
        return ref == null ? null : c.getService(ref);
    }

    /** A handler that needs the session, and for most, a selected torrent. */
    private abstract static class Base extends AbstractHandler {
        @Override
        public final Object execute(ExecutionEvent event) throws ExecutionException {
            ClientSession s = session();
            if (s == null) {
                throw new ExecutionException("the Stampede client session is not running");
            }
            run(HandlerUtil.getActiveShell(event), s, s.selected());
            return null;
        }

        abstract void run(Shell shell, ClientSession session, ClientSession.Entry selected);
    }

    public static final class AddFile extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            FileDialog d = new FileDialog(shell, SWT.OPEN | SWT.MULTI);
            d.setFilterExtensions(new String[] { "*.torrent", "*" });
            if (d.open() != null) {
                for (String name : d.getFileNames()) {
                    UserActions.addFile(shell, session, Path.of(d.getFilterPath(), name));
                }
            }
        }
    }

    public static final class AddMagnet extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            InputDialog d = new InputDialog(shell, "Add magnet link", "Magnet URI:", "magnet:?xt=urn:btih:", null);
            if (d.open() == Window.OK) {
                UserActions.addMagnet(shell, session, d.getValue());
            }
        }
    }

    public static final class Start extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            if (selected != null) {
                UserActions.resume(session, selected);
            }
        }
    }

    public static final class Pause extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            if (selected != null) {
                session.pause(selected.infoHash());
            }
        }
    }

    public static final class Remove extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            if (selected != null) {
                UserActions.remove(shell, session, selected, false);
            }
        }
    }

    public static final class RemoveWithData extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            if (selected != null) {
                UserActions.remove(shell, session, selected, true);
            }
        }
    }

    public static final class OpenFolder extends Base {
        @Override
        void run(Shell shell, ClientSession session, ClientSession.Entry selected) {
            if (selected != null && !Program.launch(selected.downloadDir().toString())) {
                UserActions.error(Messages.menuOpenFolder, "no program opens " + selected.downloadDir());
            }
        }
    }
}
