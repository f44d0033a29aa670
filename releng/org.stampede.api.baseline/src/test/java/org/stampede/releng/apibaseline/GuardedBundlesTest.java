package org.stampede.releng.apibaseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The check guards every bundle that a feature ships and that exports a package publicly (without x-internal or
 * x-friends): those are this module's provided-scope dependencies.
 */
class GuardedBundlesTest {

    static final Path ROOT = Path.of(System.getProperty("stampede.root", "../..")).toAbsolutePath().normalize();

    @Test
    void everyShippedPublicApiIsGuarded() throws Exception {
        Set<String> shipped = new TreeSet<>();
        try (Stream<Path> features = Files.list(ROOT.resolve("features"))) {
            for (Path feature : features.map(f -> f.resolve("feature.xml")).filter(Files::isRegularFile).toList()) {
                NodeList plugins = parse(feature).getElementsByTagName("plugin");
                for (int i = 0; i < plugins.getLength(); i++) {
                    shipped.add(((Element) plugins.item(i)).getAttribute("id"));
                }
            }
        }
        assertTrue(shipped.contains("org.stampede.api"), shipped::toString);
        Set<String> withPublicApi = new TreeSet<>();
        for (String bsn : shipped) {
            Path manifest = ROOT.resolve("bundles").resolve(bsn).resolve("META-INF/MANIFEST.MF");
            if (!Files.isRegularFile(manifest)) {
                continue; // not ours: from the target platform
            }
            try (InputStream in = Files.newInputStream(manifest)) {
                if (!ApiTree.publicExports(new Manifest(in)).isEmpty()) {
                    withPublicApi.add(bsn);
                }
            }
        }

        Set<String> guarded = new TreeSet<>();
        NodeList dependencies = parse(ROOT.resolve("releng/org.stampede.api.baseline/pom.xml"))
                .getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            if ("org.stampede".equals(text(d, "groupId")) && "provided".equals(text(d, "scope"))) {
                guarded.add(text(d, "artifactId"));
            }
        }
        assertEquals(withPublicApi, guarded, "the bundles a feature ships with a public Export-Package must be the "
                + "provided-scope dependencies of releng/org.stampede.api.baseline/pom.xml (then run the update)");
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }
}
