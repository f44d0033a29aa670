package org.stampede.ui.internal.parts;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.Coalescer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * What the views of the selected torrent share: they listen to the session, and a change that concerns them (the
 * selection, the list, or an event of the selected torrent) schedules one coalesced refresh on the display thread.
 */
abstract class SessionPart {
    protected final ClientSession session;
    private ClientSession.Listener listener;
    private Control control;

    SessionPart(ClientSession session) {
        this.session = session;
    }

    @PostConstruct
    public final void create(Composite parent) {
        control = createControls(parent);
        Coalescer coalescer = new Coalescer(control, this::refresh);
        listener = (topic, infoHash) -> {
            if (concerns(topic, infoHash)) {
                coalescer.request();
            }
        };
        session.addListener(listener);
        refresh();
    }

    /** Makes the part's controls; returns the one that takes the focus. */
    protected abstract Control createControls(Composite parent);

    /** Re-reads what the part shows; on the display thread. */
    protected abstract void refresh();

    /** Whether an event asks for a refresh: by default the selection, the list, or the selected torrent's. */
    protected boolean concerns(String topic, String infoHash) {
        if (ClientSession.SELECTION_CHANGED.equals(topic) || ClientSession.LIST_CHANGED.equals(topic)) {
            return true;
        }
        ClientSession.Entry e = session.selected();
        return e != null && e.infoHash().equals(infoHash);
    }

    @Focus
    public void focus() {
        control.setFocus();
    }

    @PreDestroy
    public void dispose() {
        session.removeListener(listener);
    }

    Control control() {
        return control;
    }
}
