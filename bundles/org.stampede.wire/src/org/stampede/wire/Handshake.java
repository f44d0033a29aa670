package org.stampede.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The BitTorrent handshake (BEP 3), 68 bytes: {@code pstrlen} = 19, {@code pstr} = "BitTorrent protocol", 8 reserved
 * bytes, the 20-byte info-hash and the 20-byte peer id.
 * <p>
 * Reserved bits understood here: the extension protocol (BEP 10, {@code reserved[5] & 0x10}), the fast extension
 * (BEP 6, {@code reserved[7] & 0x04}) and the DHT (BEP 5, {@code reserved[7] & 0x01}). A feature is in use on a
 * connection only when both handshakes set its bit. Other bits are kept as received and ignored.
 * <p>
 * {@link #decode} accepts only the BEP 3 protocol string; it does not check the info-hash, which is the caller's
 * business ({@link #hasInfoHash(byte[])}): an acceptor looks the torrent up by it, an initiator compares it with the
 * torrent it asked for. Instances are immutable.
 */
public final class Handshake {
    /** Length of the handshake in bytes. */
    public static final int LENGTH = 68;
    /** The protocol string of BEP 3. */
    public static final String PROTOCOL = "BitTorrent protocol";
    /** Length of an info-hash on the wire (a v1 hash, or a v2 hash truncated to 20 bytes, BEP 52). */
    public static final int INFO_HASH_LENGTH = 20;

    static final byte[] PROTOCOL_BYTES = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    private static final int RESERVED_OFFSET = 20;
    private static final int INFO_HASH_OFFSET = 28;
    private static final int PEER_ID_OFFSET = 48;

    private final byte[] reserved;
    private final byte[] infoHash;
    private final PeerId peerId;

    /**
     * @param reserved the 8 reserved bytes; copied
     * @param infoHash the 20-byte info-hash; copied
     * @param peerId the sender's peer id
     * @throws IllegalArgumentException if an array has the wrong length
     */
    public Handshake(byte[] reserved, byte[] infoHash, PeerId peerId) {
        if (reserved.length != 8) {
            throw new IllegalArgumentException("the reserved field has 8 bytes, not " + reserved.length);
        }
        if (infoHash.length != INFO_HASH_LENGTH) {
            throw new IllegalArgumentException("an info-hash on the wire has 20 bytes, not " + infoHash.length);
        }
        this.reserved = reserved.clone();
        this.infoHash = infoHash.clone();
        this.peerId = Objects.requireNonNull(peerId, "peerId");
    }

    /**
     * Our handshake.
     *
     * @param infoHash the torrent's 20-byte info-hash (for a v2-only torrent, the SHA-256 truncated to 20 bytes)
     * @param peerId our peer id
     * @param fast whether to offer the fast extension (BEP 6)
     * @param extensions whether to offer the extension protocol (BEP 10)
     * @param dht whether to announce a DHT node (BEP 5)
     */
    public static Handshake of(byte[] infoHash, PeerId peerId, boolean fast, boolean extensions, boolean dht) {
        byte[] reserved = new byte[8];
        if (extensions) {
            reserved[5] |= 0x10;
        }
        if (fast) {
            reserved[7] |= 0x04;
        }
        if (dht) {
            reserved[7] |= 0x01;
        }
        return new Handshake(reserved, infoHash, peerId);
    }

    /**
     * Reads a handshake from the 68 bytes at {@code in}'s position (advanced by 68).
     *
     * @throws ProtocolException if fewer than 68 bytes remain, or {@code pstrlen} is not 19, or the protocol string
     *                           is not "BitTorrent protocol"
     */
    public static Handshake decode(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < LENGTH) {
            throw new ProtocolException("handshake: " + in.remaining() + " bytes, a handshake has 68 (BEP 3)");
        }
        byte[] raw = new byte[LENGTH];
        in.get(raw);
        return decode(raw);
    }

    /** Decodes the 68 bytes of {@code raw}. */
    static Handshake decode(byte[] raw) throws ProtocolException {
        for (int i = 0; i < 20; i++) {
            checkByte(raw, i);
        }
        return new Handshake(Arrays.copyOfRange(raw, RESERVED_OFFSET, RESERVED_OFFSET + 8),
                Arrays.copyOfRange(raw, INFO_HASH_OFFSET, INFO_HASH_OFFSET + INFO_HASH_LENGTH),
                PeerId.of(raw, PEER_ID_OFFSET));
    }

    /**
     * Checks byte {@code i} (0..19) of a handshake being received, so that garbage is refused at its first byte.
     *
     * @throws ProtocolException if it is not the byte BEP 3 requires there
     */
    static void checkByte(byte[] raw, int i) throws ProtocolException {
        if (i == 0) {
            if (raw[0] != 19) {
                throw new ProtocolException("handshake: protocol string length " + (raw[0] & 0xff)
                        + ", expected 19 for \"BitTorrent protocol\" (BEP 3); first byte "
                        + ProtocolException.quote(raw, 0, 1));
            }
        } else if (i < 20 && raw[i] != PROTOCOL_BYTES[i - 1]) {
            throw new ProtocolException("handshake: protocol string " + ProtocolException.quote(raw, 1, i)
                    + " is not \"BitTorrent protocol\" (BEP 3)");
        }
    }

    /** Writes the 68 bytes at {@code dst}'s position (advanced by 68). */
    public void encode(ByteBuffer dst) {
        dst.put((byte) 19).put(PROTOCOL_BYTES).put(reserved).put(infoHash).put(peerId.array());
    }

    /** @return the 68 bytes of this handshake */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        encode(b);
        return b.array();
    }

    /** @return a copy of the 8 reserved bytes */
    public byte[] reserved() {
        return reserved.clone();
    }

    /** @return a copy of the 20-byte info-hash */
    public byte[] infoHash() {
        return infoHash.clone();
    }

    /** @return the info-hash as 40 lower-case hex digits */
    public String infoHashHex() {
        return HexFormat.of().formatHex(infoHash);
    }

    /** @return whether the info-hash is {@code expected} (20 bytes) */
    public boolean hasInfoHash(byte[] expected) {
        return Arrays.equals(infoHash, expected);
    }

    /** @return the sender's peer id */
    public PeerId peerId() {
        return peerId;
    }

    /** @return whether the sender offers the fast extension (BEP 6): {@code reserved[7] & 0x04} */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    /** @return whether the sender offers the extension protocol (BEP 10): {@code reserved[5] & 0x10} */
    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** @return whether the sender runs a DHT node (BEP 5): {@code reserved[7] & 0x01} */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && Arrays.equals(infoHash, h.infoHash)
                && peerId.equals(h.peerId);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(reserved) * 31 + Arrays.hashCode(infoHash)) * 31 + peerId.hashCode();
    }

    @Override
    public String toString() {
        return "Handshake[infoHash=" + infoHashHex() + ", peerId=" + peerId + ", reserved="
                + HexFormat.of().formatHex(reserved) + "]";
    }
}
