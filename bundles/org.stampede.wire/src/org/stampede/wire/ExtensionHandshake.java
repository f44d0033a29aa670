package org.stampede.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.stampede.bencode.BDict;
import org.stampede.bencode.BInteger;
import org.stampede.bencode.BString;
import org.stampede.bencode.BValue;
import org.stampede.bencode.BencodeDecoder;
import org.stampede.bencode.BencodeEncoder;
import org.stampede.bencode.BencodeException;
import org.stampede.bencode.BencodeLimits;

/**
 * The BEP 10 extension handshake: the bencoded dictionary of an {@link Message.Extended} message with extended id 0.
 * <p>
 * Keys understood: {@code m} (extension name to the id the sender wants to receive it under, 1 to 255; 0 disables
 * it), {@code v} (client name and version), {@code p} (TCP listen port), {@code reqq} (how many requests the sender
 * queues), {@code metadata_size} (size of the info dictionary, for BEP 9) and {@code yourip} (the receiver's address
 * as the sender sees it, 4 or 16 bytes). Everything is optional.
 * <p>
 * Decoding is tolerant, as BEP 10 asks: unknown keys are ignored, and so is a known key whose value has the wrong type
 * or is out of range (an {@code m} id above 255, a port of 0, a {@code yourip} of 5 bytes); such a value is treated as
 * absent. Bytes after the dictionary are ignored. What cannot be decoded at all (not bencode, not a dictionary) is a
 * {@link ProtocolException}. Memory is bounded: the payload is at most {@link MessageDecoder#MAX_FRAME_LENGTH} bytes,
 * decoding stops after {@value #MAX_TOKENS} bencode values or depth {@value #MAX_DEPTH}, at most
 * {@value #MAX_EXTENSIONS} extensions with names of at most {@value #MAX_NAME_BYTES} bytes are kept, and the client
 * name is cut to {@value #MAX_CLIENT_CHARS} characters with control and format characters escaped, so it is safe to
 * show.
 * <p>
 * BEP 10 allows later handshakes on the same connection that change only some extensions; merging them is the
 * caller's business. Instances are immutable.
 */
public final class ExtensionHandshake {

    /** Our {@code v}: client name and version. */
    public static final String CLIENT_NAME = "Stampede 0.1.0";
    /** Most bencode values decoded from one handshake. */
    public static final int MAX_TOKENS = 4096;
    /** Deepest nesting decoded (the dictionary is 1, {@code m} 2). */
    public static final int MAX_DEPTH = 8;
    /** Most {@code m} entries kept; further ones are ignored. */
    public static final int MAX_EXTENSIONS = 128;
    /** Longest extension name kept, in bytes; longer ones are ignored. */
    public static final int MAX_NAME_BYTES = 64;
    /** Longest client name kept, in characters (after escaping); longer ones are cut. */
    public static final int MAX_CLIENT_CHARS = 100;
    /** Largest {@code metadata_size} accepted: 64 MiB, the size limit of a torrent file. */
    public static final long MAX_METADATA_SIZE = 64L * 1024 * 1024;

    private static final BencodeDecoder DECODER = BencodeDecoder.lenient()
            .withLimits(new BencodeLimits(MAX_DEPTH, MAX_TOKENS, MessageDecoder.MAX_FRAME_LENGTH));

    private final Map<String, Integer> extensions;
    private final String client;
    private final int port;
    private final int requestQueue;
    private final long metadataSize;
    private final InetAddress yourIp;

    private ExtensionHandshake(Map<String, Integer> extensions, String client, int port, int requestQueue,
            long metadataSize, InetAddress yourIp) {
        this.extensions = Collections.unmodifiableMap(extensions);
        this.client = client;
        this.port = port;
        this.requestQueue = requestQueue;
        this.metadataSize = metadataSize;
        this.yourIp = yourIp;
    }

