package org.stampede.cli.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.stampede.tracker.server.EmbeddedTracker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stampede tracker}: the embedded HTTP and UDP tracker, until interrupted. */
@Command(name = "tracker", mixinStandardHelpOptions = true, description = "Run the embedded tracker (HTTP and UDP).")
final class TrackerCommand implements Callable<Integer> {
    @ParentCommand
    StampedeCommand parent;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default 6969; 0 = any free port).")
    int port = 6969;

    @Option(names = "--udp-port", paramLabel = "N", description = "UDP port (default: the HTTP port).")
    Integer udpPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
    String bind = "0.0.0.0";

    @Override
    public Integer call() throws Exception {
        int udp = udpPort == null ? port : udpPort;
        if (port < 0 || port > 65535 || udp < 0 || udp > 65535) {
            throw new BadInputException("ports must be 0 to 65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind " + bind + ": not an address");
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedTracker tracker = EmbeddedTracker.start(
                EmbeddedTracker.Config.defaults().withBindAddress(address).withPorts(port, udp))) {
            parent.out.println("tracker: " + tracker.httpAnnounceUrl() + " and " + tracker.udpAnnounceUrl());
            parent.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "stampede-tracker-stop"));
            stop.await();
        }
        return Cli.OK;
    }
}
