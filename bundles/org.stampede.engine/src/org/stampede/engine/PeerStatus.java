package org.stampede.engine;

/**
 * A snapshot of one connected peer, for the UI and tests.
 *
 * @param transport the transport's kind ({@code tcp}, {@code utp}, ...)
 * @param encrypted whether a transport layer encrypts the connection
 */
public record PeerStatus(String address, String client, boolean outgoing, double progress, long downloadRate,
        long uploadRate, long downloaded, long uploaded, boolean amChoking, boolean amInterested,
        boolean peerChoking, boolean peerInterested, boolean snubbed, boolean optimistic, int outstanding,
        String transport, boolean encrypted) {
}