    /** @return a builder for our handshake, with {@code v} = {@value #CLIENT_NAME} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decodes the remaining bytes of {@code payload} (the extended message's bytes after its id); the buffer's
     * position is not changed.
     *
     * @throws ProtocolException if the payload is not a bencoded dictionary within the limits
     */
    public static ExtensionHandshake decode(ByteBuffer payload) throws ProtocolException {
        byte[] array;
        int off;
        int len = payload.remaining();
        if (payload.hasArray()) {
            array = payload.array();
            off = payload.arrayOffset() + payload.position();
        } else {
            array = new byte[len];
            payload.get(payload.position(), array);
            off = 0;
        }
        BValue value;
        try {
            value = DECODER.decodePrefix(array, off, len);
        } catch (BencodeException e) {
            throw new ProtocolException("extension handshake: not valid bencode: " + e.reason() + " at byte "
                    + (e.offset() < 0 ? -1 : e.offset() - off) + " (BEP 10)", e);
        }
        if (!(value instanceof BDict dict)) {
            throw new ProtocolException("extension handshake: a " + kind(value) + ", not a dictionary (BEP 10)");
        }
        Map<String, Integer> extensions = new LinkedHashMap<>();
        if (dict.get("m") instanceof BDict m) {
            for (Map.Entry<BString, BValue> e : m.entries().entrySet()) {
                if (extensions.size() == MAX_EXTENSIONS) {
                    break;
                }
                BString name = e.getKey();
                if (name.length() <= MAX_NAME_BYTES && e.getValue() instanceof BInteger id && id.value() >= 0
                        && id.value() <= 0xff) {
                    extensions.put(name.asString(), (int) id.value());
                }
            }
        }
        String client = dict.get("v") instanceof BString v ? displayName(v) : null;
        int port = dict.get("p") instanceof BInteger p && p.value() >= 1 && p.value() <= 0xffff ? (int) p.value() : 0;
        int reqq = dict.get("reqq") instanceof BInteger q && q.value() >= 1 ? (int) Math.min(q.value(),
                Integer.MAX_VALUE) : 0;
        long size = dict.get("metadata_size") instanceof BInteger s && s.value() >= 1 && s.value() <= MAX_METADATA_SIZE
                ? s.value()
                : 0;
        InetAddress yourIp = null;
        if (dict.get("yourip") instanceof BString ip && (ip.length() == 4 || ip.length() == 16)) {
            try {
                yourIp = InetAddress.getByAddress(ip.bytes());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a 4- or 16-byte address was refused", e);
            }
        }
        return new ExtensionHandshake(extensions, client, port, reqq, size, yourIp);
    }

    /** @return the bencoded dictionary, keys sorted */
    public byte[] encode() {
        BDict.Builder m = BDict.builder();
        extensions.forEach((name, id) -> m.put(name, id.longValue()));
        BDict.Builder d = BDict.builder().put("m", m.build());
        if (client != null) {
            d.put("v", client);
        }
        if (port != 0) {
            d.put("p", port);
        }
        if (requestQueue != 0) {
            d.put("reqq", requestQueue);
        }
        if (metadataSize != 0) {
            d.put("metadata_size", metadataSize);
        }
        if (yourIp != null) {
            d.put("yourip", yourIp.getAddress());
        }
        return BencodeEncoder.encode(d.build());
    }

    /** @return this handshake as an extended message with id 0, ready to send */
    public Message.Extended toMessage() {
        return new Message.Extended(0, ByteBuffer.wrap(encode()));
    }

    /**
     * @return the {@code m} entries in the order received: extension name to id, 0 meaning the extension is disabled;
     *         an unmodifiable map
     */
    public Map<String, Integer> extensions() {
        return extensions;
    }

