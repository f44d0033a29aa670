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
    /** Highest rate limit in KiB/s (1 TiB/s; the session setting has the same bound). */
    private static final long MAX_LIMIT = 1L << 30;

    @Option(names = "--port", paramLabel = "N",
            description = "TCP port for peers (default: the listenPort setting, 6881; 0 = any free port).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
    String bind = "0.0.0.0";

    @Option(names = "--picker", paramLabel = "ID", description = "Piece picker, stored for this torrent (default: "
            + "the torrent's stored one, else the picker setting, rarest-first).")
    String picker;

    @Option(names = "--choker", paramLabel = "ID", description = "Choker while downloading, stored for this torrent "
            + "(default: the torrent's stored one, else the choker setting, tit-for-tat).")
    String choker;

    @Option(names = "--seed-choker", paramLabel = "ID",
            description = "Choker while seeding, stored for this torrent (default: the torrent's stored one, else "
                    + "the seedChoker setting, round-robin).")
    String seedChoker;

    @Option(names = "--down-limit", paramLabel = "KiB/s",
            description = "Download rate limit (default: the downloadLimit setting; 0 = none).")
    Long downLimit;

    @Option(names = "--up-limit", paramLabel = "KiB/s",
            description = "Upload rate limit (default: the uploadLimit setting; 0 = none).")
    Long upLimit;

    @Option(names = "--control-port", paramLabel = "N",
            description = "Port on 127.0.0.1 for `stampede control` (default 0: any free port; see <dir>/.stampede/control.json).")
    int controlPort;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Connect to this peer too; repeatable.")
    List<String> peers = new ArrayList<>();

    EngineSettings settings(Path stateDir) throws BadInputException {
        if (port != null && (port < 0 || port > 65535)) {
            throw new BadInputException("--port " + port + " is not 0 to 65535");
        }
        if (controlPort < 0 || controlPort > 65535) {
            throw new BadInputException("--control-port " + controlPort + " is not 0 to 65535");
        }
        if (downLimit != null && downLimit < 0 || upLimit != null && upLimit < 0) {
            throw new BadInputException("rate limits must not be negative");
        }
        if (downLimit != null && downLimit > MAX_LIMIT || upLimit != null && upLimit > MAX_LIMIT) {
            throw new BadInputException("rate limits must be at most " + MAX_LIMIT + " KiB/s");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind " + bind + ": not an address");
        }
        // the stored session settings (`stampede config`), each flag overriding its setting for this run only
        EngineSettings s = SessionDefaults.settings();
        return s.withBind(address, port != null ? port : s.listenPort())
                .withLimits(downLimit != null ? downLimit * 1024 : s.downloadLimit(),
                        upLimit != null ? upLimit * 1024 : s.uploadLimit())
                .withStateDir(stateDir);
    }

    /** The strategies named by flags, by setting (picker, choker, seedChoker). */
    java.util.Map<String, String> namedStrategies() {
        java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
        if (picker != null) {
            named.put(org.stampede.engine.EngineConfiguration.PICKER, picker);
        }
        if (choker != null) {
            named.put(org.stampede.engine.EngineConfiguration.CHOKER, choker);
        }
        if (seedChoker != null) {
            named.put(org.stampede.engine.EngineConfiguration.SEED_CHOKER, seedChoker);
        }
        return named;
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
