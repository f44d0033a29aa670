/**
 * The one API a strategy plugin depends on: piece pickers and chokers as OSGi services, the read-only views of a
 * torrent and its peers they decide on, and the decision types they return.
 * <p>
 * A strategy bundle registers a {@link org.stampede.api.PiecePickerFactory} or a
 * {@link org.stampede.api.ChokerFactory} as a Declarative Services component carrying a
 * {@link org.stampede.api.StrategyName} property. The engine resolves a factory once per torrent and holds the
 * instance it creates; it never looks a service up on a per-block or per-message path. Swapping a strategy
 * replaces the held instance; the new one starts from the engine's current state, which the views expose.
 * <p>
 * Threading: the engine calls one torrent's strategy instances from one thread at a time (calls are serialised
 * per torrent), so an instance needs no locking of its own. That thread is one of the engine's strategy threads,
 * never a network, disk or timer thread: a call that blocks stalls its own torrent only (its status says so) and
 * no peer of another. Views are only valid during the call that received them; do not keep them. Calls must be
 * quick: the engine measures them and falls back to the default strategy when one throws or overruns its time
 * budget. A picker may also hear what changed between its picks (pieces verified and failed, priorities,
 * availability, deadlines: see {@link org.stampede.api.PiecePicker}), on the same thread, batched, and always
 * after the view shows the change; the view also describes the torrent's files ({@link
 * org.stampede.api.TorrentView#fileCount()} and the methods after it).
 * <p>
 * <b>Versions.</b> The interfaces a strategy implements ({@link org.stampede.api.PiecePicker},
 * {@link org.stampede.api.PiecePickerFactory}, {@link org.stampede.api.Choker}, {@link org.stampede.api.ChokerFactory})
 * are {@code @ConsumerType}: adding an abstract method to one is a major change. The views and the decision types a
 * strategy is handed ({@link org.stampede.api.TorrentView}, {@link org.stampede.api.PeerView},
 * {@link org.stampede.api.PieceSet}, {@link org.stampede.api.BlockRequests}, {@link org.stampede.api.ChokeDecision})
 * are {@code @ProviderType}: only the engine, the strategy lab and {@code org.stampede.api.testing} implement them,
 * so they may grow in a minor version. A strategy bundle imports the package with a range up to the next major
 * version ({@code [0.1.0,1.0.0)}, or from the minor version that brought a method it uses: {@code [0.3.0,1.0.0)}
 * for the news and the files of 0.3); a bundle that implements the provider types, up to the next minor one
 * ({@code [0.3.0,0.4.0)} for version 0.3).
 *
 * @since 0.1
 */
package org.stampede.api;
