package org.stampede.tracker;

import java.net.URI;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes {@link TrackerClient}s for the announce URLs of some schemes. Implementations are OSGi services whose
 * service property {@value #SCHEMES} lists the same schemes as {@link #schemes()}, so a consumer can pick a
 * factory with a filter such as {@code (stampede.tracker.schemes=udp)}. The engine takes every such service, so
 * another bundle can add a scheme; this interface and {@link TrackerClient} may gain methods in a minor version
 * ({@code @ProviderType}), so such a bundle imports the package up to the next minor version.
 */
@ProviderType
public interface TrackerClientFactory {

    /** Service property: the URL schemes a factory handles (String[], lower case). */
    String SCHEMES = "stampede.tracker.schemes";

    /** @return the URL schemes handled, lower case, for example {@code http} and {@code https} */
    Set<String> schemes();

    /**
     * Makes a client for {@code announceUrl}. Nothing is sent and no name is resolved yet.
     *
     * @throws IllegalArgumentException if the URL has another scheme or cannot be an announce URL of this kind
     *                                  (no host, no port for UDP); the message says why
     */
    TrackerClient create(URI announceUrl);
}
