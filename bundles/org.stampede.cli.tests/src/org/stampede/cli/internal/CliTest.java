package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

class CliTest {
    @Test
    void printsName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Cli.run(new String[0], new PrintStream(out), System.err));
        assertEquals("stampede\n", out.toString());
    }
}
