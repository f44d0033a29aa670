package org.stampede.tracker;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A tracker's answer to a scrape (BEP 48, BEP 15): swarm sizes per torrent.
 *
 * @param entries one entry per torrent the tracker reported on, in the tracker's order
 */
public record ScrapeResponse(List<Entry> entries) {

    /**
     * The numbers for one torrent. Counts a tracker did not report, or reported as negative, are 0; counts beyond
     * {@link Integer#MAX_VALUE} are capped to it.
     *
     * @param infoHash   the torrent's 20-byte info-hash
     * @param complete   seeders
     * @param incomplete leechers
     * @param downloaded how many times the torrent was downloaded completely
     */
    public record Entry(byte[] infoHash, int complete, int incomplete, int downloaded) {
        /** @throws IllegalArgumentException if the info-hash is not 20 bytes */
        public Entry {
            Objects.requireNonNull(infoHash, "infoHash");
            if (infoHash.length != 20) {
                throw new IllegalArgumentException("infoHash must be 20 bytes, not " + infoHash.length);
            }
            infoHash = infoHash.clone();
            complete = Math.max(0, complete);
            incomplete = Math.max(0, incomplete);
            downloaded = Math.max(0, downloaded);
        }

        /** @return a copy of the info-hash */
        @Override
        public byte[] infoHash() {
            return infoHash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && Arrays.equals(infoHash, e.infoHash) && complete == e.complete
                    && incomplete == e.incomplete && downloaded == e.downloaded;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(infoHash), complete, incomplete, downloaded);
        }

        @Override
        public String toString() {
            return "Entry[infoHash=" + HexFormat.of().formatHex(infoHash) + ", complete=" + complete + ", incomplete="
                    + incomplete + ", downloaded=" + downloaded + "]";
        }

        boolean isFor(byte[] hash) {
            return Arrays.equals(infoHash, hash);
        }
    }

    /** Copies the list. */
    public ScrapeResponse {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** @return the entry for {@code infoHash}, or null if the tracker did not report on it */
    public Entry find(byte[] infoHash) {
        for (Entry e : entries) {
            if (e.isFor(infoHash)) {
                return e;
            }
        }
        return null;
    }
}