    /** @return the id the sender wants to receive extension {@code name} under, empty if absent or disabled (0) */
    public OptionalInt extensionId(String name) {
        Integer id = extensions.get(name);
        return id == null || id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** @return {@code v}: the client's name, escaped and cut for display */
    public Optional<String> client() {
        return Optional.ofNullable(client);
    }

    /** @return {@code p}: the sender's TCP listen port, 1 to 65535 */
    public OptionalInt port() {
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** @return {@code reqq}: how many outstanding requests the sender queues without dropping any */
    public OptionalInt requestQueue() {
        return requestQueue == 0 ? OptionalInt.empty() : OptionalInt.of(requestQueue);
    }

    /** @return {@code metadata_size}: the info dictionary's size in bytes (BEP 9), 1 to 64 MiB */
    public OptionalLong metadataSize() {
        return metadataSize == 0 ? OptionalLong.empty() : OptionalLong.of(metadataSize);
    }

    /** @return {@code yourip}: the receiver's address as the sender sees it */
    public Optional<InetAddress> yourIp() {
        return Optional.ofNullable(yourIp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionHandshake h && extensions.equals(h.extensions) && Objects.equals(client, h.client)
                && port == h.port && requestQueue == h.requestQueue && metadataSize == h.metadataSize
                && Objects.equals(yourIp, h.yourIp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(extensions, client, port, requestQueue, metadataSize, yourIp);
    }

    @Override
    public String toString() {
        return "ExtensionHandshake[m=" + extensions + ", v=" + client + ", p=" + port + ", reqq=" + requestQueue
                + ", metadata_size=" + metadataSize + ", yourip=" + (yourIp == null ? null : yourIp.getHostAddress())
                + "]";
    }

    private static String kind(BValue v) {
        return switch (v) {
            case BInteger i -> "integer";
            case BString s -> "string";
            case BDict d -> "dictionary";
            default -> "list";
        };
    }

    /**
     * The client name for display: at most 4 bytes per kept character are decoded (UTF-8, ill-formed sequences
     * replaced), control, format and separator characters and lone surrogates written as {@code \}{@code uXXXX},
     * cut to {@value #MAX_CLIENT_CHARS} characters.
     */
    static String displayName(BString v) {
        ByteBuffer bytes = v.asReadOnlyBuffer();
        bytes.limit(Math.min(bytes.limit(), MAX_CLIENT_CHARS * 4));
        String raw = StandardCharsets.UTF_8.decode(bytes).toString();
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), MAX_CLIENT_CHARS) + 8);
        for (int i = 0; i < raw.length() && sb.length() < MAX_CLIENT_CHARS; i++) {
            char c = raw.charAt(i);
            int type = Character.getType(c);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < raw.length()
                    && Character.isLowSurrogate(raw.charAt(i + 1));
            if (pairedSurrogate) {
                sb.append(c).append(raw.charAt(++i));
            } else if (c == '\\' || type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= MAX_CLIENT_CHARS && sb.length() < raw.length()) {
            sb.setLength(MAX_CLIENT_CHARS);
            sb.append("...");
        }
        return sb.toString();
    }

    /** Collects our extension handshake. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Integer> extensions = new TreeMap<>();
        private String client = CLIENT_NAME;
        private int port;
        private int requestQueue;
        private long metadataSize;
        private InetAddress yourIp;

        private Builder() {
        }

        /** Offers extension {@code name} under {@code id}, 1 to 255, or announces it disabled with 0. */
        public Builder extension(String name, int id) {
            if (id < 0 || id > 0xff) {
                throw new IllegalArgumentException("extension id " + id + " is not 0 to 255");
            }
            extensions.put(Objects.requireNonNull(name, "name"), id);
            return this;
        }

        /** Sets {@code v}; null leaves it out. The default is {@value ExtensionHandshake#CLIENT_NAME}. */
        public Builder client(String name) {
            this.client = name;
            return this;
        }

        /** Sets {@code p}, our TCP listen port, 1 to 65535. */
        public Builder port(int listenPort) {
            if (listenPort < 1 || listenPort > 0xffff) {
                throw new IllegalArgumentException("listen port " + listenPort + " is not 1 to 65535");
            }
            this.port = listenPort;
            return this;
        }

        /** Sets {@code reqq}, at least 1. */
        public Builder requestQueue(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("reqq " + requests + " is not positive");
            }
            this.requestQueue = requests;
            return this;
        }

        /** Sets {@code metadata_size}, 1 to {@value ExtensionHandshake#MAX_METADATA_SIZE}. */
        public Builder metadataSize(long bytes) {
            if (bytes < 1 || bytes > MAX_METADATA_SIZE) {
                throw new IllegalArgumentException("metadata size " + bytes + " is not 1 to " + MAX_METADATA_SIZE);
            }
            this.metadataSize = bytes;
            return this;
        }

        /** Sets {@code yourip}: the peer's address as we see it. */
        public Builder yourIp(InetAddress address) {
            this.yourIp = address;
            return this;
        }

        /** @return the handshake */
        public ExtensionHandshake build() {
            return new ExtensionHandshake(new LinkedHashMap<>(extensions), client, port, requestQueue, metadataSize,
                    yourIp);
        }
    }
}
