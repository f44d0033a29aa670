package org.stampede.testing.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code /usr/bin/opentracker} on 127.0.0.1 (HTTP and UDP), serving only the info-hashes in its whitelist. It
 * chroots into its folder (when run as root) and drops to user nobody, so the folder and whitelist are made
 * world-readable and the whitelist is named relative to the folder (which is also the working folder, for a
 * non-root run where the chroot fails). {@link #close()} always kills the process, and so does a shutdown hook
 * should the JVM stop first. Call {@link Interop#requireOpentracker()} first.
 */
public final class Opentracker implements AutoCloseable {
    /** How long a start waits for the HTTP port to accept. */
    public static final long START_TIMEOUT_MS = 10_000;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Thread killer;
    private final Path log;
    private final int httpPort;
    private final int udpPort;

    private Opentracker(Process process, Path log, int httpPort, int udpPort) {
        this.process = process;
        this.log = log;
        // should the test JVM be stopped before close(), still do not leave a tracker behind
        this.killer = new Thread(process::destroyForcibly, "opentracker-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        this.httpPort = httpPort;
        this.udpPort = udpPort;
    }

    /**
     * Starts opentracker in {@code dir} (it writes {@code whitelist} and its logs there) serving the given 20-byte
     * info-hashes; tries again on other free ports if one was taken meanwhile (3 attempts of at most
     * {@value #START_TIMEOUT_MS} ms each), then fails the test with the logs.
     */
    public static Opentracker start(Path dir, List<byte[]> whitelist) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder wl = new StringBuilder();
        for (byte[] h : whitelist) {
            wl.append(HexFormat.of().formatHex(h)).append('\n');
        }
        Path file = dir.resolve("whitelist");
        Files.writeString(file, wl, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int http = freeTcpPort();
            int udp = freeUdpPort();
            Path log = dir.resolve("opentracker-" + attempt + ".log");
            Process p = new ProcessBuilder(Interop.OPENTRACKER.toString(), "-i", "127.0.0.1", "-p",
                    Integer.toString(http), "-P", Integer.toString(udp), "-d", dir.toString(), "-w", "whitelist")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Opentracker t = new Opentracker(p, log, http, udp);
            try {
                if (t.awaitListening()) {
                    return t;
                }
                failures.add(t.log());
            } catch (InterruptedException | RuntimeException e) {
                t.close();
                throw e;
            }
            t.close();
        }
        return fail("opentracker did not start: " + failures);
    }

    public int httpPort() {
        return httpPort;
    }

    public int udpPort() {
        return udpPort;
    }

    public URI httpAnnounceUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/announce");
    }

    public URI udpAnnounceUrl() {
        return URI.create("udp://127.0.0.1:" + udpPort + "/announce");
    }

    /** Polls the HTTP port until it accepts (true) or the process died or the time ran out (false). */
    private boolean awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /** What opentracker wrote to stdout and stderr so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops it: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
