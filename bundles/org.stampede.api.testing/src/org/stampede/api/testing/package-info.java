/**
 * Test support for strategy plugins: the engine's side of the {@link org.stampede.api} views, built and changed
 * by a test, so that a {@link org.stampede.api.PiecePicker} or a {@link org.stampede.api.Choker} can be unit-tested
 * without an engine, a network or OSGi. It depends on {@code org.stampede.api} only, and on no test framework:
 * helpers return what they recorded and the test asserts with the framework of its choice.
 * <ul>
 * <li>{@link org.stampede.api.testing.TestTorrent}: a {@link org.stampede.api.TorrentView} of pieces, blocks, files,
 * priorities, availability, deadlines, endgame and clock that keeps its sets consistent as the engine does, and
 * keeps and tells a picker's news as the engine does;</li>
 * <li>{@link org.stampede.api.testing.TestPeer}: a {@link org.stampede.api.PeerView} with settable pieces, choke
 * and interest state, Fast extension and traffic;</li>
 * <li>{@link org.stampede.api.testing.MutablePieceSet}: the {@link org.stampede.api.PieceSet} behind both;</li>
 * <li>{@link org.stampede.api.testing.RecordingRequests}: the {@link org.stampede.api.BlockRequests} of one pick,
 * accepting and refusing as the engine does and recording the offers;</li>
 * <li>{@link org.stampede.api.testing.RecordedDecision}: the {@link org.stampede.api.ChokeDecision} of one round,
 * recording the unchokes;</li>
 * <li>{@link org.stampede.api.testing.ChokerSwarm}: drives a choker round after round in virtual time, applying
 * its decisions to the peers as the engine does.</li>
 * </ul>
 * None of these classes is thread-safe; like the engine, which calls one torrent's strategies one call at a time,
 * use each from one thread.
 */
package org.stampede.api.testing;
