package org.stampede.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ExtensionHandshakeTest {

    static ExtensionHandshake decode(String bencode) throws ProtocolException {
        return ExtensionHandshake.decode(ByteBuffer.wrap(bencode.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static String refusal(String bencode) {
        return assertThrows(ProtocolException.class, () -> decode(bencode)).getMessage();
    }

    @Test
    void oursNamesStampedeAndOurListenPort() throws Exception {
        ExtensionHandshake ours = ExtensionHandshake.builder().extension("ut_metadata", 2).port(6881)
                .requestQueue(250).build();
        assertEquals("d1:md11:ut_metadatai2ee1:pi6881e4:reqqi250e1:v14:Stampede 0.1.0e",
                new String(ours.encode(), StandardCharsets.US_ASCII));
        ExtensionHandshake back = ExtensionHandshake.decode(ByteBuffer.wrap(ours.encode()));
        assertEquals(ours, back);
        assertEquals(Optional.of("Stampede 0.1.0"), back.client());
        assertEquals(OptionalInt.of(6881), back.port());
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        ExtensionHandshake h = ExtensionHandshake.builder().extension("ut_pex", 1).extension("lt_donthave", 0)
                .port(1).requestQueue(1).metadataSize(12345).yourIp(InetAddress.getByName("::1")).build();
        ExtensionHandshake back = ExtensionHandshake.decode(h.toMessage().payload());
        assertEquals(h, back);
        assertEquals(OptionalLong.of(12345), back.metadataSize());
        assertEquals(Optional.of(InetAddress.getByName("::1")), back.yourIp());
        assertEquals(OptionalInt.of(1), back.extensionId("ut_pex"));
        assertEquals(OptionalInt.empty(), back.extensionId("lt_donthave"), "0 means disabled");
        assertEquals(OptionalInt.empty(), back.extensionId("ut_metadata"));
    }

    @Test
    void decodesTheBep10Example() throws ProtocolException {
        ExtensionHandshake h = decode("d1:md11:LT_metadatai1e6:\u00b5T_PEXi2ee1:pi6881e1:v13:\u00c2\u00b5Torrent 1.2e");
        assertEquals(Map.of("LT_metadata", 1, "\ufffdT_PEX", 2), h.extensions());
        assertEquals(OptionalInt.of(6881), h.port());
        assertEquals(Optional.of("\u00b5Torrent 1.2"), h.client());
    }

    @Test
    void unknownKeysAreIgnored() throws ProtocolException {
        ExtensionHandshake h = decode("d1:ei1e4:ipv64:abcd1:md6:ut_pexi1ee11:upload_onlyi1ee");
        assertEquals(Map.of("ut_pex", 1), h.extensions());
    }

    @Test
    void valuesOfTheWrongTypeOrRangeAreTreatedAsAbsent() throws ProtocolException {
        ExtensionHandshake h = decode("d1:md1:ai256e1:bi-1e1:c3:xyz1:di7ee1:pi0e4:reqqi-5e1:vi3e"
                + "13:metadata_sizei0e6:yourip5:abcdee");
        assertEquals(Map.of("d", 7), h.extensions());
        assertEquals(OptionalInt.empty(), h.port());
        assertEquals(OptionalInt.empty(), h.requestQueue());
        assertEquals(Optional.empty(), h.client());
        assertEquals(OptionalLong.empty(), h.metadataSize());
        assertEquals(Optional.empty(), h.yourIp());
    }

    @Test
    void metadataSizeOverTheTorrentLimitIsTreatedAsAbsent() throws ProtocolException {
        assertEquals(OptionalLong.empty(), decode("d13:metadata_sizei67108865ee").metadataSize());
        assertEquals(OptionalLong.of(67108864), decode("d13:metadata_sizei67108864ee").metadataSize());
    }

    @Test
    void portOver65535IsTreatedAsAbsent() throws ProtocolException {
        assertEquals(OptionalInt.empty(), decode("d1:pi65536ee").port());
    }

    @Test
    void garbageIsRefused() {
        assertTrue(refusal("GET / HTTP/1.1\r\n").contains("not valid bencode"));
        assertTrue(refusal("d1:md6:ut_pexi1e").contains("not valid bencode"));
        assertTrue(refusal("").contains("not valid bencode"));
    }

    @Test
    void nonDictionaryIsRefused() {
        assertTrue(refusal("li1ee").contains("a list, not a dictionary"));
        assertTrue(refusal("4:spam").contains("a string, not a dictionary"));
    }

    @Test
    void tooManyValuesAreRefused() {
        StringBuilder sb = new StringBuilder("d1:ml");
        for (int i = 0; i < ExtensionHandshake.MAX_TOKENS; i++) {
            sb.append("i0e");
        }
        sb.append("ee");
        assertTrue(refusal(sb.toString()).contains("not valid bencode"));
    }

    @Test
    void tooDeepNestingIsRefused() {
        assertTrue(refusal("d1:x" + "l".repeat(20) + "e".repeat(20) + "e").contains("not valid bencode"));
    }

    @Test
    void onlyTheFirstExtensionsAreKept() throws ProtocolException {
        StringBuilder sb = new StringBuilder("d1:md");
        for (int i = 0; i < 500; i++) {
            sb.append(String.format("4:x%03di1e", i));
        }
        sb.append("ee");
        assertEquals(ExtensionHandshake.MAX_EXTENSIONS, decode(sb.toString()).extensions().size());
    }

    @Test
    void overlongExtensionNamesAreIgnored() throws ProtocolException {
        String name = "n".repeat(ExtensionHandshake.MAX_NAME_BYTES + 1);
        assertEquals(Map.of("ok", 3), decode("d1:md" + name.length() + ":" + name + "i1e2:oki3eee").extensions());
    }

    @Test
    void clientNameIsEscapedForDisplay() throws ProtocolException {
        // ESC [ 2 J, a right-to-left override (U+202E, UTF-8 e2 80 ae), a backslash
        String v = "evil\u001b[2J\u00e2\u0080\u00aex\\";
        assertEquals(Optional.of("evil\\u001B[2J\\u202Ex\\u005C"),
                decode("d1:v" + v.length() + ":" + v + "e").client());
    }

    @Test
    void longClientNameIsCut() throws ProtocolException {
        String v = "a".repeat(5000);
        String shown = decode("d1:v5000:" + v + "e").client().orElseThrow();
        assertEquals("a".repeat(ExtensionHandshake.MAX_CLIENT_CHARS) + "...", shown);
    }

    @Test
    void bytesAfterTheDictionaryAreIgnored() throws ProtocolException {
        assertEquals(OptionalInt.of(1), decode("d1:pi1eeXYZ").port());
    }

    @Test
    void decodingLeavesThePayloadPositionAlone() throws ProtocolException {
        ByteBuffer b = ByteBuffer.wrap("xxd1:pi1ee".getBytes(StandardCharsets.US_ASCII)).position(2);
        ExtensionHandshake.decode(b);
        assertEquals(2, b.position());
    }

    @Test
    void directBuffersAreDecodedToo() throws ProtocolException {
        byte[] raw = "d1:pi9ee".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.length).put(raw).flip();
        assertEquals(OptionalInt.of(9), ExtensionHandshake.decode(direct).port());
    }
}
