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
 * per torrent), so an instance needs no locking of its own. Views are only valid during the call that received
 * them; do not keep them. Calls must be quick: the engine measures them and falls back to the default strategy
 * when one throws or overruns its time budget.
 */
package org.stampede.api;
