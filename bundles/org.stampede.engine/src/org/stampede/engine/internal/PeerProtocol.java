package org.stampede.engine.internal;

import org.stampede.wire.ExtensionHandshake;
import org.stampede.wire.Message;

/**
 * The peer wire protocol of one torrent (BEP 3, the Fast extension of BEP 6, the extension protocol of BEP 10): what
 * each message from a peer means for the torrent, and our interest in each peer. Under the torrent's lock; a message
 * that breaks the protocol throws {@link Violation}, which closes the connection with the reason.
 */
final class PeerProtocol {
    private final TorrentSession s;
    private final TorrentState state;

    PeerProtocol(TorrentSession session) {
        this.s = session;
        this.state = session.state;
    }

    void handle(PeerConnection p, Message m) {
        switch (m) {
            case Message.KeepAlive k -> {
            }
            case Message.Choke c -> {
                p.peerChoking = true;
                if (!p.fast) {
                    // without the Fast extension a choke discards every request
                    s.requests.releaseAll(p, false);
                }
            }
            case Message.Unchoke u -> {
                p.peerChoking = false;
                s.requests.fill(p);
            }
            case Message.Interested i -> {
                p.peerInterested = true;
                s.chokes.peerInterested();
            }
            case Message.NotInterested n -> {
                p.peerInterested = false;
            }
            case Message.Have h -> {
                if (p.pieces.set(h.index())) {
                    state.peerHas(h.index());
                    if (!p.amInterested && state.wanted().contains(h.index())) {
                        setInterested(p, true);
                    }
                    s.requests.fill(p);
                }
            }
            case Message.Bitfield b -> {
                // a repeated or late bitfield replaces what we knew (aria2 sends its bitfield twice, around its
                // allowed-fast set; libtorrent takes it too): the old pieces stop counting, the new ones count once
                byte[] bits = new byte[b.length()];
                b.bits().duplicate().get(bits);
                Bitfield theirs = Bitfield.fromWire(bits, state.pieceCount());
                state.peerGone(p.pieces);
                p.pieces = theirs;
                state.peerHasAll(p.pieces);
                updateInterest(p);
                s.requests.fill(p);
            }
            case Message.HaveAll a -> {
                state.peerGone(p.pieces); // a repeated or late have-all must not count pieces twice
                p.pieces.setAll();
                state.peerHasAll(p.pieces);
                updateInterest(p);
            }
            case Message.HaveNone n -> {
            }
            case Message.Request r -> s.uploads.onRequest(p, r);
            case Message.Piece pc -> s.requests.onPiece(p, pc);
            case Message.Cancel c -> p.cancelUpload(c.index(), c.begin(), c.length());
            case Message.RejectRequest r -> {
                int block = r.begin() / TorrentState.BLOCK;
                if (p.hasPending(r.index(), block, true)) {
                    state.unrequested(r.index(), block);
                    s.requests.fill(p);
                }
            }
            case Message.AllowedFast a -> {
                p.allowedFast.set(a.index());
                if (p.peerChoking) {
                    s.requests.fill(p);
                }
            }
            case Message.SuggestPiece sp -> {
            }
            case Message.Port port -> {
            }
            case Message.Unknown u -> {
                // unknown message ids are ignored (BEP 3 leaves room for extensions)
            }
            case Message.Extended e -> {
                if (e.extendedId() == 0) {
                    ExtensionHandshake hs;
                    try {
                        hs = ExtensionHandshake.decode(e.payload());
                    } catch (org.stampede.wire.ProtocolException ex) {
                        throw new Violation("bad extension handshake: " + ex.getMessage());
                    }
                    hs.client().ifPresent(name -> p.clientName = name);
                    s.extensionHost.theirHandshake(p, hs);
                } else {
                    s.extensionHost.message(p, e);
                }
            }
        }
    }

    /** Interest follows whether the peer has a piece we want and do not have. */
    void updateInterest(PeerConnection p) {
        boolean want = p.pieces.hasAnyNotIn(state.have(), state.wanted());
        setInterested(p, want);
        if (want) {
            s.requests.fill(p);
        }
    }

    void setInterested(PeerConnection p, boolean interested) {
        if (p.amInterested != interested) {
            p.amInterested = interested;
            p.send(interested ? Message.Interested.INSTANCE : Message.NotInterested.INSTANCE);
        }
    }

    /** A peer whose pieces we all have and that has nothing asked of it is no longer interesting. */
    void dropInterestIfDone(PeerConnection p) {
        if (p.amInterested && p.pending.isEmpty() && !p.pieces.hasAnyNotIn(state.have(), state.wanted())) {
            setInterested(p, false);
        }
    }
}
