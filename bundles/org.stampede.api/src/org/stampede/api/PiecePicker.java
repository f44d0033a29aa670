package org.stampede.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses which blocks to request from a peer: one instance per torrent, made by a {@link PiecePickerFactory}.
 * Endgame is the engine's: when every missing wanted block is requested, {@link TorrentView#endgame()} is true
 * and the engine accepts blocks already requested from other peers, cancelling the duplicates when one arrives.
 *
 * <h2>News</h2>
 * A picker that keeps an order of its own between picks (pieces bucketed by availability, as libtorrent's
 * {@code piece_picker} does; the pieces with a deadline; the highest priority wanted) hears what changes it:
 * {@link #pieceVerified}, {@link #pieceFailed}, {@link #priorityChanged}, {@link #availabilityChanged} and
 * {@link #deadlineChanged}. A picker that reads everything it needs from the view in each {@link #pick} may ignore
 * them all: every one has a default that does nothing. The rules, the same in the engine, the strategy lab and
 * {@code org.stampede.api.testing}:
 * <ul>
 * <li><b>Threads.</b> News comes on the torrent's strategy task, like {@link #pick}: one call at a time per torrent,
 * never on a network, disk or timer thread, so a picker needs no locking. The engine's network threads only mark
 * what changed; the strategy task tells the picker.</li>
 * <li><b>The view first.</b> When a call comes, the view already shows the change, and may show later ones too
 * (news trails the view, it never leads it). A call says <em>which</em> pieces to look at again, not by how much
 * they changed: read the new values from the view. So a picker that built its order from the view at any moment
 * (in {@link PiecePickerFactory#create}, or lazily in its first pick) stays right when it then hears of changes it
 * has already seen. A picker hears of no change made before it was created; a new or swapped-in picker reads the
 * state from the view.</li>
 * <li><b>Batched.</b> Changes are coalesced until the strategy task runs: a bitfield of 10,000 pieces, a peer that
 * leaves with them, or many {@code have} messages from many peers make one {@link #availabilityChanged} call that
 * names every piece concerned, not a call per piece. The {@link PieceSet} of a call is never empty. It names every
 * piece whose value changed, and possibly a few whose value went back to what it was (a peer that sent a second
 * bitfield). It belongs to the engine and is valid only during the call: copy what you keep.</li>
 * <li><b>Before the next pick.</b> Every change the view shows has been told before the engine next calls
 * {@link #pick} (or before that pick, in the same run of the strategy task).</li>
 * <li><b>Order.</b> One run of the strategy task tells, in this order: the pieces verified and failed, each by its
 * own call in the order they were checked; then {@link #priorityChanged}; then {@link #availabilityChanged}; then
 * {@link #deadlineChanged}; then the picks.</li>
 * <li><b>Cost.</b> Calls are timed like picks, and count against the same budget: keep them O(pieces named).
 * Marking a change costs the engine no allocation, and a piece changed many times before the task runs is named
 * once.</li>
 * </ul>
 *
 * @since 0.1
 */
@ConsumerType
public interface PiecePicker {
    /**
     * Offers blocks to request from {@code peer} to {@code requests} until it accepts no more
     * ({@link BlockRequests#remaining()} is 0) or the picker has nothing more to offer. Called when the peer
     * unchokes us, has new pieces, or has room in its request queue.
     */
    void pick(TorrentView torrent, PeerView peer, BlockRequests requests);

    /**
     * A piece passed its hash check: the view shows it in {@link TorrentView#have()}, no longer wanted nor partial,
     * and without a deadline (a verified piece loses its deadline with no {@link #deadlineChanged} call).
     */
    default void pieceVerified(TorrentView torrent, int piece) {
    }

    /**
     * A piece failed its hash check, or a piece we had is lost (storage could no longer vouch for its bytes after a
     * failed write-back): it is not had, its blocks are missing again, and it is wanted if its priority says so.
     */
    default void pieceFailed(TorrentView torrent, int piece) {
    }

    /**
     * The {@link TorrentView#priority priority} of {@code pieces} changed, and with it whether they are
     * {@link TorrentView#wanted() wanted}: the user set a file's priority or a piece's own. A change of a file's
     * priority that leaves its pieces' priorities as they were is not told (read {@link TorrentView#filePriority}
     * when you need it).
     *
     * @param pieces the pieces to look at again; valid only during the call
     * @since 0.3
     */
    default void priorityChanged(TorrentView torrent, PieceSet pieces) {
    }

    /**
     * The {@link TorrentView#availability availability} of {@code pieces} changed: peers announced them
     * ({@code have}, {@code bitfield}, {@code have all}) or a peer that had them left. One call covers every change
     * since the last: a peer's bitfield of 10,000 pieces is one call, not 10,000.
     *
     * @param pieces the pieces to look at again; valid only during the call
     * @since 0.3
     */
    default void availabilityChanged(TorrentView torrent, PieceSet pieces) {
    }

    /**
     * The {@link TorrentView#deadline deadline} of {@code pieces} was set, moved or cleared (by a player reading the
     * torrent while it downloads). Not called when a piece loses its deadline by being verified
     * ({@link #pieceVerified} says so), nor for a deadline asked of a piece we have (which keeps none).
     *
     * @param pieces the pieces to look at again; valid only during the call
     * @since 0.3
     */
    default void deadlineChanged(TorrentView torrent, PieceSet pieces) {
    }

    /** The instance is being replaced or its torrent removed. */
    default void close() {
    }
}
