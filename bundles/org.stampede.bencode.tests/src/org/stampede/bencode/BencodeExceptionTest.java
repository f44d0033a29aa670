package org.stampede.bencode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BencodeExceptionTest {

    @Test
    void messageCombinesReasonAndOffset() {
        BencodeException e = new BencodeException("unexpected end of input", 42);
        assertEquals("unexpected end of input", e.reason());
        assertEquals(42, e.offset());
        assertEquals("unexpected end of input at offset 42", e.getMessage());
    }

    @Test
    void decoderErrorsUseTheSameMessageFormat() {
        try {
            BencodeDecoder.strict().decode(Bytes.b("i1x"));
        } catch (BencodeException e) {
            assertEquals("expected a digit or 'e' in integer but found 0x78 at offset 2", e.getMessage());
            return;
        }
        throw new AssertionError("no exception");
    }
}
