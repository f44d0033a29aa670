package org.stampede.releng.apibaseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stampede.releng.apibaseline.ApiCheck.Cause;
import org.stampede.releng.apibaseline.ApiCheck.PackageResult;
import org.stampede.releng.apibaseline.ApiCheck.Status;

import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Tree;
import aQute.bnd.version.Version;

/** bnd's rules as the check applies them, on small APIs compiled in the test: one change at a time. */
class ApiCheckTest {

    static final String PROVIDER = """
            package p;
            @org.osgi.annotation.versioning.ProviderType
            public interface Service { String name(); }
            """;
    static final String PROVIDER_GROWN = """
            package p;
            @org.osgi.annotation.versioning.ProviderType
            public interface Service { String name(); int size(); }
            """;
    static final String CONSUMER = """
            package p;
            @org.osgi.annotation.versioning.ConsumerType
            public interface Listener { void changed(String what); }
            """;
    static final String CONSUMER_GROWN = """
            package p;
            @org.osgi.annotation.versioning.ConsumerType
            public interface Listener { void changed(String what); void closed(); }
            """;
    static final String CONSUMER_DEFAULT = """
            package p;
            @org.osgi.annotation.versioning.ConsumerType
            public interface Listener { void changed(String what); default void closed() {} }
            """;
    static final String PLAIN = """
            package p;
            public interface Plain { int size(); }
            """;
    static final String PLAIN_GROWN = """
            package p;
            public interface Plain { int size(); boolean isEmpty(); }
            """;
    static final String PLAIN_NOW_PROVIDER = """
            package p;
            @org.osgi.annotation.versioning.ProviderType
            public interface Plain { int size(); }
            """;
    static final String VALUE = """
            package p;
            public final class Value { public int get() { return 1; } public String label() { return ""; } }
            """;
    static final String VALUE_SHRUNK = """
            package p;
            public final class Value { public int get() { return 1; } }
            """;
    static final String VALUE_GROWN = """
            package p;
            public final class Value {
                public int get() { return 1; } public String label() { return ""; } public long total() { return 2; }
            }
            """;
    static final String INTERNAL = """
            package p.internal;
            public class Impl { public void run() {} }
            """;
    static final String INTERNAL_CHANGED = """
            package p.internal;
            public class Impl { public void start() {} }
            """;
    static final String FRIEND = """
            package p.friend;
            public interface Hook { void call(); }
            """;
    static final String FRIEND_CHANGED = """
            package p.friend;
            public interface Hook { void call(); void other(); }
            """;
    static final String OTHER = """
            package q;
            public final class Extra { public void x() {} }
            """;

    static final String[] V1 = { PROVIDER, CONSUMER, PLAIN, VALUE };

    @TempDir
    Path tmp;
    TestBundles bundles;

    @BeforeEach
    void setUp() {
        bundles = new TestBundles(tmp);
    }

    static String exports(String version) {
        return "p;version=\"" + version + "\"";
    }

    private PackageResult only(List<PackageResult> results) {
        assertEquals(1, results.size(), results::toString);
        return results.get(0);
    }

    private PackageResult compare(String oldVersion, String[] oldApi, String newVersion, String... newApi)
            throws Exception {
        Tree baseline = bundles.api(exports(oldVersion), oldApi);
        Tree current = bundles.api(exports(newVersion), newApi);
        return only(ApiCheck.compare(baseline, current));
    }

    private static void assertCause(PackageResult r, Delta level, String text) {
        assertTrue(r.causes().contains(new Cause(level, text)), () -> "no cause " + level + " " + text + " in "
                + r.causes());
    }

