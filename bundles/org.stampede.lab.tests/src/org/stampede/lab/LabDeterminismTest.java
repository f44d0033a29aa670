package org.stampede.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Same seed, same result, bit for bit; another seed, another result. */
class LabDeterminismTest {
    @Test
    void sameSeedGivesAnEqualResultAndIdenticalCsvBytes() {
        LabConfig config = Scenarios.small(7).withFreeRiders(0.25).withTimes(30, 20, 2, 86_400);
        LabResult first = Scenarios.run(config);
        LabResult second = Scenarios.run(config);
        assertEquals(first, second);
        assertEquals(LabReport.peersCsv(first), LabReport.peersCsv(second));
        assertEquals(LabReport.swarmCsv(first), LabReport.swarmCsv(second));
    }

    @Test
    void differentSeedsGiveDifferentResults() {
        LabResult a = Scenarios.run(Scenarios.small(7));
        LabResult b = Scenarios.run(Scenarios.small(8));
        assertNotEquals(LabReport.peersCsv(a), LabReport.peersCsv(b));
        assertNotEquals(LabReport.swarmCsv(a), LabReport.swarmCsv(b));
    }
}
