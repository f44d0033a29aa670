package org.stampede.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The parts of {@code stampede config} that need no framework: its KEY=VALUE arguments. */
class ConfigCommandTest {

    @Test
    void assignmentsSplitAtTheFirstEqualsSignKeepingOrderAndEmptyValues() throws Exception {
        assertEquals(List.of(Map.entry("downloadFolder", "/a=b"), Map.entry("picker", "")),
                List.copyOf(ConfigCommand.assignments(List.of("downloadFolder=/a=b", "picker=")).entrySet()));
    }

    @Test
    void argumentWithoutAKeyIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigCommand.assignments(List.of("=sequential")));
        assertEquals("'=sequential' is not KEY=VALUE", e.getMessage());
        assertThrows(BadInputException.class, () -> ConfigCommand.assignments(List.of("picker")));
    }

    @Test
    void keyGivenTwiceIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigCommand.assignments(List.of("picker=a", "picker=b")));
        assertEquals("picker is given twice", e.getMessage());
    }

    @Test
    void configWithoutAFrameworkFailsWithOneErrorLine() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = Cli.run(new String[] { "config" }, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err));
        assertEquals(Cli.FAILURE, status);
        assertEquals(1, err.toString().lines().count(), err::toString);
    }
}
