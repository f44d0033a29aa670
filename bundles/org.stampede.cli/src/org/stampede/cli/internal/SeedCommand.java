package org.stampede.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.stampede.metainfo.Torrent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stampede seed}: checks the data (from resume data when possible), then seeds until interrupted. */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Seed a torrent from the folder that holds its data.")
final class SeedCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Parameters(index = "0", paramLabel = "<torrent>")
    Path torrentFile;

    @Parameters(index = "1", paramLabel = "<dir>", description = "The folder that holds the torrent's data.")
    Path dir;

    @Mixin
    TransferOptions transfer = new TransferOptions();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(torrentFile)) {
            throw new BadInputException(torrentFile + ": no such file");
        }
        DownloadCommand.prepareFolder(dir, "", false);
        Torrent torrent;
        try {
            torrent = Torrent.read(torrentFile);
        } catch (org.stampede.metainfo.MetainfoException e) {
            throw new org.stampede.metainfo.MetainfoException(torrentFile + ": " + e.getMessage(), e);
        }
        return DownloadCommand.run(parent, torrent, dir, transfer, true, "seed");
    }
}
