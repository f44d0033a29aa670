package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.stampede.api.StrategyKind;

/** Which strategy a torrent starts with, and the shape of a per-torrent selection in ConfigurationAdmin. */
class SelectionsTest {
    private static final Set<String> INSTALLED = Set.of("rarest-first", "sequential");

    @Test
    void strategyNamedWhenAddingComesBeforeTheStoredOne() {
        assertEquals(new Selections.Choice("rarest-first", "start", null),
                Selections.choose(StrategyKind.PICKER, "rarest-first", "sequential", INSTALLED::contains));
    }

    @Test
    void storedStrategyIsUsedWhenInstalled() {
        assertEquals(new Selections.Choice("sequential", "start (stored selection)", null),
                Selections.choose(StrategyKind.PICKER, null, "sequential", INSTALLED::contains));
    }

    @Test
    void storedStrategyThatIsNotInstalledGivesTheDefaultAndSaysSo() {
        Selections.Choice c = Selections.choose(StrategyKind.PICKER, null, "gone", INSTALLED::contains);
        assertNull(c.name());
        assertEquals("start (stored picker 'gone' is not installed; default)", c.reason());
        assertEquals("stored picker 'gone' is not installed; starting with the default", c.note());
    }

    @Test
    void nothingStoredGivesTheDefault() {
        assertEquals(new Selections.Choice(null, "start", null),
                Selections.choose(StrategyKind.CHOKER, null, null, INSTALLED::contains));
    }

    @Test
    void strategyKindsMapToTheConfigurationProperties() {
        assertEquals("picker", Selections.property(StrategyKind.PICKER));
        assertEquals("choker", Selections.property(StrategyKind.CHOKER));
        assertEquals("seedChoker", Selections.property(StrategyKind.SEED_CHOKER));
        assertThrows(IllegalArgumentException.class, () -> Selections.property("seedChoker"));
    }

    @Test
    void configurationPropertiesBecomeASelectionByKindWithoutMalformedValues() {
        assertEquals(Map.of(StrategyKind.PICKER, "sequential", StrategyKind.SEED_CHOKER, "anti-leech"),
                Selections.fromProperties(Map.of("infoHash", "ab".repeat(20), "picker", "sequential",
                        "seedChoker", "anti-leech", "choker", "not an id", "service.pid", "x")));
        assertEquals(Map.of(), Selections.fromProperties(Map.of("picker", 42)));
    }

    @Test
    void infoHashMustBeFortyOrSixtyFourLowerCaseHexDigits() {
        assertEquals("ab".repeat(20), Selections.checkInfoHash("ab".repeat(20)));
        assertEquals("0f".repeat(32), Selections.checkInfoHash("0f".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> Selections.checkInfoHash("AB".repeat(20)));
        assertThrows(IllegalArgumentException.class, () -> Selections.checkInfoHash("ab".repeat(21)));
        assertThrows(IllegalArgumentException.class, () -> Selections.checkInfoHash("x)(y=*" + "a".repeat(34)));
        assertThrows(IllegalArgumentException.class, () -> Selections.checkInfoHash(null));
    }
}
