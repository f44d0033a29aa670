package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stampede.bencode.Bytes.b;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BDictTest {
    private static final byte[] SAMPLE = b("d4:listli1ee4:dictd1:xi1ee3:inti9e12:piece length3:big3:str2:hie");

    private static BDict sample() {
        return (BDict) BencodeDecoder.lenient().decode(SAMPLE);
    }

    @Test
    void typedGettersReturnValuesOfTheirType() {
        BDict d = sample();
        assertEquals(1, d.getList("list").size());
        assertEquals(1L, d.getDict("dict").getLong("x"));
        assertEquals(9L, d.getLong("int"));
        assertEquals("hi", d.getString("str").asString());
        assertEquals("hi", d.getText("str"));
    }

    @Test
    void typedGettersReturnNullForAbsentKey() {
        BDict d = sample();
        assertNull(d.getDict("nope"));
        assertNull(d.getList("nope"));
        assertNull(d.getString("nope"));
        assertNull(d.getLong("nope"));
        assertNull(d.getText("nope"));
        assertNull(d.get("nope"));
    }

    @Test
    void getLongOnStringNamesKeyAndPointsAtValue() {
        BencodeException e = assertThrows(BencodeException.class, () -> sample().getLong("piece length"));
        assertEquals("key 'piece length' must be an integer", e.reason());
        assertEquals(new String(SAMPLE, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("3:big"), e.offset());
    }

    @Test
    void getDictOnListIsRejected() {
        BencodeException e = assertThrows(BencodeException.class, () -> sample().getDict("list"));
        assertEquals("key 'list' must be a dictionary", e.reason());
        assertEquals(7, e.offset());
    }

    @Test
    void getListOnDictIsRejected() {
        BencodeException e = assertThrows(BencodeException.class, () -> sample().getList("dict"));
        assertEquals("key 'dict' must be a list", e.reason());
    }

    @Test
    void getStringOnIntegerIsRejected() {
        BencodeException e = assertThrows(BencodeException.class, () -> sample().getString("int"));
        assertEquals("key 'int' must be a string", e.reason());
    }

    @Test
    void getTextOnIntegerIsRejected() {
        assertThrows(BencodeException.class, () -> sample().getText("int"));
    }

    @Test
    void getTextReplacesMalformedUtf8() {
        BDict d = (BDict) BencodeDecoder.strict().decode(b("d4:name2:a\u00ffe"));
        assertEquals("a\uFFFD", d.getText("name"));
    }

    @Test
    void getAndContainsKeyFindNonAsciiKeys() {
        BDict d = BDict.builder().put("ñame", 1).put("name", 2).put("z", 3).build();
        assertEquals(BInteger.of(1), d.get("ñame"));
        assertTrue(d.containsKey("ñame"));
        assertFalse(d.containsKey("ñam"));
        assertEquals(BInteger.of(1), d.get(BString.of("ñame")));
    }

    @Test
    void everyKeyOfAnUnsortedDictCanBeLookedUp() {
        BDict d = (BDict) BencodeDecoder.lenient().decode(b("d1:ei5e1:bi2e1:di4e1:ai1e1:ci3ee"));
        for (String k : List.of("a", "b", "c", "d", "e")) {
            assertEquals(k.charAt(0) - 'a' + 1L, d.getLong(k), k);
        }
        assertFalse(d.containsKey("f"));
        assertFalse(d.containsKey(""));
    }

    @Test
    void keysAndEntriesFollowSourceOrder() {
        BDict d = (BDict) BencodeDecoder.lenient().decode(b("d1:ci3e1:ai1e1:bi2ee"));
        assertEquals(List.of(BString.of("c"), BString.of("a"), BString.of("b")), d.keys());
        assertEquals(List.of(BString.of("c"), BString.of("a"), BString.of("b")), List.copyOf(d.keySet()));
        assertEquals(List.of(BInteger.of(3), BInteger.of(1), BInteger.of(2)), List.copyOf(d.entries().values()));
    }

    @Test
    void entriesIsUnmodifiable() {
        Map<BString, BValue> m = sample().entries();
        assertThrows(UnsupportedOperationException.class, () -> m.put(BString.of("x"), BInteger.of(1)));
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue(BInteger.of(1)));
        assertThrows(UnsupportedOperationException.class, () -> m.keySet().clear());
    }

    @Test
    void entriesSupportsLookupByBString() {
        Map<BString, BValue> m = sample().entries();
        assertEquals(BInteger.of(9), m.get(BString.of("int")));
        assertTrue(m.containsKey(BString.of("str")));
        assertNull(m.get("int")); // a java.lang.String is not a key
    }

    @Test
    void builderSortsKeysByUnsignedBytes() {
        BDict d = BDict.builder().put("b", 2).put(BString.of(new byte[] {(byte) 0x80}), BInteger.of(3)).put("a", 1)
                .build();
        assertEquals(List.of(BString.of("a"), BString.of("b"), BString.of(new byte[] {(byte) 0x80})), d.keys());
        assertArrayEquals(b("d1:ai1e1:bi2e1:\u0080i3ee"), BencodeEncoder.encode(d));
    }

    @Test
    void builderRejectsDuplicateKeys() {
        BDict.Builder builder = BDict.builder().put("a", 1).put("b", 2).put("a", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("duplicate dict key 'a'", e.getMessage());
    }

    @Test
    void builderOverloadsCreateTheRightValueTypes() {
        BDict inner = BDict.builder().build();
        BDict d = BDict.builder().put("n", 5).put("s", "text").put("b", new byte[] {1, 2}).put("d", inner).build();
        assertEquals(5L, d.getLong("n"));
        assertEquals("text", d.getText("s"));
        assertArrayEquals(new byte[] {1, 2}, d.getString("b").bytes());
        assertEquals(inner, d.getDict("d"));
    }

    @Test
    void builderRejectsNullValue() {
        assertThrows(NullPointerException.class, () -> BDict.builder().put("a", (BValue) null));
    }

    @Test
    void equalityIgnoresKeyOrder() {
        BDict unsorted = (BDict) BencodeDecoder.lenient().decode(b("d1:bi2e1:ai1ee"));
        BDict built = BDict.builder().put("a", 1).put("b", 2).build();
        assertEquals(built, unsorted);
        assertEquals(built.hashCode(), unsorted.hashCode());
    }

    @Test
    void equalityComparesValues() {
        BDict one = BDict.builder().put("a", 1).build();
        BDict two = BDict.builder().put("a", 2).build();
        BDict other = BDict.builder().put("b", 1).build();
        assertFalse(one.equals(two));
        assertFalse(one.equals(other));
    }
}
