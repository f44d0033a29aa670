package org.stampede.testing.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running counterpart (such as {@code releng/interop/lt_seed.py}) whose stdout and stderr go to files and
 * whose stdin stays open until {@link #close()}: closing stdin is the scripts' signal to stop, and a process still
 * running 5 seconds later is killed.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command} with its output in {@code <logPrefix>.out} and {@code <logPrefix>.err}. */
    public static ChildProcess start(List<String> command, Path logPrefix) throws IOException {
        Path out = Path.of(logPrefix + ".out");
        Path err = Path.of(logPrefix + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        return new ChildProcess(process, out, err);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the exit status, waiting at most {@code seconds}; fails the test (with its stderr) after that */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            fail("process did not exit within " + seconds + " s; stderr: " + stderr());
        }
        return process.exitValue();
    }

    /** Everything it wrote to stdout so far. */
    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Everything it wrote to stderr so far, or a note saying why that cannot be read. */
    public String stderr() {
        try {
            return Files.readString(err, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits for {@code file} to appear (the scripts write it atomically) and returns its content, stripped; fails
     * the test if the process exits first or the deadline (a {@link System#nanoTime()} value) passes.
     */
    public String awaitFile(Path file, long deadline) throws IOException, InterruptedException {
        while (!Files.exists(file)) {
            if (!process.isAlive()) {
                fail("process exited with " + process.exitValue() + " before writing " + file + "; stderr: "
                        + stderr());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no " + file + " in time; stderr: " + stderr());
            }
            Thread.sleep(50);
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /** Closes its stdin and waits up to 5 s for it to exit, then kills it (and waits up to 5 s more). */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
