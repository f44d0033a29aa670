package org.stampede.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.stampede.wire.ExtensionHandshake;

/**
 * A BEP 10 extension message, keyed by its name ({@code ut_pex}, {@code ut_metadata}). Registered as an OSGi
 * service; the engine offers it to every peer that speaks BEP 10 from then on. When the service goes away, its
 * connections are told {@link ExtensionConnection#closed()} and its messages are ignored.
 *
 * @since 0.1
 */
@ConsumerType
public interface Extension {

    /** The name in the {@code m} dictionary of the extension handshake. */
    String name();

    /** Whether the extension may be used on private torrents (BEP 27): PEX may not. */
    default boolean allowsPrivate() {
        return true;
    }

    /**
     * Adds this extension's own entries to our extension handshake for {@code torrent} (ut_metadata puts
     * {@code metadata_size}); the engine adds the {@code m} entry. Called with the torrent's lock held.
     */
    default void describe(SwarmContext torrent, ExtensionHandshake.Builder ours) {
    }

    /**
     * Both extension handshakes are in and the peer's names this extension.
     *
     * @return the connection's handler of this extension's messages, or null to leave this peer alone
     */
    ExtensionConnection connected(ExtensionPeer peer);
}
