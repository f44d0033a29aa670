package org.stampede.fuzz;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every {@link Target} behind one fuzz test, for the short run in the build: one JVM and one libFuzzer run instead of
 * one per target (each costs seconds to start). The input's first byte picks the target (its ordinal, modulo the
 * number of targets), the rest is that target's input; {@link ShortFuzzRunTest} seeds it with every target's corpus
 * prefixed that way. No corpus of its own: the targets' corpora are where inputs are kept.
 */
class AllTargetsFuzzTest {
    private static final Target[] TARGETS = Target.values();

    @FuzzTest
    void any(byte[] data) throws Throwable {
        if (data.length == 0) {
            return;
        }
        TARGETS[(data[0] & 0xff) % TARGETS.length].run(Arrays.copyOfRange(data, 1, data.length));
    }
}
