package org.stampede.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A configuration says which value is wrong. */
class LabConfigTest {
    @Test
    void aFreeRiderFractionAboveOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.defaults().withFreeRiders(1.5));
        assertEquals("free riders must be a fraction from 0 to 1: 1.5", e.getMessage());
    }

    @Test
    void aSwarmTooLargeToBookkeepIsRejectedBeforeAnythingIsAllocated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabConfig.defaults().withSwarm(5_000, 1_000_000, 256 * 1024));
        assertTrue(e.getMessage().startsWith("(peers + 1) x pieces x blocks per piece must be at most"),
                e.getMessage());
    }

    @Test
    void theFreeRiderCountIsTheRoundedFractionOfTheLeechers() {
        assertEquals(7, LabConfig.defaults().withSwarm(33, 10, 16384).withFreeRiders(0.2).freeRiderCount());
    }
}
