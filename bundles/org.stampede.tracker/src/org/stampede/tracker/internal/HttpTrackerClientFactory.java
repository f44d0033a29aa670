package org.stampede.tracker.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.stampede.tracker.TrackerClient;
import org.stampede.tracker.TrackerClientFactory;

/**
 * Makes HTTP and HTTPS tracker clients. All of them share one {@link HttpClient} (connect timeout 10 s, HTTP/1.1,
 * normal redirects); each request may take 20 s in all, and a reply body is read up to 2 MiB.
 */
@Component(service = TrackerClientFactory.class, property = { TrackerClientFactory.SCHEMES + "=http",
        TrackerClientFactory.SCHEMES + "=https" })
public final class HttpTrackerClientFactory implements TrackerClientFactory {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxBody;

    /** With the standard timeouts and size limit. */
    public HttpTrackerClientFactory() {
        this(CONNECT_TIMEOUT, REQUEST_TIMEOUT, HttpReplies.MAX_BODY);
    }

    HttpTrackerClientFactory(Duration connectTimeout, Duration requestTimeout, int maxBody) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.requestTimeout = requestTimeout;
        this.maxBody = Math.min(maxBody, HttpReplies.MAX_BODY);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public TrackerClient create(URI announceUrl) {
        String scheme = announceUrl.getScheme() == null ? "" : announceUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http(s) tracker URL: " + Text.tracker(announceUrl));
        }
        if (announceUrl.getHost() == null) {
            throw new IllegalArgumentException("tracker URL has no host: " + Text.tracker(announceUrl));
        }
        return new HttpTrackerClient(http, announceUrl, requestTimeout, maxBody);
    }

    /** Stops the shared client; requests in flight fail. */
    @Deactivate
    void deactivate() {
        http.shutdownNow();
    }
}
