package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.stampede.testing.interop.Interop;

/**
 * A libtorrent seeder ({@code lt_seed.py}) held to an upload rate, so that a transfer lasts long enough to change
 * strategies or plug-ins under it. Closing it closes its stdin, which ends it.
 */
record LibtorrentSeeder(Process process, int port) implements AutoCloseable {

    static LibtorrentSeeder start(Path torrentFile, Path data, long bytesPerSecond) throws Exception {
        Process p = new ProcessBuilder(Interop.PYTHON, Interop.script("lt_seed.py").toString(), torrentFile.toString(),
                data.getParent().toString(), "--timeout", "200", "--upload-limit", Long.toString(bytesPerSecond))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertNotNull(line, "lt_seed.py started");
        return new LibtorrentSeeder(p, Integer.parseInt(line.strip()));
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
