package org.stampede.spi;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes peer addresses into one torrent's bounded peer list. Thread-safe and cheap: a source may call it from any
 * thread, as often as it learns of peers; the list never grows past its bound, however many addresses arrive.
 *
 * @since 0.1
 */
@ProviderType
public interface PeerSink {
    /**
     * Offers an address.
     *
     * @return true when the list now holds it (new, or already known and now also from this origin); false when it
     *         was refused: not a usable address, our own, banned, or the list full of better candidates
     */
    boolean add(InetSocketAddress address, PeerOrigin origin);
}
