package org.stampede.cli.internal;

import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stampede create}: makes a v1, v2 or hybrid torrent, hashing on all cores, with a progress bar. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create a torrent from a file or a folder.")
final class CreateCommand implements Callable<Integer> {

    @ParentCommand
    StampedeCommand parent;

    @Parameters(index = "0", paramLabel = "<file-or-dir>", description = "The file or folder to share.")
    Path source;

    @Option(names = { "-o", "--output" }, required = true, paramLabel = "<out.torrent>",
            description = "Where to write the torrent (written atomically; an existing file is replaced).")
    Path output;

    @Option(names = { "-t", "--tracker" }, paramLabel = "URL",
            description = "A tracker; repeat for more tiers (BEP 12). Commas put several trackers in one tier.")
    List<String> trackers = new ArrayList<>();

    @Option(names = { "-l", "--piece-length" }, paramLabel = "BYTES",
            description = "Piece length: a power of two from 16 KiB to 64 MiB, e.g. 262144, 256K, 4M. "
                    + "Default: chosen from the total size (about 2000 pieces).")
    String pieceLength;

    static final class VersionChoice {
        @Option(names = "--v1", description = "A v1 torrent (BEP 3): every client can read it.")
        boolean v1;
        @Option(names = "--v2", description = "A v2 torrent (BEP 52): SHA-256 merkle trees.")
        boolean v2;
        @Option(names = "--hybrid", description = "A hybrid v1+v2 torrent (the default).")
        boolean hybrid;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    VersionChoice versionChoice;

    @Option(names = { "-p", "--private" }, description = "Set the private flag (BEP 27).")
    boolean isPrivate;

    @Option(names = { "-c", "--comment" }, paramLabel = "TEXT", description = "A comment.")
    String comment;

    @Option(names = { "-w", "--web-seed" }, paramLabel = "URL", description = "A web seed (BEP 19); repeatable.")
    List<String> webSeeds = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per core).")
    Integer threads;

    @Option(names = "--no-date", description = "Leave the creation date out, for reproducible output.")
    boolean noDate;

    @Option(names = { "-q", "--quiet" }, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Torrent.Version version = Torrent.Version.HYBRID;
        if (versionChoice != null) {
            version = versionChoice.v1 ? Torrent.Version.V1 : versionChoice.v2 ? Torrent.Version.V2
                    : Torrent.Version.HYBRID;
        }
        if (!Files.exists(source)) {
            throw new BadInputException(source + ": no such file or folder");
        }
        Path out = output.toAbsolutePath();
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new BadInputException(output + ": folder " + out.getParent() + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new BadInputException(output + ": is a folder; give the torrent file's name");
        }
        TorrentCreator creator = TorrentCreator.forSource(source).version(version)
                .createdBy("Stampede " + StampedeCommand.VERSION).privateFlag(isPrivate).comment(comment);
        if (pieceLength != null) {
            creator.pieceLength(Units.parseSize(pieceLength));
        }
        for (String t : trackers) {
            List<String> tier = Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (tier.isEmpty()) {
                throw new BadInputException("--tracker '" + t + "' names no tracker");
            }
            creator.trackerTier(tier);
        }
        webSeeds.forEach(creator::webSeed);
        if (threads != null) {
            if (threads < 1) {
                throw new BadInputException("--threads must be at least 1");
            }
            creator.threads(threads);
        }
        if (noDate) {
            creator.creationDate(null);
        }
        ProgressBar bar = quiet ? null : new ProgressBar(parent.err, "hashing", ProgressBar.stderrIsTerminal());
        if (bar != null) {
            creator.progress(bar::update);
        }
        byte[] bytes = creator.create();
        if (bar != null) {
            bar.finish();
        }
        writeAtomically(out, bytes);
        Torrent t = Torrent.parse(bytes);
        parent.out.println("created " + output + ": " + t.name() + ", " + t.files().stream().filter(f -> !f.padding())
                .count() + " file(s), " + Units.bytes(t.totalLength()) + ", " + t.pieceCount() + " pieces of "
                + Units.bytes(t.pieceLength()) + ", " + t.version().name().toLowerCase(java.util.Locale.ROOT));
        if (t.infoHashV1() != null) {
            parent.out.println("info-hash v1: " + t.infoHashV1().hex());
        }
        if (t.infoHashV2() != null) {
            parent.out.println("info-hash v2: " + t.infoHashV2().hex());
        }
        return Cli.OK;
    }

    /** Writes to a temporary file beside the target, then renames it over the target. */
    static void writeAtomically(Path target, byte[] bytes) throws java.io.IOException {
        Path dir = target.getParent() == null ? Path.of(".") : target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
