package org.stampede.tracker.internal;

/** A tracker reply that cannot be accepted; the transport turns it into a TrackerException naming the tracker. */
final class BadReply extends Exception {
    private static final long serialVersionUID = 1L;

    BadReply(String what) {
        super(what, null, false, false);
    }
}
