package org.stampede.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The memory oracle tells a parse that allocates what its input claims from one that allocates what it got. */
class AllocationTest {
    private static byte[] sink;

    @Test
    void aParseThatAllocatesAClaimedLengthIsAFinding() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Allocation.bounded(20, 128, () -> sink = new byte[8 << 20]));
        assertTrue(e.getMessage().contains("a parse of 20 bytes allocated"), e.getMessage());
    }

    @Test
    void aParseThatAllocatesInProportionToItsInputPasses() {
        Allocation.bounded(64 << 10, 128, () -> sink = new byte[4 * (64 << 10)]);
        Allocation.bounded(0, 128, () -> sink = new byte[512 << 10]); // within the fixed share
    }

    @Test
    void onlyASecondRunOverBudgetCounts() {
        int[] runs = { 0 };
        // the first run pays for initialisation (here: a big table built once), the second does not
        Allocation.bounded(10, 128, () -> sink = runs[0]++ == 0 ? new byte[4 << 20] : new byte[10]);
        assertTrue(runs[0] == 2);
    }
}
