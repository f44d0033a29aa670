package org.stampede.engine.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.stampede.spi.Extension;
import org.stampede.spi.ExtensionConnection;
import org.stampede.spi.ExtensionPeer;
import org.stampede.spi.SwarmContext;
import org.stampede.wire.ExtensionHandshake;
import org.stampede.wire.Message;

/**
 * BEP 10 for one torrent: our extension handshake names every installed {@link Extension} (ids 1..n in ranking
 * order, one per name), the peer's handshake connects those it names too, and each extended message goes to the
 * handler of its id. Every method runs with the session's lock held. An extension that throws when connecting is
 * left out for that peer; one that throws on a message has the peer disconnected, as its contract says.
 */
final class ExtensionHost {
    private final TorrentSession session;

    ExtensionHost(TorrentSession session) {
        this.session = session;
    }

    /** Our extension handshake to {@code p}; fixes the ids of the extensions installed now for this connection. */
    ExtensionHandshake ourHandshake(PeerConnection p) {
        ExtensionHandshake.Builder b = ExtensionHandshake.builder().client(ExtensionHandshake.CLIENT_NAME)
                .port(session.engine.listenPort()).requestQueue(UploadScheduler.ADVERTISED_REQUEST_QUEUE);
        List<Plugins.Entry<Extension>> installed = session.engine.extensions();
        SwarmContext swarm = session.swarm;
        boolean isPrivate = session.torrent.isPrivate();
        Set<String> names = new HashSet<>();
        PeerConnection.ExtensionSlot[] slots = new PeerConnection.ExtensionSlot[Math.min(installed.size(),
                ExtensionHandshake.MAX_EXTENSIONS)];
        int n = 0;
        for (Plugins.Entry<Extension> e : installed) {
            if (n >= slots.length) {
                break;
            }
            Extension x = e.service();
            String name = e.id();
            try {
                if (isPrivate && !x.allowsPrivate() || !names.add(name)) {
                    continue;
                }
                if (swarm != null) {
                    x.describe(swarm, b);
                }
                b.extension(name, n + 1);
            } catch (RuntimeException | LinkageError ex) {
                session.engine.log(session.infoHashHex + ": extension " + name + " failed to describe itself: " + ex);
                continue;
            }
            slots[n++] = new PeerConnection.ExtensionSlot(x, name);
        }
        p.extensionSlots = n == slots.length ? slots : java.util.Arrays.copyOf(slots, n);
        return b.build();
    }

    /** The peer's extension handshake (again, perhaps: BEP 10 allows updates): connects what both speak. */
    void theirHandshake(PeerConnection p, ExtensionHandshake hs) {
        p.theirExtensions = hs;
        PeerConnection.ExtensionSlot[] slots = p.extensionSlots;
        if (slots == null) {
            return;
        }
        for (PeerConnection.ExtensionSlot slot : slots) {
            OptionalInt id = hs.extensionId(slot.name);
            if (id.isEmpty() || id.getAsInt() == 0) { // 0 disables an extension (BEP 10)
                slot.theirId = 0;
                if (slot.handler != null) {
                    closeQuietly(slot);
                }
                continue;
            }
            slot.theirId = id.getAsInt();
            if (slot.handler == null && !slot.removed && !slot.active) {
                slot.active = true; // it may send from within connected()
                try {
                    slot.handler = slot.extension.connected(new Peer(p, slot));
                    if (slot.handler == null) {
                        slot.active = false;
                    }
                } catch (RuntimeException | LinkageError ex) {
                    slot.active = false;
                    session.engine.log(session.infoHashHex + ": extension " + slot.name + " failed on " + p + ": "
                            + ex);
                }
            }
        }
    }

    /** An extended message other than the handshake: to its extension's handler, or ignored. */
    void message(PeerConnection p, Message.Extended e) {
        PeerConnection.ExtensionSlot[] slots = p.extensionSlots;
        int id = e.extendedId();
        if (slots == null || id < 1 || id > slots.length) {
            return; // an id we never gave: BEP 10 says ignore
        }
        PeerConnection.ExtensionSlot slot = slots[id - 1];
        if (slot.handler == null) {
            return;
        }
        try {
            slot.handler.received(e.payload().duplicate());
        } catch (RuntimeException | LinkageError ex) {
            throw new Violation(slot.name + ": " + ex.getMessage());
        }
    }

    /** The connection closed: its extensions hear of it. */
    void close(PeerConnection p) {
        PeerConnection.ExtensionSlot[] slots = p.extensionSlots;
        if (slots != null) {
            for (PeerConnection.ExtensionSlot slot : slots) {
                closeQuietly(slot);
            }
        }
    }

    /** Extensions were removed: their handlers on every connection are closed, their messages ignored from now. */
    void extensionsChanged(Iterable<PeerConnection> peers) {
        Set<Extension> installed = new HashSet<>();
        for (Plugins.Entry<Extension> e : session.engine.extensions()) {
            installed.add(e.service());
        }
        for (PeerConnection p : peers) {
            PeerConnection.ExtensionSlot[] slots = p.extensionSlots;
            if (slots == null) {
                continue;
            }
            for (PeerConnection.ExtensionSlot slot : slots) {
                if (!installed.contains(slot.extension)) {
                    slot.removed = true;
                    closeQuietly(slot);
                }
            }
        }
    }

    private void closeQuietly(PeerConnection.ExtensionSlot slot) {
        ExtensionConnection h = slot.handler;
        slot.handler = null;
        slot.active = false;
        if (h != null) {
            try {
                h.closed();
            } catch (RuntimeException | LinkageError ex) {
                session.engine.log(session.infoHashHex + ": extension " + slot.name + " failed to close: " + ex);
            }
        }
    }

    /** A connected peer as one extension sees it. */
    private final class Peer implements ExtensionPeer {
        private final PeerConnection p;
        private final PeerConnection.ExtensionSlot slot;

        Peer(PeerConnection p, PeerConnection.ExtensionSlot slot) {
            this.p = p;
            this.slot = slot;
        }

        @Override
        public InetSocketAddress address() {
            return p.address();
        }

        @Override
        public String client() {
            return p.clientName;
        }

        @Override
        public SwarmContext torrent() {
            return session.swarm;
        }

        @Override
        public ExtensionHandshake handshake() {
            return p.theirExtensions;
        }

        @Override
        public boolean isSeed() {
            return p.isSeed();
        }

        @Override
        public boolean send(ByteBuffer payload) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
            session.lock.lock(); // one writer at a time on a connection: a piece's two buffers stay together
            try {
                if (!slot.active || slot.theirId == 0 || !p.channel.isOpen()
                        || !session.peers.containsKey(p.id)) {
                    return false;
                }
                if (p.channel.queuedBytes() > UploadScheduler.SEND_QUEUE_HIGH) {
                    return false; // a peer that does not read cannot make us queue without end
                }
                p.send(new Message.Extended(slot.theirId, copy));
                return true;
            } finally {
                session.lock.unlock();
            }
        }

        @Override
        public void close(String reason) {
            p.channel.close(slot.name + ": " + reason);
        }

        @Override
        public String toString() {
            return slot.name + " on " + p;
        }
    }
}
