package org.stampede.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.stampede.engine.Engine;
import org.stampede.engine.EngineFactory;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;
import org.stampede.metainfo.Torrent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stampede download}: downloads a torrent, shows progress, exits 0 once every wanted piece is verified and
 * flushed to disk (or, with {@code --seed}, seeds on until interrupted). A storage failure (disk full, permission
 * denied, a folder or a link in a file's place, an I/O error) stops the torrent, and the command exits 1 with the
 * reason. Interrupting it stops cleanly: announces {@code stopped} and saves resume data, so running it again
 * resumes.
 */
@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Download a torrent into a folder.")
final class DownloadCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Parameters(index = "0", paramLabel = "<torrent|magnet>")
    String input;

    @Option(names = { "-o", "--output" }, paramLabel = "<dir>",
            description = "Download folder (default: the downloadFolder setting, see `stampede config`).")
    Path output;

    @Option(names = "--seed", description = "Seed once complete, until interrupted.")
    boolean seed;

    @Mixin
    TransferOptions transfer = new TransferOptions();

    /** Longest wait for the torrent to stop (announce, flush, save) before the summary line. */
    static final long STOP_TIMEOUT_SECONDS = 120;

    @Override
    public Integer call() throws Exception {
        if (input.regionMatches(true, 0, "magnet:", 0, 7)) {
            org.stampede.metainfo.MagnetLink.parse(input); // a malformed link is reported as such
            throw new BadInputException("magnet links are not yet supported: fetching the metadata from peers "
                    + "(BEP 9) is to come; download the .torrent file instead");
        }
        Path file = Path.of(input);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(input + ": no such file");
        }
        String named = "-o ";
        if (output == null) {
            output = SessionDefaults.downloadFolder();
            if (output == null) {
                throw new BadInputException("no download folder: give -o <dir>, or store one with "
                        + "`stampede config set downloadFolder=<dir>`");
            }
            named = "the downloadFolder setting ";
        }
        Torrent torrent;
        try {
            torrent = Torrent.read(file);
        } catch (org.stampede.metainfo.MetainfoException e) {
            throw new org.stampede.metainfo.MetainfoException(input + ": " + e.getMessage(), e);
        }
        prepareFolder(output, named, true);
        return run(parent, torrent, output, transfer, seed, "download");
    }

    /**
     * Makes sure {@code dir} is a folder to write in, creating it (and its parents) when it is missing and
     * {@code create} is set, before anything starts; says why not otherwise, naming it as the user did ({@code named}:
     * "-o ", "the downloadFolder setting ", or ""): bad input (exit status 2) when the path is not a folder (a file, a
     * FIFO, a device, a symbolic link to nothing, a path through a file) or, without {@code create}, is missing; a
     * failure (exit status 1, as for other permission problems) when it cannot be read, created or written.
     */
    static void prepareFolder(Path dir, String named, boolean create) throws BadInputException, java.io.IOException {
        Path abs = dir.toAbsolutePath();
        FileKind kind = FileKind.of(abs);
        switch (kind) {
            case FOLDER -> {
                if (!Files.isWritable(abs)) {
                    throw new java.io.IOException(named + dir + ": the folder is not writable (permission denied)");
                }
                return;
            }
            case MISSING -> {
                // below
            }
            case INACCESSIBLE -> throw new java.io.IOException(named + FileKind.describe(dir, kind));
            case DANGLING_LINK -> throw new BadInputException(named + FileKind.describe(dir, kind));
            default -> throw new BadInputException(named + FileKind.describe(dir, kind) + ", not a folder");
        }
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            FileKind up = FileKind.of(p);
            if (up == FileKind.MISSING) {
                continue;
            }
            if (up == FileKind.INACCESSIBLE) {
                throw new java.io.IOException(named + dir + ": " + FileKind.describe(p, up));
            }
            if (up != FileKind.FOLDER) {
                throw new BadInputException(named + dir + ": " + FileKind.describe(p, up)
                        + (up == FileKind.DANGLING_LINK ? "" : ", not a folder"));
            }
            break;
        }
        if (!create) {
            throw new BadInputException(named + dir + ": no such folder");
        }
        try {
            Files.createDirectories(abs);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.io.IOException(named + dir + ": cannot create the folder " + e.getFile()
                    + " (permission denied)");
        } catch (java.nio.file.FileSystemException e) {
            throw new java.io.IOException(named + dir + ": cannot create the folder " + e.getFile()
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
        }
    }

    /** Runs one torrent until done (or interrupted); shared by {@code download} and {@code seed}. */
    static int run(StampedeCommand parent, Torrent torrent, Path dir, TransferOptions transfer, boolean seed,
            String label) throws Exception {
        Files.createDirectories(dir); // checked by the commands (prepareFolder), with the name the user gave it
        EngineFactory factory = Services.get(EngineFactory.class, 10_000);
        Engine engine = factory.create(transfer.settings(dir.resolve(".stampede")));
        ControlChannel control;
        try {
            control = ControlChannel.open(engine, dir.resolve(".stampede"), transfer.controlPort, parent.err);
        } catch (java.io.IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            parent.err.println();
            parent.err.println("stampede: stopping (announcing and saving resume data)");
            control.close();
            engine.close();
            stopped.countDown();
        }, "stampede-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        TransferProgress progress = new TransferProgress(parent.err, ProgressBar.stderrIsTerminal());
        try {
            ConfigCommand.requireInstalled(transfer.namedStrategies(), engine); // bad input, not a failed start
            TorrentHandle h = engine.add(torrent, dir, transfer.addOptions(seed));
            transfer.peerAddresses().forEach(h::connect);
            long start = System.nanoTime();
            while (!h.completion().isDone()) {
                TorrentStatus s = h.status();
                if (s.state() == TorrentStatus.State.ERROR) {
                    progress.show(label, h, true);
                    progress.end();
                    throw new java.io.IOException(torrent.name() + ": " + s.error());
                }
                progress.show(label, h, false);
                Thread.sleep(200);
            }
            progress.show(label, h, true);
            progress.end();
            double seconds = (System.nanoTime() - start) / 1e9;
            TorrentStatus s = h.status();
            if (!seed) {
                // verified in the system's cache: on disk only once flushed, which stopping does (and says if not)
                try {
                    h.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new java.io.IOException(torrent.name() + ": the data was not written to disk within "
                            + STOP_TIMEOUT_SECONDS + " s");
                }
                TorrentStatus after = h.status();
                if (after.state() == TorrentStatus.State.ERROR) {
                    throw new java.io.IOException(torrent.name() + ": " + after.error());
                }
            }
            parent.out.printf(java.util.Locale.ROOT, "%s: %s verified in %s (%d pieces) in %.1f s, %d bytes downloaded this run%n",
                    torrent.name(), Units.bytes(s.bytesDone()), dir, s.have(), seconds, s.downloaded());
            if (seed) {
                parent.err.println("seeding; press Ctrl-C to stop");
                while (stopped.getCount() > 0) {
                    progress.show("seed", h, false);
                    TorrentStatus now = h.status();
                    if (now.state() == TorrentStatus.State.ERROR) { // its data cannot be read or written any more
                        progress.show("seed", h, true);
                        progress.end();
                        throw new java.io.IOException(torrent.name() + ": " + now.error());
                    }
                    stopped.await(1, TimeUnit.SECONDS);
                }
            }
            return Cli.OK;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                control.close();
                engine.close();
            } catch (IllegalStateException shuttingDown) {
                stopped.await(20, TimeUnit.SECONDS);
            }
        }
    }
}
