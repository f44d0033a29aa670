package org.stampede.engine.internal;

import java.util.List;

import org.stampede.metainfo.Torrent;
import org.stampede.spi.PeerSink;
import org.stampede.spi.SwarmContext;

/** A torrent as peer sources and extensions see it (see {@link SwarmContext}). */
final class SwarmView implements SwarmContext {
    private final EngineImpl engine;
    private final ManagedTorrent handle;

    SwarmView(EngineImpl engine, ManagedTorrent handle) {
        this.engine = engine;
        this.handle = handle;
    }

    @Override
    public byte[] infoHash() {
        return handle.session.infoHash.clone();
    }

    @Override
    public byte[] infoHashV2() {
        Torrent t = handle.session.torrent;
        return t.infoHashV2() == null ? null : t.infoHashV2().bytes();
    }

    @Override
    public String infoHashHex() {
        return handle.session.infoHashHex;
    }

    @Override
    public String name() {
        return handle.session.torrent.name();
    }

    @Override
    public boolean isPrivate() {
        return handle.session.torrent.isPrivate();
    }

    @Override
    public List<List<String>> trackers() {
        return handle.session.torrent.trackers();
    }

    @Override
    public byte[] peerId() {
        return engine.peerId.bytes();
    }

    @Override
    public int listenPort() {
        return engine.listenPort;
    }

    @Override
    public long uploaded() {
        return handle.session.up.total();
    }

    @Override
    public long downloaded() {
        return handle.session.down.total();
    }

    @Override
    public long left() {
        return handle.session.bytesLeft();
    }

    @Override
    public boolean complete() {
        return handle.session.state.complete();
    }

    @Override
    public PeerSink peers() {
        return handle.peerList;
    }

    @Override
    public void log(String message) {
        engine.log(handle.session.infoHashHex + ": " + message);
    }

    /** Shows an error in the torrent's status (a tracker that fails). */
    void error(String message) {
        handle.session.error = message;
    }
}
