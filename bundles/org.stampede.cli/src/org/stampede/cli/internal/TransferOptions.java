package org.stampede.cli.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.stampede.engine.AddOptions;
import org.stampede.engine.EngineSettings;

import picocli.CommandLine.Option;

/** The options that {@code download} and {@code seed} share. */
final class TransferOptions {
    @Option(names = "--port", paramLabel = "N", description = "TCP port for peers (default 6881; 0 = any free port).")
    int port = 6881;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
    String bind = "0.0.0.0";

    @Option(names = "--picker", paramLabel = "ID", description = "Piece picker (default rarest-first).")
    String picker;

    @Option(names = "--choker", paramLabel = "ID", description = "Choker while downloading (default tit-for-tat).")
    String choker;

    @Option(names = "--seed-choker", paramLabel = "ID",
            description = "Choker while seeding (default round-robin).")
    String seedChoker;

    @Option(names = "--down-limit", paramLabel = "KiB/s", description = "Download rate limit (0 = none).")
    long downLimit;

    @Option(names = "--up-limit", paramLabel = "KiB/s", description = "Upload rate limit (0 = none).")
    long upLimit;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Connect to this peer too; repeatable.")
    List<String> peers = new ArrayList<>();

    EngineSettings settings(Path stateDir) throws BadInputException {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port " + port + " is not 0 to 65535");
        }
        if (downLimit < 0 || upLimit < 0) {
            throw new BadInputException("rate limits must not be negative");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind " + bind + ": not an address");
        }
        EngineSettings s = EngineSettings.defaults().withBind(address, port).withLimits(downLimit * 1024,
                upLimit * 1024).withStateDir(stateDir);
        return s;
    }

    AddOptions addOptions(boolean seed) {
        return new AddOptions(picker, choker, seedChoker, 0, 0, seed);
    }

    List<InetSocketAddress> peerAddresses() throws BadInputException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String p : peers) {
            int i = p.lastIndexOf(':');
            try {
                String host = p.substring(0, i).replace("[", "").replace("]", "");
                int port = Integer.parseInt(p.substring(i + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                out.add(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (RuntimeException | UnknownHostException e) {
                throw new BadInputException("--peer " + p + ": not HOST:PORT");
            }
        }
        return out;
    }
}
