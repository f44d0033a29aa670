package org.stampede.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The UI's strings, from {@code messages.properties}. */
public final class Messages extends NLS {
    public static String colName;
    public static String colSize;
    public static String colProgress;
    public static String colState;
    public static String colDown;
    public static String colUp;
    public static String colPeers;
    public static String colEta;
    public static String colRatio;
    public static String colPriority;
    public static String colAddress;
    public static String colClient;
    public static String colFlags;
    public static String colUrl;
    public static String colTier;
    public static String colStatus;
    public static String colLastError;
    public static String colNextAnnounce;
    public static String colSeeds;
    public static String colLeechers;
    public static String colDownloaded;
    public static String colId;
    public static String colKind;
    public static String colBundle;
    public static String colVersion;
    public static String colTorrents;
    public static String colKept;
    public static String kept;
    public static String keepAfterRestart;
    public static String keepTip;
    public static String keepUnavailable;
    public static String keepFailed;
    public static String forgetFailed;
    public static String noSelection;
    public static String priorityLabels;
    public static String speedDown;
    public static String speedUp;
    public static String piecesLegend;
    public static String picker;
    public static String choker;
    public static String seedChoker;
    public static String installJar;
    public static String uninstall;
    public static String noFramework;
    public static String switchFailed;
    public static String addFailed;
    public static String menuStart;
    public static String menuPause;
    public static String menuRemove;
    public static String menuRemoveData;
    public static String menuOpenFolder;

    static {
        NLS.initializeMessages("org.stampede.ui.internal.messages", Messages.class);
    }

    private Messages() {
    }
}
