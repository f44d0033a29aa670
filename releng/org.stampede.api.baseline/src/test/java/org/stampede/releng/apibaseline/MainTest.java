package org.stampede.releng.apibaseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.releng.apibaseline.Main.ApiBaselineException;
import org.stampede.releng.apibaseline.Main.Outcome;

/** The build step: the report the build fails with, and the update. */
class MainTest {

    @TempDir
    Path tmp;
    TestBundles bundles;
    Path root;
    Path baseline;
    Path v1;

    @BeforeEach
    void setUp() throws Exception {
        bundles = new TestBundles(tmp.resolve("bundles"));
        root = tmp;
        baseline = tmp.resolve("releng/org.stampede.api.baseline/baseline");
        v1 = bundles.jar(ApiCheckTest.exports("0.1.0"), ApiCheckTest.V1);
        Outcome recorded = Main.run(root, baseline, List.of(v1), true);
        assertFalse(recorded.failed(), recorded.report());
    }

    private Path file() {
        return baseline.resolve(TestBundles.BSN + ".json");
    }

    private static void assertContains(String report, String... parts) {
        for (String part : parts) {
            assertTrue(report.contains(part), () -> "no \"" + part + "\" in:\n" + report);
        }
    }

    @Test
    void unchangedApiPasses() throws Exception {
        assertTrue(Files.readString(file()).startsWith("{\"type\": \"BUNDLE\", \"name\": \"test.api\""));
        Outcome o = Main.run(root, baseline, List.of(bundles.jar(ApiCheckTest.exports("0.1.0"),
                ApiCheckTest.V1)), false);
        assertFalse(o.failed(), o.report());
        assertEquals("API baseline: 1 public package of 1 bundle as recorded in "
                + "releng/org.stampede.api.baseline/baseline\n", o.report());
    }

    @Test
    void removedMethodWithoutMajorBumpFailsWithWhatWhereAndHow() throws Exception {
        Path v2 = bundles.jar(ApiCheckTest.exports("0.2.0"), ApiCheckTest.PROVIDER, ApiCheckTest.CONSUMER,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE_SHRUNK);
        Outcome o = Main.run(root, baseline, List.of(v2), false);
        assertTrue(o.failed());
        assertContains(o.report(),
                "API baseline check failed (baseline: releng/org.stampede.api.baseline/baseline",
                "package p (bundle test.api): MAJOR change: version 0.2.0 found, 1.0.0 required (baseline 0.1.0)",
                "MAJOR  removed method p.Value.label()",
                "Fix: export p;version=\"1.0.0\" in bundles/test.api/META-INF/MANIFEST.MF, and widen the "
                        + "Import-Package ranges of its importers, or undo the change.",
                Main.UPDATE_COMMAND);
    }

    @Test
    void methodAddedToConsumerTypeWithoutMajorBumpFails() throws Exception {
        Path v2 = bundles.jar(ApiCheckTest.exports("0.2.0"), ApiCheckTest.PROVIDER, ApiCheckTest.CONSUMER_GROWN,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE);
        Outcome o = Main.run(root, baseline, List.of(v2), false);
        assertTrue(o.failed());
        assertContains(o.report(),
                "package p (bundle test.api): MAJOR change: version 0.2.0 found, 1.0.0 required",
                "MAJOR  added method p.Listener.closed() (a @ConsumerType interface: its users implement it)",
                "(Only if Listener is implemented by the providing bundle alone: marked @ProviderType, the change "
                        + "would need only 0.2.0.)");
    }

    @Test
    void methodAddedToProviderTypeWithoutMinorBumpFails() throws Exception {
        Path v2 = bundles.jar(ApiCheckTest.exports("0.1.0"), ApiCheckTest.PROVIDER_GROWN, ApiCheckTest.CONSUMER,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE);
        Outcome o = Main.run(root, baseline, List.of(v2), false);
        assertTrue(o.failed());
        assertContains(o.report(),
                "package p (bundle test.api): MINOR change: version 0.1.0 found, 0.2.0 required (baseline 0.1.0)",
                "MINOR  added method p.Service.size() (a @ProviderType interface: only its provider implements it)",
                "Fix: export p;version=\"0.2.0\" in bundles/test.api/META-INF/MANIFEST.MF, or undo the change.");
        assertFalse(o.report().contains("widen"), o.report());
    }

