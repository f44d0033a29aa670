package org.stampede.engine;

/**
 * How a torrent is added. A strategy named here is the user's choice for the torrent: it is stored for the torrent's
 * next run (see {@link EngineConfiguration}). One left null is the torrent's stored choice, or else the engine's
 * default.
 *
 * @param picker       piece picker name, or null for the stored one or the engine's default
 * @param choker       choker name while downloading, or null for the default
 * @param seedChoker   choker name while seeding, or null for the default
 * @param downloadLimit bytes per second for this torrent, 0 for none
 * @param uploadLimit   bytes per second for this torrent, 0 for none
 * @param seed         keep seeding once complete (otherwise the torrent stops uploading when finished)
 */
public record AddOptions(String picker, String choker, String seedChoker, long downloadLimit, long uploadLimit,
        boolean seed) {

    public static AddOptions defaults() {
        return new AddOptions(null, null, null, 0, 0, true);
    }

    public AddOptions withStrategies(String pickerName, String chokerName) {
        return new AddOptions(pickerName, chokerName, seedChoker, downloadLimit, uploadLimit, seed);
    }

    public AddOptions withLimits(long down, long up) {
        return new AddOptions(picker, choker, seedChoker, down, up, seed);
    }
}
