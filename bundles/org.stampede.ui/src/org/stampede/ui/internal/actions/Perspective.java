package org.stampede.ui.internal.actions;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.stampede.ui.internal.parts.FilesPart;
import org.stampede.ui.internal.parts.PeersPart;
import org.stampede.ui.internal.parts.PiecesPart;
import org.stampede.ui.internal.parts.SpeedPart;
import org.stampede.ui.internal.parts.StrategiesPart;
import org.stampede.ui.internal.parts.TorrentsPart;
import org.stampede.ui.internal.parts.TrackersPart;

/** The Stampede perspective: Torrents on top, the views of the selected torrent stacked below it. */
public final class Perspective implements IPerspectiveFactory {
    public static final String ID = "org.stampede.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        String editors = layout.getEditorArea();
        layout.addView(TorrentsPart.ID, IPageLayout.TOP, 0.45f, editors);
        IFolderLayout below = layout.createFolder("org.stampede.ui.folder.details", IPageLayout.BOTTOM, 0.45f,
                TorrentsPart.ID);
        below.addView(FilesPart.ID);
        below.addView(PeersPart.ID);
        below.addView(PiecesPart.ID);
        below.addView(TrackersPart.ID);
        below.addView(SpeedPart.ID);
        below.addView(StrategiesPart.ID);
    }
}