    @Test
    void correctlyVersionedChangeMustBeRecordedThenPasses() throws Exception {
        String before = Files.readString(file());
        Path v2 = bundles.jar(ApiCheckTest.exports("0.2.0"), ApiCheckTest.PROVIDER_GROWN, ApiCheckTest.CONSUMER,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE);
        Outcome check = Main.run(root, baseline, List.of(v2), false);
        assertTrue(check.failed(), "the baseline must record every API change");
        assertContains(check.report(), "The baseline does not record the current API:",
                "package p (bundle test.api): MINOR change, correctly versioned: 0.2.0 (baseline 0.1.0, 0.2.0 "
                        + "required)",
                "MINOR  added method p.Service.size()", Main.UPDATE_COMMAND);
        assertFalse(check.report().contains("incompatibly"), check.report());

        Outcome update = Main.run(root, baseline, List.of(v2), true);
        assertFalse(update.failed(), update.report());
        assertContains(update.report(), "API baseline updated in releng/org.stampede.api.baseline/baseline: wrote "
                + "test.api");
        String after = Files.readString(file());
        assertTrue(after.contains("{\"type\": \"METHOD\", \"name\": \"size()\""), after);
        assertTrue(after.contains("{\"type\": \"VERSION\", \"name\": \"0.2.0\""), after);
        assertFalse(after.equals(before));

        Outcome again = Main.run(root, baseline, List.of(v2), false);
        assertFalse(again.failed(), again.report());
        Outcome noop = Main.run(root, baseline, List.of(v2), true);
        assertContains(noop.report(), "no change (1 bundle)");
    }

    @Test
    void updateIsRefusedWhileAVersionIsTooLow() throws Exception {
        String before = Files.readString(file());
        Path v2 = bundles.jar(ApiCheckTest.exports("0.1.0"), ApiCheckTest.PROVIDER_GROWN, ApiCheckTest.CONSUMER,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE);
        Outcome o = Main.run(root, baseline, List.of(v2), true);
        assertTrue(o.failed());
        assertContains(o.report(), "API baseline NOT updated: 1 package changed more than its version says",
                "0.1.0 found, 0.2.0 required");
        assertEquals(before, Files.readString(file()));
    }

    @Test
    void removedPackageFailsTheCheckAndAnUpdateRecordsIt() throws Exception {
        Path v2 = bundles.jar("q;version=\"0.1.0\"", ApiCheckTest.OTHER);
        Outcome o = Main.run(root, baseline, List.of(v2), false);
        assertTrue(o.failed());
        assertContains(o.report(), "package p (bundle test.api): removed (it was exported with version 0.1.0",
                "package q (bundle test.api): new public package, version 0.1.0");
        assertFalse(Main.run(root, baseline, List.of(v2), true).failed());
        assertFalse(Main.run(root, baseline, List.of(v2), false).failed());
    }

    @Test
    void missingAndStaleBaselinesFailAndAnUpdateFixesThem() throws Exception {
        Files.move(file(), baseline.resolve("gone.bundle.json"));
        Outcome o = Main.run(root, baseline, List.of(v1), false);
        assertTrue(o.failed());
        assertContains(o.report(),
                "bundle test.api: no baseline (releng/org.stampede.api.baseline/baseline/test.api.json)",
                "releng/org.stampede.api.baseline/baseline/gone.bundle.json: gone.bundle is not a guarded bundle");
        Outcome update = Main.run(root, baseline, List.of(v1), true);
        assertFalse(update.failed(), update.report());
        assertContains(update.report(), "wrote test.api; deleted gone.bundle");
        assertFalse(Files.exists(baseline.resolve("gone.bundle.json")));
        assertFalse(Main.run(root, baseline, List.of(v1), false).failed());
    }

    @Test
    void mainThrowsWithTheReportToFailTheBuild() throws Exception {
        Path v2 = bundles.jar(ApiCheckTest.exports("0.1.0"), ApiCheckTest.PROVIDER_GROWN, ApiCheckTest.CONSUMER,
                ApiCheckTest.PLAIN, ApiCheckTest.VALUE);
        Path list = tmp.resolve("guarded-bundles.txt");
        Files.writeString(list, v2.toString());
        ApiBaselineException e = assertThrows(ApiBaselineException.class, () -> Main.main(new String[] {
                "--root", root.toString(), "--baseline", baseline.toString(), "--bundles", list.toString(),
                "--update", "false" }));
        assertContains(e.getMessage(), "MINOR change: version 0.1.0 found, 0.2.0 required", Main.UPDATE_COMMAND);

        Files.writeString(list, v1.toString());
        Main.main(new String[] { "--root", root.toString(), "--baseline", baseline.toString(), "--bundles",
                list.toString(), "--update", "false" });
    }
}
