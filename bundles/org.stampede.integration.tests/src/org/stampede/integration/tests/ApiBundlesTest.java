package org.stampede.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.stampede.bencode.BDict;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.metainfo.Torrent;
import org.stampede.metainfo.TorrentCreator;

/**
 * In a running Equinox framework, as a plugin author would see the engine: the API bundles resolve, export their
 * packages at the declared versions, are wired to this bundle, and work across bundle boundaries.
 */
class ApiBundlesTest {
    @TempDir
    Path dir;

    private static BundleContext context() {
        Bundle self = FrameworkUtil.getBundle(ApiBundlesTest.class);
        assertNotNull(self, "the test runs inside an OSGi framework");
        return self.getBundleContext();
    }

    private static Bundle bundle(String symbolicName) {
        return Arrays.stream(context().getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName))
                .findFirst().orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    @Test
    void apiBundlesResolveAndExportVersionedPackages() {
        for (String[] b : new String[][] { { "org.stampede.bencode", "org.stampede.bencode" },
                { "org.stampede.metainfo", "org.stampede.metainfo" } }) {
            Bundle bundle = bundle(b[0]);
            assertTrue((bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0,
                    b[0] + " resolved, state " + bundle.getState());
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            List<BundleCapability> exports = wiring.getCapabilities("osgi.wiring.package");
            BundleCapability export = exports.stream()
                    .filter(c -> b[1].equals(c.getAttributes().get("osgi.wiring.package"))).findFirst()
                    .orElseThrow(() -> new AssertionError(b[0] + " exports " + b[1]));
            Matcher declared = Pattern.compile("(?:^|,)\\s*" + Pattern.quote(b[1]) + ";version=\"([^\"]+)\"")
                    .matcher(bundle.getHeaders().get("Export-Package"));
            assertTrue(declared.find(), b[0] + " declares a version for " + b[1]);
            assertNotEquals(Version.emptyVersion, Version.parseVersion(declared.group(1)));
            assertEquals(Version.parseVersion(declared.group(1)), export.getAttributes().get("version"));
            assertEquals("lazy", bundle.getHeaders().get("Bundle-ActivationPolicy"));
        }
    }

    @Test
    void apiClassesComeFromTheirOwnBundles() {
        assertSame(bundle("org.stampede.bencode"), FrameworkUtil.getBundle(BencodeDecoder.class));
        assertSame(bundle("org.stampede.metainfo"), FrameworkUtil.getBundle(Torrent.class));
        assertNotEquals(FrameworkUtil.getBundle(ApiBundlesTest.class), FrameworkUtil.getBundle(Torrent.class));
    }

    @Test
    void torrentRoundTripsAcrossBundles() throws Exception {
        Path file = dir.resolve("payload.bin");
        Files.write(file, new byte[100_000]);
        byte[] bytes = TorrentCreator.forSource(file).version(Torrent.Version.HYBRID).pieceLength(16 * 1024)
                .creationDate(null).create();
        Torrent t = Torrent.parse(bytes);
        assertEquals(7, t.pieceCount());
        // the info dictionary seen through the bencode bundle hashes to the torrent's info-hash
        BDict root = (BDict) BencodeDecoder.strict().decode(bytes);
        byte[] info = root.getDict("info").rawBytes();
        assertEquals(t.infoHashV1().hex(), hex(java.security.MessageDigest.getInstance("SHA-1").digest(info)));
        assertEquals(t.infoHashV2().hex(), hex(java.security.MessageDigest.getInstance("SHA-256").digest(info)));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
