package org.stampede.cli.internal;

/** Input the user gave is wrong (exit status 2): the message says what and where. */
final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
