package org.stampede.bencode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Generates random values for round-trip tests. */
final class RandomValues {
    private RandomValues() {
    }

    static BValue value(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 0 ? 4 : 2);
        switch (kind) {
            case 0:
                long[] special = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 10, -10};
                return BInteger.of(rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : rnd.nextLong());
            case 1:
                return string(rnd);
            case 2: {
                int n = rnd.nextInt(5);
                List<BValue> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(value(rnd, depth - 1));
                }
                return BList.of(items);
            }
            default: {
                int n = rnd.nextInt(5);
                BDict.Builder b = BDict.builder();
                Set<BString> used = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    BString k = string(rnd);
                    if (used.add(k)) {
                        b.put(k, value(rnd, depth - 1));
                    }
                }
                return b.build();
            }
        }
    }

    private static BString string(Random rnd) {
        byte[] bytes = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 300 : 6)];
        rnd.nextBytes(bytes);
        return BString.of(bytes);
    }
}
