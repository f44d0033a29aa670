package org.stampede.ui;

import java.util.List;

/** Identifiers of the Stampede UI contributions, for products, perspectives and tests that open them. */
public final class StampedeUi {
    /** The Stampede perspective (org.eclipse.ui.perspectives). */
    public static final String PERSPECTIVE_ID = "org.stampede.ui.perspective";
    /** The preference page (org.eclipse.ui.preferencePages). */
    public static final String PREFERENCE_PAGE_ID = "org.stampede.ui.preferences";
    /** The create-torrent wizard (org.eclipse.ui.newWizards). */
    public static final String CREATE_TORRENT_WIZARD_ID = "org.stampede.ui.wizards.createTorrent";

    /** The views: e4 part descriptors contributed by {@code fragment.e4xmi} (Window &gt; Show View &gt; Stampede). */
    public static final String TORRENTS_VIEW_ID = "org.stampede.ui.part.torrents";
    public static final String FILES_VIEW_ID = "org.stampede.ui.part.files";
    public static final String PEERS_VIEW_ID = "org.stampede.ui.part.peers";
    public static final String PIECES_VIEW_ID = "org.stampede.ui.part.pieces";
    public static final String TRACKERS_VIEW_ID = "org.stampede.ui.part.trackers";
    public static final String SPEED_VIEW_ID = "org.stampede.ui.part.speed";
    public static final String STRATEGIES_VIEW_ID = "org.stampede.ui.part.strategies";

    /** Every view, in the order the perspective stacks them. */
    public static final List<String> VIEW_IDS = List.of(TORRENTS_VIEW_ID, FILES_VIEW_ID, PEERS_VIEW_ID,
            PIECES_VIEW_ID, TRACKERS_VIEW_ID, SPEED_VIEW_ID, STRATEGIES_VIEW_ID);

    private StampedeUi() {
    }
}
