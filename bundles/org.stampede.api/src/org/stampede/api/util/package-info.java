/**
 * Helpers that several strategies need, versioned with the strategy API so that strategy bundles share them
 * instead of copying them: a {@link org.stampede.api.util.KeyedHeap} for pickers that want the first few of many
 * pieces without a sort, and the mainline {@link org.stampede.api.util.OptimisticUnchoke} slot for chokers.
 * Importing this package is importing the strategy API; nothing here knows the engine. Its classes are final, so
 * every importer only uses them and takes a range up to the next major version ({@code [0.1.0,1.0.0)}).
 *
 * @since 0.1
 */
package org.stampede.api.util;
