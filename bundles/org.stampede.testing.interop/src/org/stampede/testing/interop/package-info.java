/**
 * Test support for the interop tests: the real counterparts (libtorrent's Python bindings through the scripts in
 * {@code releng/interop}, {@code /usr/bin/opentracker}, {@code mktorrent}) run as separate processes on loopback,
 * each bounded in time and always stopped on close.
 * <p>
 * A test first calls {@link org.stampede.testing.interop.Interop#requireLibtorrent(String...)} or
 * {@link org.stampede.testing.interop.Interop#requireOpentracker()}: when a counterpart is missing the test is
 * skipped with the reason, unless the environment variable {@code STAMPEDE_REQUIRE_INTEROP=1} is set (as
 * {@code .ci/run} does), where it fails instead. Failures are JUnit assertion failures, so this bundle imports
 * {@code org.junit.jupiter.api}; it is for test fragments only and in no feature.
 */
package org.stampede.testing.interop;
