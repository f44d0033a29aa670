package org.stampede.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

// A guard against hangs, not a performance assertion: these cases take milliseconds.
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class MagnetLinkTest {

    private static final String HEX = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    private static final String BASE32 = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"; // same hash as HEX
    private static final String HEX2 = "0123456789abcdef0123456789abcdef01234567";
    private static final String V2_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String BTIH = "magnet:?xt=urn:btih:" + HEX;

    private static MetainfoException rejects(String uri) {
        return assertThrows(MetainfoException.class, () -> MagnetLink.parse(uri));
    }

    private static void assertMessageContains(MetainfoException e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    // ---------------------------------------------------------------- xt

    @Test
    void parsesHexV1() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH);
        assertEquals(HEX, m.infoHashV1().hex());
        assertNull(m.infoHashV2());
    }

    @Test
    void parsesBase32V1ToTheSameHash() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btih:" + BASE32);
        assertEquals(HEX, m.infoHashV1().hex());
    }

    @Test
    void parsesUpperCaseHexAndUrnPrefix() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=URN:BTIH:" + HEX.toUpperCase());
        assertEquals(HEX, m.infoHashV1().hex());
    }

    @Test
    void parsesBtmhV2() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btmh:1220" + V2_HEX);
        assertNull(m.infoHashV1());
        assertEquals(InfoHash.Kind.V2, m.infoHashV2().kind());
        assertEquals(V2_HEX, m.infoHashV2().hex());
    }

    @Test
    void parsesHybridWithBothHashes() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&xt=urn:btmh:1220" + V2_HEX);
        assertEquals(HEX, m.infoHashV1().hex());
        assertEquals(V2_HEX, m.infoHashV2().hex());
    }

    @Test
    void indexedXtKeysAreAccepted() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt.1=urn:btih:" + HEX + "&xt.2=urn:btmh:1220" + V2_HEX);
        assertEquals(HEX, m.infoHashV1().hex());
        assertEquals(V2_HEX, m.infoHashV2().hex());
    }

    @Test
    void sameHashInHexAndBase32IsNotADisagreement() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&xt=urn:btih:" + BASE32);
        assertEquals(HEX, m.infoHashV1().hex());
    }

    @Test
    void disagreeingV1XtIsRejected() {
        MetainfoException e = rejects(BTIH + "&xt=urn:btih:" + HEX2);
        assertMessageContains(e, "disagrees");
        assertMessageContains(e, HEX2);
    }

    @Test
    void disagreeingV2XtIsRejected() {
        String other = "00" + V2_HEX.substring(2);
        rejects("magnet:?xt=urn:btmh:1220" + V2_HEX + "&xt=urn:btmh:1220" + other);
    }

    @Test
    void missingXtIsRejected() {
        assertMessageContains(rejects("magnet:?dn=foo&tr=udp://t.example:80"), "no BitTorrent xt");
    }

    @Test
    void xtOfAnotherNetworkDoesNotCount() {
        rejects("magnet:?xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0");
    }

    @Test
    void badHexIsRejectedWithTheValueInTheMessage() {
        assertMessageContains(rejects("magnet:?xt=urn:btih:zz"),
                "xt 'urn:btih:zz' is not 40 hex or 32 base32 characters");
    }

    @Test
    void fortyCharactersWithNonHexAreRejected() {
        rejects("magnet:?xt=urn:btih:" + HEX.substring(0, 39) + "g");
    }

    @Test
    void btmhWithWrongFunctionCodeIsRejected() {
        // 0x11 is sha1 in the multihash table; BitTorrent v2 only uses 0x12 sha2-256.
        assertMessageContains(rejects("magnet:?xt=urn:btmh:1114" + HEX), "function 0x11");
    }

    @Test
    void btmhWithWrongDeclaredLengthIsRejected() {
        assertMessageContains(rejects("magnet:?xt=urn:btmh:1214" + HEX), "wrong length");
    }

    @Test
    void btmhWithTooFewDigitsIsRejected() {
        rejects("magnet:?xt=urn:btmh:1220" + V2_HEX.substring(2));
    }

    @Test
    void btmhWithNonHexIsRejected() {
        rejects("magnet:?xt=urn:btmh:1220" + V2_HEX.substring(1) + "x");
    }

    // ---------------------------------------------------------------- scheme, syntax, limits

    @Test
    void nonMagnetSchemeIsRejected() {
        assertMessageContains(rejects("http://example.com/?xt=urn:btih:" + HEX), "not a magnet link");
    }

    @Test
    void magnetWithoutQuestionMarkIsRejected() {
        rejects("magnet:xt=urn:btih:" + HEX);
    }

    @Test
    void schemeIsCaseInsensitive() throws Exception {
        assertEquals(HEX, MagnetLink.parse("MAGNET:?xt=urn:btih:" + HEX).infoHashV1().hex());
    }

    @Test
    void surroundingWhitespaceIsIgnored() throws Exception {
        assertEquals(HEX, MagnetLink.parse("  " + BTIH + "\n").infoHashV1().hex());
    }

    @Test
    void rawControlCharacterInsideIsRejected() {
        assertMessageContains(rejects(BTIH + "&dn=a\u0007b"), "U+0007");
    }

    @Test
    void overlongLinkIsRejectedBeforeParsing() {
        String uri = BTIH + "&dn=" + "a".repeat(MagnetLink.MAX_LENGTH);
        assertMessageContains(rejects(uri), "limit");
    }

    @Test
    void unknownParametersAndParametersWithoutValueAreIgnored() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&kt=a+b&xl=123&as=http://x/y&&flag");
        assertEquals(MagnetLink.parse(BTIH), m);
    }

    @Test
    void malformedPercentEscapeIsRejected() {
        assertMessageContains(rejects(BTIH + "&dn=100%zz"), "malformed percent-escape");
    }

    @Test
    void truncatedPercentEscapeIsRejected() {
        rejects(BTIH + "&dn=a%4");
    }

    @Test
    void fragmentEndsTheQuery() throws Exception {
        assertNull(MagnetLink.parse(BTIH + "#&dn=hidden").displayName());
    }

    // ---------------------------------------------------------------- dn

    @Test
    void displayNameIsPercentDecodedAsUtf8() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&dn=Caf%C3%A9%20%E2%9C%93%20%F0%9F%8E%B5");
        assertEquals("Café ✓ \uD83C\uDFB5", m.displayName());
    }

    @Test
    void unescapedNonAsciiDisplayNameIsAccepted() throws Exception {
        assertEquals("Café", MagnetLink.parse(BTIH + "&dn=Café").displayName());
    }

    @Test
    void plusInDisplayNameIsSpaceButEscapedPlusIsPlus() throws Exception {
        assertEquals("a b+c", MagnetLink.parse(BTIH + "&dn=a+b%2Bc").displayName());
    }

    @Test
    void invalidUtf8InDisplayNameBecomesReplacementCharacter() throws Exception {
        assertEquals("a\uFFFDb", MagnetLink.parse(BTIH + "&dn=a%FFb").displayName());
    }

    @Test
    void displayNameKeepsControlCharactersVerbatim() throws Exception {
        assertEquals("a\nb", MagnetLink.parse(BTIH + "&dn=a%0Ab").displayName());
    }

    @Test
    void emptyDisplayNameIsAbsentAndFirstNonEmptyWins() throws Exception {
        assertNull(MagnetLink.parse(BTIH + "&dn=").displayName());
        assertEquals("one", MagnetLink.parse(BTIH + "&dn=&dn=one&dn=two").displayName());
    }

    // ---------------------------------------------------------------- tr, ws

    @Test
    void trackersKeepOrderAndDropDuplicates() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&tr=udp%3A%2F%2Fb.example%3A6969&tr.1=http://a.example/announce"
                + "&tr=udp://b.example:6969&tr.2=https://c.example/ann?x=1%262");
        assertEquals(List.of("udp://b.example:6969", "http://a.example/announce", "https://c.example/ann?x=1&2"),
                m.trackers());
    }

    @Test
    void plusInTrackerIsLiteral() throws Exception {
        assertEquals(List.of("http://t.example/a+b"), MagnetLink.parse(BTIH + "&tr=http://t.example/a+b").trackers());
    }

    @Test
    void webSeedsAreCollected() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&ws=http%3A%2F%2Fmirror.example%2Ffiles%2F&ws=https://m2.example/f");
        assertEquals(List.of("http://mirror.example/files/", "https://m2.example/f"), m.webSeeds());
    }

    // ---------------------------------------------------------------- x.pe

    @Test
    void peerIpv4IsAccepted() throws Exception {
        assertEquals(List.of("192.0.2.7:6881"), MagnetLink.parse(BTIH + "&x.pe=192.0.2.7:6881").peers());
    }

    @Test
    void peerIpv6InBracketsIsAccepted() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&x.pe=%5B2001:db8::1%5D:51413&x.pe=[::ffff:192.0.2.1]:1");
        assertEquals(List.of("[2001:db8::1]:51413", "[::ffff:192.0.2.1]:1"), m.peers());
    }

    @Test
    void peerHostNameIsAccepted() throws Exception {
        assertEquals(List.of("peer-1.example.org:65535"),
                MagnetLink.parse(BTIH + "&x.pe=peer-1.example.org:65535").peers());
    }

    @Test
    void peerPortZeroIsRejected() {
        assertMessageContains(rejects(BTIH + "&x.pe=192.0.2.7:0"), "outside 1-65535");
    }

    @Test
    void peerPortAboveRangeIsRejected() {
        rejects(BTIH + "&x.pe=192.0.2.7:65536");
    }

    @Test
    void peerNonNumericPortIsRejected() {
        rejects(BTIH + "&x.pe=192.0.2.7:http");
    }

    @Test
    void peerWithoutPortIsRejected() {
        rejects(BTIH + "&x.pe=192.0.2.7");
    }

    @Test
    void peerIpv4OctetAbove255IsRejected() {
        assertMessageContains(rejects(BTIH + "&x.pe=192.0.2.256:6881"), "invalid IPv4");
    }

    @Test
    void peerIpv6WithoutBracketsIsRejected() {
        assertMessageContains(rejects(BTIH + "&x.pe=2001:db8::1:6881"), "without brackets");
    }

    @Test
    void peerMalformedIpv6IsRejected() {
        rejects(BTIH + "&x.pe=[2001:db8:::1]:6881");
        rejects(BTIH + "&x.pe=[1:2:3:4:5:6:7:8:9]:6881");
        rejects(BTIH + "&x.pe=[fe80::1%25eth0]:6881");
    }

    @Test
    void peerHostNameWithBadCharacterIsRejected() {
        rejects(BTIH + "&x.pe=evil_host/..:6881");
    }

    // ---------------------------------------------------------------- so

    @Test
    void selectOnlyExpandsRanges() throws Exception {
        Set<Integer> so = MagnetLink.parse(BTIH + "&so=0,2,4-6").selectOnly();
        assertEquals(Set.of(0, 2, 4, 5, 6), so);
        assertEquals(List.of(0, 2, 4, 5, 6), new ArrayList<>(so));
        assertTrue(so.contains(5));
        assertFalse(so.contains(3));
    }

    @Test
    void selectOnlyMergesOverlappingAndUnorderedRanges() throws Exception {
        MagnetLink m = MagnetLink.parse(BTIH + "&so=5-7,1,6-9,2,0");
        assertEquals(List.of(0, 1, 2, 5, 6, 7, 8, 9), new ArrayList<>(m.selectOnly()));
        assertTrue(m.toUri().endsWith("&so=0-2,5-9"), m.toUri());
    }

    @Test
    void selectOnlyAbsentMeansEmpty() throws Exception {
        assertTrue(MagnetLink.parse(BTIH).selectOnly().isEmpty());
    }

    @Test
    void selectOnlyHugeRangeIsRejectedQuickly() {
        MetainfoException e = rejects(BTIH + "&so=0-2147483647");
        assertMessageContains(e, "limit");
    }

    @Test
    void selectOnlyManyRangesAddingUpPastTheLimitAreRejected() {
        rejects(BTIH + "&so=0-999999,2000000-2000001");
    }

    @Test
    void selectOnlyAtTheLimitIsAcceptedWithoutExpandingIntoMemory() throws Exception {
        Set<Integer> so = MagnetLink.parse(BTIH + "&so=1000-1000998,2147483647").selectOnly();
        assertEquals(MagnetLink.MAX_SELECTED_FILES, so.size());
        assertTrue(so.contains(Integer.MAX_VALUE));
        assertFalse(so.contains(1000999));
        assertFalse(so.contains(999));
    }

    @Test
    void selectOnlyReversedRangeIsRejected() {
        assertMessageContains(rejects(BTIH + "&so=6-4"), "start is after its end");
    }

    @Test
    void selectOnlyGarbageIsRejected() {
        rejects(BTIH + "&so=1,,2");
        rejects(BTIH + "&so=-1");
        rejects(BTIH + "&so=a");
        rejects(BTIH + "&so=99999999999");
    }

    // ---------------------------------------------------------------- equality, round trip

    @Test
    void roundTripThroughToUriGivesAnEqualLink() throws Exception {
        MagnetLink m = MagnetLink.parse("MAGNET:?xt.1=urn:btih:" + BASE32 + "&xt.2=urn:btmh:1220" + V2_HEX.toUpperCase()
                + "&dn=Caf%C3%A9+%26+more%2B%25%0A%E2%80%AE&tr=udp://t.example:80/a+b&tr=http://x.example/?a=1%262"
                + "&ws=https://w.example/f%20g/&x.pe=[2001:db8::1]:1&x.pe=host.example:2&so=4-6,0,2");
        String uri = m.toUri();
        MagnetLink again = MagnetLink.parse(uri);
        assertEquals(m, again);
        assertEquals(m.hashCode(), again.hashCode());
        assertEquals(uri, again.toUri());
        assertEquals("Café & more+%\n\u202E", again.displayName());
    }

    @Test
    void toUriIsCanonical() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?dn=a+b&xt=urn:btih:" + BASE32 + "&tr=udp://t.example:80");
        assertEquals("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b&tr=udp://t.example:80", m.toUri());
        assertEquals(m.toUri(), m.toString());
    }

    @Test
    void v2OnlyLinkRoundTrips() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btmh:1220" + V2_HEX);
        assertEquals("magnet:?xt=urn:btmh:1220" + V2_HEX, m.toUri());
        assertEquals(m, MagnetLink.parse(m.toUri()));
    }

    @Test
    void linksDifferingInAnyFieldAreNotEqual() throws Exception {
        MagnetLink base = MagnetLink.parse(BTIH + "&dn=x&tr=udp://t:1&so=1");
        assertEquals(base, MagnetLink.parse(BTIH + "&tr=udp://t:1&so=1&dn=x"));
        assertNotEquals(base, MagnetLink.parse(BTIH + "&dn=y&tr=udp://t:1&so=1"));
        assertNotEquals(base, MagnetLink.parse(BTIH + "&dn=x&tr=udp://t:2&so=1"));
        assertNotEquals(base, MagnetLink.parse(BTIH + "&dn=x&tr=udp://t:1&so=2"));
        assertNotEquals(base, MagnetLink.parse("magnet:?xt=urn:btih:" + HEX2 + "&dn=x&tr=udp://t:1&so=1"));
    }
}
