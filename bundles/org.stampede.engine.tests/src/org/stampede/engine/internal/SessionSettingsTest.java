package org.stampede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.stampede.engine.EngineSettings;
import org.stampede.testing.interop.Interop;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The session configuration as ConfigurationAdmin stores it, checked and turned into engine settings. */
class SessionSettingsTest {

    @Test
    void nothingStoredGivesTheEngineDefaults() {
        assertEquals(EngineSettings.defaults(), SessionSettings.settings(Map.of()));
    }

    @Test
    void storedValuesBecomeEngineSettingsWithRateLimitsInBytesPerSecond() {
        EngineSettings s = SessionSettings.settings(Map.of("picker", "sequential", "choker", "rate-based",
                "seedChoker", "anti-leech", "listenPort", 7000, "maxPeersPerTorrent", 5, "maxPeers", 10,
                "uploadSlots", 2, "downloadLimit", 100L, "uploadLimit", 50L));
        assertEquals(List.of("sequential", "rate-based", "anti-leech"),
                List.of(s.defaultPicker(), s.defaultChoker(), s.defaultSeedChoker()));
        assertEquals(List.of(7000, 5, 10, 2), List.of(s.listenPort(), s.maxPeersPerTorrent(), s.maxPeers(),
                s.uploadSlots()));
        assertEquals(List.of(100L * 1024, 50L * 1024), List.of(s.downloadLimit(), s.uploadLimit()));
    }

    @Test
    void numbersGivenAsStringsAreStoredWithTheAttributeType() {
        Map<String, Object> m = SessionSettings.merge(Map.of(), Map.of("listenPort", "7000", "downloadLimit", "12"));
        assertEquals(Integer.valueOf(7000), m.get("listenPort"));
        assertEquals(Long.valueOf(12), m.get("downloadLimit"));
    }

    @Test
    void unknownAttributeIsRejectedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("pickr", "random")));
        assertTrue(e.getMessage().contains("'pickr'") && e.getMessage().contains("picker, choker"), e::getMessage);
    }

    @Test
    void portOutOfRangeIsRejectedNamingTheAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("listenPort", "70000")));
        assertEquals("listenPort: 70000 is not 0 to 65535", e.getMessage());
    }

    @Test
    void textForANumberIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("uploadSlots", "four")));
        assertEquals("uploadSlots: 'four' is not a whole number", e.getMessage());
    }

    @Test
    void malformedStrategyIdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SessionSettings.merge(Map.of(), Map.of("picker", "")));
        assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("picker", "a b")));
        assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("choker", "x".repeat(65))));
    }

    @Test
    void aBadChangeLeavesEveryOtherChangeUnstored() {
        Map<String, Object> changes = new HashMap<>();
        changes.put("picker", "sequential");
        changes.put("listenPort", "-1");
        Map<String, Object> stored = Map.of("choker", "rate-based");
        assertThrows(IllegalArgumentException.class, () -> SessionSettings.merge(stored, changes));
        assertEquals(Map.of("choker", "rate-based"), stored);
    }

    @Test
    void nullChangeRemovesAStoredAttribute() {
        Map<String, Object> changes = new HashMap<>();
        changes.put("picker", null);
        assertEquals(Map.of("listenPort", 7000),
                SessionSettings.merge(Map.of("picker", "sequential", "listenPort", 7000), changes));
    }

    @Test
    void badStoredValueCountsAsUnset() {
        EngineSettings s = SessionSettings.settings(Map.of("listenPort", "not a port", "maxPeers", 0,
                "picker", "sequential"));
        assertEquals(6881, s.listenPort());
        assertEquals(200, s.maxPeers());
        assertEquals("sequential", s.defaultPicker());
    }

    @Test
    void propertiesThatAreNotAttributesAreIgnored() {
        // what SCR adds to a component's properties
        assertEquals(Map.of("uploadSlots", 3), SessionSettings.merge(Map.of("component.name", "x",
                "service.pid", "org.stampede.engine", "uploadSlots", 3), Map.of()));
    }

    @Test
    void emptyDownloadFolderMeansNone() {
        assertNull(SessionSettings.downloadFolder(Map.of()));
        assertNull(SessionSettings.downloadFolder(Map.of("downloadFolder", "")));
        assertEquals(Path.of("/tmp/downloads"), SessionSettings.downloadFolder(Map.of("downloadFolder",
                "/tmp/downloads")));
    }

    @Test
    void downloadFolderWithANulCharacterIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SessionSettings.merge(Map.of(), Map.of("downloadFolder", "a\0b")));
    }

    @Test
    void typedViewGivesTheDefaultForWhatIsNotStored() {
        SessionConfig c = SessionSettings.config(Map.of("uploadSlots", 9));
        assertEquals(9, c.uploadSlots());
        assertEquals("round-robin", c.seedChoker());
        assertEquals(0L, c.uploadLimit());
    }

    @Test
    void everySessionConfigMethodIsAKnownAttributeOfTheSameType() {
        List<String> methods = new ArrayList<>();
        for (Method m : SessionConfig.class.getDeclaredMethods()) {
            methods.add(m.getName());
            SessionSettings.Attribute a = SessionSettings.attribute(m.getName());
            Class<?> boxed = m.getReturnType() == int.class ? Integer.class
                    : m.getReturnType() == long.class ? Long.class : m.getReturnType();
            assertEquals(a.type(), boxed, m::getName);
        }
        assertEquals(SessionSettings.ids().stream().sorted().toList(), methods.stream().sorted().toList());
    }

    /** The hand-written metatype document must say what SessionConfig and the checks here say. */
    @Test
    void metatypeDocumentDescribesEveryAttributeAsTheCodeDoes() throws Exception {
        Path xml = Interop.repo().resolve("bundles/org.stampede.engine/OSGI-INF/metatype/org.stampede.engine.xml");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = f.newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
        Element ocd = (Element) root.getElementsByTagName("OCD").item(0);
        assertEquals("org.stampede.engine", ocd.getAttribute("id"));
        assertEquals("org.stampede.engine", ((Element) root.getElementsByTagName("Designate").item(0))
                .getAttribute("pid"));
        NodeList ads = ocd.getElementsByTagName("AD");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ads.getLength(); i++) {
            Element ad = (Element) ads.item(i);
            String id = ad.getAttribute("id");
            ids.add(id);
            SessionSettings.Attribute a = SessionSettings.attribute(id);
            assertEquals(a.type().getSimpleName(), ad.getAttribute("type"), id);
            assertEquals(String.valueOf(SessionSettings.defaultValue(id)), ad.getAttribute("default"), id);
            assertFalse(ad.getAttribute("name").isBlank(), id + " has a name");
            assertFalse(ad.getAttribute("description").isBlank(), id + " has a description");
            if (a.type() != String.class) {
                assertEquals(List.of(String.valueOf(a.min()), String.valueOf(a.max())),
                        List.of(ad.getAttribute("min"), ad.getAttribute("max")), id);
            }
        }
        assertEquals(SessionSettings.ids(), ids);
        assertEquals(Arrays.asList(SessionConfig.class.getDeclaredMethods()).size(), ids.size());
    }
}
