package org.stampede.tracker.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/** An HTTP "tracker" on 127.0.0.1 that answers every request with canned bytes and records what it was asked. */
final class FakeHttpTracker implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);
    final List<URI> requests = new CopyOnWriteArrayList<>();
    volatile byte[] body = new byte[0];
    volatile int status = 200;
    volatile String contentType = "text/plain";
    volatile String retryAfter;
    /** Send the body with chunked encoding (no Content-Length), as a server streaming an endless reply might. */
    volatile boolean chunked;
    /** Never answer (until closed). */
    volatile boolean hang;

    FakeHttpTracker() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex) {
                requests.add(ex.getRequestURI());
                if (hang) {
                    release.await(30, TimeUnit.SECONDS);
                    return;
                }
                byte[] b = body;
                ex.getResponseHeaders().set("Content-Type", contentType);
                if (retryAfter != null) {
                    ex.getResponseHeaders().set("Retry-After", retryAfter);
                }
                ex.sendResponseHeaders(status, chunked ? 0 : b.length == 0 ? -1 : b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away (e.g. it refused the body): fine for a fake
            }
        });
        server.start();
    }

    static FakeHttpTracker replying(byte[] body) throws IOException {
        FakeHttpTracker t = new FakeHttpTracker();
        t.body = body;
        return t;
    }

    static FakeHttpTracker replying(String body) throws IOException {
        return replying(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    URI announceUrl() {
        return url("/announce");
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
