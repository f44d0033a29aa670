package org.stampede.integration.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A libtorrent swarm member (releng/interop/lt_peer.py) in its own process; always killed on close. */
final class LtPeer implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    final int port;

    private LtPeer(Process process, BufferedReader out, int port) {
        this.process = process;
        this.out = out;
        this.port = port;
    }

    static LtPeer start(Path torrent, Path savePath, boolean seed, int timeoutSeconds) throws Exception {
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
            }).get(60, TimeUnit.SECONDS);
            if (line == null || !line.strip().matches("\\d+")) {
                throw new IllegalStateException("lt_peer.py did not start (said " + line + ")");
            }
            return new LtPeer(p, out, Integer.parseInt(line.strip()));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Waits for a leecher to finish and returns its final JSON report. */
    JsonObject result(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.getOutputStream().close(); // asks it to report and stop
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("lt_peer.py reported nothing (exit " + process.exitValue() + ")");
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
