/**
 * The engine's plug points beyond strategies: transports, transport layers, peer sources and BEP 10 extension
 * messages, each an OSGi service that the engine picks up, holds and lets go while torrents keep running.
 * <p>
 * <b>Transports.</b> A {@link org.stampede.spi.Transport} listens and dials and hands the engine a
 * {@link org.stampede.spi.Connection}: a byte stream with back-pressure that knows nothing of BitTorrent. The engine
 * frames, decodes and answers the peer wire protocol itself. A {@link org.stampede.spi.TransportLayer} wraps every
 * transport (encryption is one). The engine dials with the transport of highest {@code service.ranking} that
 * {@link org.stampede.spi.Transport#canDial can dial} an address and falls back to the next when a dial fails;
 * uninstalling a transport's bundle closes its listener and its connections, and nothing else.
 * <p>
 * <b>Peer sources.</b> A {@link org.stampede.spi.PeerSource} is started for each running torrent and feeds
 * addresses, each tagged with its {@link org.stampede.spi.PeerOrigin}, into the torrent's bounded peer list through
 * a {@link org.stampede.spi.PeerSink}. Tracker announces are the engine's own peer source; DHT, PEX and LSD bundles
 * are others.
 * <p>
 * <b>Extensions.</b> An {@link org.stampede.spi.Extension} is keyed by its BEP 10 name: the engine puts the name in
 * the {@code m} dictionary of its extension handshake, and when a peer's handshake names it too, the extension gets a
 * per-connection {@link org.stampede.spi.ExtensionConnection} that receives that peer's messages and sends its own.
 * <p>
 * <b>Reaching the session.</b> The engine registers each running {@code org.stampede.engine.Engine} as a service,
 * so a bundle finds the session and its torrents there.
 * <p>
 * <b>Threading.</b> The engine resolves plug-in services when they come and go, never on a per-block or per-message
 * path, and holds the instances. For one connection, {@link org.stampede.spi.ConnectionHandler} methods are called
 * by the transport one at a time, in order, from its I/O threads; they never block. {@code Connection} methods may
 * be called from any thread and must not block either. Extension and peer-source callbacks are made from network
 * and timer threads with the torrent's lock held: they must be quick and must not block (hand slow work to a thread
 * of your own). Peer sources are started and stopped, and transports dial, on the engine's plug-in threads, so one
 * that blocks holds only such a thread. A plug-in that throws is isolated like a faulty strategy: logged and, for
 * that torrent or connection, no longer called; the torrent keeps running.
 * <p>
 * <b>Versions.</b> Interfaces marked {@code @ConsumerType} are implemented by plug-ins, so adding a method to one
 * is a major change; those marked {@code @ProviderType} are implemented by the engine, so a plug-in only calls them.
 */
package org.stampede.spi;
