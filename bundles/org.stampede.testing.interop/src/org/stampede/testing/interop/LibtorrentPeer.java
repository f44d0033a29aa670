package org.stampede.testing.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A libtorrent swarm member ({@code releng/interop/lt_peer.py}) in its own process, seeding or leeching one torrent
 * on 127.0.0.1 through the torrent's trackers; its stderr goes to the test's. Always stopped on close. Call
 * {@link Interop#requireLibtorrent(String...)} first.
 */
public final class LibtorrentPeer implements AutoCloseable {
    /** How long a start waits for the script to report its listen port. */
    public static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final BufferedReader out;
    private final int port;

    private LibtorrentPeer(Process process, BufferedReader out, int port) {
        this.process = process;
        this.out = out;
        this.port = port;
    }

    /**
     * Starts a peer on {@code torrent} with its data in {@code savePath}, waiting up to
     * {@value #START_TIMEOUT_SECONDS} s for it to listen.
     *
     * @param seed true to seed the data already in {@code savePath}, false to download into it
     * @param timeoutSeconds how long the script itself runs at most
     * @throws IllegalStateException when it exits or says something else than its port first
     * @throws TimeoutException when it says nothing in time (it is killed)
     */
    public static LibtorrentPeer start(Path torrent, Path savePath, boolean seed, int timeoutSeconds)
            throws IOException, InterruptedException, TimeoutException {
        List<String> cmd = new ArrayList<>(List.of(Interop.PYTHON, Interop.script("lt_peer.py").toString(),
                torrent.toString(), savePath.toString(), "--timeout", Integer.toString(timeoutSeconds)));
        if (seed) {
            cmd.add("--seed");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null || !line.strip().matches("\\d+")) {
                throw new IllegalStateException("lt_peer.py did not start (said " + line + ")");
            }
            return new LibtorrentPeer(p, out, Integer.parseInt(line.strip()));
        } catch (ExecutionException e) {
            p.destroyForcibly();
            throw new IllegalStateException("lt_peer.py did not start", e.getCause());
        } catch (InterruptedException | TimeoutException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The port it listens on, 127.0.0.1. */
    public int port() {
        return port;
    }

    /**
     * Waits up to {@code seconds} for a leecher to finish (then asks it to report and stop, waits 10 s more, and
     * kills it) and returns its final JSON report (with at least {@code complete} and {@code hashfails}).
     *
     * @throws IllegalStateException when it reported nothing
     */
    public JsonObject result(int seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.getOutputStream().close(); // asks it to report and stop
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly(); // so that reading its stdout below ends
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("lt_peer.py reported nothing ("
                    + (process.isAlive() ? "still running" : "exit " + process.exitValue()) + ")");
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    /** Closes its stdin (its signal to stop) and kills it if it has not exited within 10 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
