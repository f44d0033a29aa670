package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BListTest {

    @Test
    void ofArrayCopiesTheArray() {
        BValue[] items = {BInteger.of(1), BInteger.of(2)};
        BList l = BList.of(items);
        items[0] = BInteger.of(9);
        assertEquals(BInteger.of(1), l.get(0));
    }

    @Test
    void ofListCopiesTheList() {
        List<BValue> items = new ArrayList<>(List.of(BInteger.of(1)));
        BList l = BList.of(items);
        items.add(BInteger.of(2));
        assertEquals(1, l.size());
    }

    @Test
    void ofRejectsNullElements() {
        assertThrows(NullPointerException.class, () -> BList.of(BInteger.of(1), null));
    }

    @Test
    void valuesIsUnmodifiable() {
        BList l = BList.of(BInteger.of(1));
        assertThrows(UnsupportedOperationException.class, () -> l.values().add(BInteger.of(2)));
        assertThrows(UnsupportedOperationException.class, () -> l.values().set(0, BInteger.of(2)));
    }

    @Test
    void getRejectsIndexOutOfRange() {
        assertThrows(IndexOutOfBoundsException.class, () -> BList.of(BInteger.of(1)).get(1));
    }

    @Test
    void iteratesInOrder() {
        List<BValue> seen = new ArrayList<>();
        for (BValue v : BList.of(BString.of("a"), BInteger.of(2))) {
            seen.add(v);
        }
        assertEquals(List.of(BString.of("a"), BInteger.of(2)), seen);
    }

    @Test
    void equalityIsElementwiseAndOrdered() {
        assertEquals(BList.of(BInteger.of(1), BInteger.of(2)),
                BencodeDecoder.strict().decode(Bytes.b("li1ei2ee")));
        assertNotEquals(BList.of(BInteger.of(1), BInteger.of(2)), BList.of(BInteger.of(2), BInteger.of(1)));
    }
}