    @Test
    void unchangedApiPasses() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.0", V1);
        assertEquals(Status.UNCHANGED, r.status());
        assertEquals("p", r.pkg());
        assertEquals(TestBundles.BSN, r.bundle());
        assertEquals(List.of(), r.causes());
    }

    @Test
    void removedMethodNeedsMajorBump() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.2.0", PROVIDER, CONSUMER, PLAIN, VALUE_SHRUNK);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertTrue(r.status().error);
        assertEquals(Delta.MAJOR, r.delta());
        assertEquals(new Version(0, 1, 0), r.baseline());
        assertEquals(new Version(0, 2, 0), r.found());
        assertEquals(new Version(1, 0, 0), r.required());
        assertCause(r, Delta.MAJOR, "removed method p.Value.label()");
    }

    @Test
    void removedMethodWithMajorBumpIsCorrect() throws Exception {
        PackageResult r = compare("0.1.0", V1, "1.0.0", PROVIDER, CONSUMER, PLAIN, VALUE_SHRUNK);
        assertEquals(Status.CHANGED, r.status());
        assertFalse(r.status().error);
        assertEquals(new Version(1, 0, 0), r.required());
    }

    @Test
    void methodAddedToConsumerTypeNeedsMajorBump() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.2.0", PROVIDER, CONSUMER_GROWN, PLAIN, VALUE);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(Delta.MAJOR, r.delta());
        assertEquals(new Version(1, 0, 0), r.required());
        assertCause(r, Delta.MAJOR,
                "added method p.Listener.closed() (a @ConsumerType interface: its users implement it)");
        // bnd's hint: were Listener a provider type, a minor bump would do
        assertEquals(new Version(0, 2, 0), r.ifProviders());
        assertEquals(Set.of("Listener"), r.providers());
    }

    @Test
    void methodAddedToConsumerTypeWithMajorBumpIsCorrect() throws Exception {
        PackageResult r = compare("0.1.0", V1, "1.0.0", PROVIDER, CONSUMER_GROWN, PLAIN, VALUE);
        assertEquals(Status.CHANGED, r.status());
        assertNull(r.ifProviders());
    }

    @Test
    void methodAddedToInterfaceWithoutAnnotationIsMajor() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.2.0", PROVIDER, CONSUMER, PLAIN_GROWN, VALUE);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(new Version(1, 0, 0), r.required());
        assertTrue(r.causes().get(0).text().startsWith("added method p.Plain.isEmpty() (an interface without"),
                r.causes()::toString);
    }

    @Test
    void defaultMethodAddedToConsumerTypeIsMinor() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.0", PROVIDER, CONSUMER_DEFAULT, PLAIN, VALUE);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(Delta.MINOR, r.delta());
        assertEquals(new Version(0, 2, 0), r.required());
    }

    static final String EVENTS = """
            package p;
            @org.osgi.annotation.versioning.%s
            public interface Events { default void opened() {} void changed(String what); %s}
            """;

    /** bnd 7.2.1 alone calls this MINOR: it marks every method after a default method MINOR (see ApiTree). */
    @Test
    void abstractMethodAddedAfterADefaultMethodToConsumerTypeIsMajor() throws Exception {
        PackageResult r = compare("0.1.0", new String[] { EVENTS.formatted("ConsumerType", "") }, "0.2.0",
                EVENTS.formatted("ConsumerType", "void closed(); "));
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(Delta.MAJOR, r.delta());
        assertEquals(new Version(1, 0, 0), r.required());
        assertCause(r, Delta.MAJOR,
                "added method p.Events.closed() (a @ConsumerType interface: its users implement it)");

        r = compare("0.1.0", new String[] { EVENTS.formatted("ProviderType", "") }, "0.1.0",
                EVENTS.formatted("ProviderType", "void closed(); "));
        assertEquals(Delta.MINOR, r.delta());
        assertEquals(new Version(0, 2, 0), r.required());
        r = compare("0.1.0", new String[] { EVENTS.formatted("ConsumerType", "") }, "0.1.0",
                EVENTS.formatted("ConsumerType", "default void closed() {} "));
        assertEquals(Delta.MINOR, r.delta());
    }

    @Test
    void providerTypeDirectiveMakesAnInterfaceAProviderType() throws Exception {
        String exports = exports("0.1.0") + ";x-provider-type:=\"Plain\"";
        Tree baseline = bundles.api(exports, V1);
        Tree current = bundles.api(exports, PROVIDER, CONSUMER, PLAIN_GROWN, VALUE);
        PackageResult r = only(ApiCheck.compare(baseline, current));
        assertEquals(Delta.MINOR, r.delta());
        assertCause(r, Delta.MINOR, "added method p.Plain.isEmpty()");
    }

    @Test
    void methodAddedToProviderTypeNeedsMinorBump() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.0", PROVIDER_GROWN, CONSUMER, PLAIN, VALUE);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(Delta.MINOR, r.delta());
        assertEquals(new Version(0, 1, 0), r.found());
        assertEquals(new Version(0, 2, 0), r.required());
        assertCause(r, Delta.MINOR,
                "added method p.Service.size() (a @ProviderType interface: only its provider implements it)");
        assertNull(r.ifProviders());
    }

    @Test
    void methodAddedToProviderTypeWithMinorBumpIsCorrect() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.2.0", PROVIDER_GROWN, CONSUMER, PLAIN, VALUE);
        assertEquals(Status.CHANGED, r.status());
        assertFalse(r.status().error);
        assertTrue(r.status().recordable);
        assertEquals(new Version(0, 2, 0), r.required());
    }

    @Test
    void aMajorBumpIsMoreThanEnoughForAMinorChange() throws Exception {
        PackageResult r = compare("0.1.0", V1, "1.0.0", PROVIDER_GROWN, CONSUMER, PLAIN, VALUE);
        assertEquals(Status.CHANGED, r.status());
    }

    @Test
    void methodAddedToClassNeedsMinorBump() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.0", PROVIDER, CONSUMER, PLAIN, VALUE_GROWN);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(new Version(0, 2, 0), r.required());
        assertCause(r, Delta.MINOR, "added method p.Value.total()");
    }

    @Test
    void addingProviderTypeAnnotationIsMicro() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.0", PROVIDER, CONSUMER, PLAIN_NOW_PROVIDER, VALUE);
        assertEquals(Status.VERSION_TOO_LOW, r.status());
        assertEquals(Delta.MICRO, r.delta());
        assertEquals(new Version(0, 1, 1), r.required());
        assertCause(r, Delta.MICRO,
                "added annotation @org.osgi.annotation.versioning.ProviderType of interface p.Plain");
    }

    @Test
    void versionRaisedWithoutChangeIsRecordedNotAnError() throws Exception {
        PackageResult r = compare("0.1.0", V1, "0.1.1", V1);
        assertEquals(Status.VERSION_CHANGED, r.status());
        assertFalse(r.status().error);
        assertTrue(r.status().recordable);
    }

    @Test
    void versionNeverGoesDown() throws Exception {
        PackageResult r = compare("0.2.0", V1, "0.1.0", V1);
        assertEquals(Status.VERSION_DECREASED, r.status());
        assertTrue(r.status().error);
        assertFalse(r.status().recordable);
        r = compare("0.2.0", V1, "0.1.0", PROVIDER_GROWN, CONSUMER, PLAIN, VALUE);
        assertEquals(Status.VERSION_DECREASED, r.status());
    }

    @Test
    void removedAndAddedPackages() throws Exception {
        Tree baseline = bundles.api(exports("0.1.0"), V1);
        Tree current = bundles.api("q;version=\"0.1.0\"", OTHER);
        List<PackageResult> results = ApiCheck.compare(baseline, current);
        assertEquals(2, results.size(), results::toString);
        PackageResult removed = results.get(0);
        assertEquals("p", removed.pkg());
        assertEquals(Status.REMOVED, removed.status());
        assertTrue(removed.status().error);
        assertTrue(removed.status().recordable);
        PackageResult added = results.get(1);
        assertEquals("q", added.pkg());
        assertEquals(Status.ADDED, added.status());
        assertFalse(added.status().error);
    }

    @Test
    void internalAndFriendPackagesAreNotGuarded() throws Exception {
        String exports = exports("0.1.0") + ",p.internal;x-internal:=true,p.friend;version=\"0.1.0\";x-friends:=\"a.b\"";
        Tree baseline = bundles.api(exports, PROVIDER, CONSUMER, PLAIN, VALUE, INTERNAL, FRIEND);
        assertEquals(Set.of("p"), ApiTree.versions(baseline).keySet());
        Tree current = bundles.api(exports, PROVIDER, CONSUMER, PLAIN, VALUE, INTERNAL_CHANGED, FRIEND_CHANGED);
        assertEquals(Status.UNCHANGED, only(ApiCheck.compare(baseline, current)).status());
    }

    @Test
    void textFormRoundTrips() throws Exception {
        String annotated = """
                package p;
                @Note("a \\"quoted\\" \\\\ name\\tand a tab")
                public final class Noted { public static final String KEY = "k\\u0001"; }
                """;
        String note = """
                package p;
                @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS)
                public @interface Note { String value(); int weight() default 3; }
                """;
        Tree tree = bundles.api(exports("0.1.0"), PROVIDER, CONSUMER, PLAIN, VALUE, annotated, note);
        String json = ApiTree.toJson(tree, "a comment");
        assertTrue(json.contains("\\\"quoted\\\" \\\\ name\\tand a tab"), json);
        Tree back = ApiTree.fromJson(json);
        assertEquals(Delta.UNCHANGED, back.diff(tree).getDelta());
        assertEquals(Delta.UNCHANGED, tree.diff(back).getDelta());
        assertEquals(json, ApiTree.toJson(back, "a comment"), "the text form is stable");
        assertEquals(TestBundles.BSN, ApiTree.bsn(back));
        assertEquals(new Version(0, 1, 0), ApiTree.versions(back).get("p"));
        PackageResult r = only(ApiCheck.compare(back, tree));
        assertEquals(Status.UNCHANGED, r.status());
        assertNotNull(tree.get(ApiTree.API));
    }
}
