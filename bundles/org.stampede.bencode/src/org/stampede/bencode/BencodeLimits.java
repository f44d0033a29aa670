package org.stampede.bencode;

/**
 * Resource limits applied by {@link BencodeDecoder}, in the spirit of libtorrent's {@code bdecode} limits.
 *
 * @param maxDepth  maximum number of nested lists/dicts open at once (a top-level list has depth 1)
 * @param maxTokens maximum number of values in the input; every integer, string (dict keys included),
 *                  list and dict counts as one token
 * @param maxSize   maximum number of input bytes
 */
public record BencodeLimits(int maxDepth, int maxTokens, long maxSize) {

    /** Depth 100, 2,000,000 tokens, 64 MiB. */
    public static final BencodeLimits DEFAULT = new BencodeLimits(100, 2_000_000, 64L * 1024 * 1024);

    /** @throws IllegalArgumentException if any limit is negative */
    public BencodeLimits {
        if (maxDepth < 0 || maxTokens < 0 || maxSize < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxDepth + ", " + maxTokens
                    + ", " + maxSize);
        }
    }

    /** @return a copy with the given maximum depth */
    public BencodeLimits withMaxDepth(int depth) {
        return new BencodeLimits(depth, maxTokens, maxSize);
    }

    /** @return a copy with the given maximum token count */
    public BencodeLimits withMaxTokens(int tokens) {
        return new BencodeLimits(maxDepth, tokens, maxSize);
    }

    /** @return a copy with the given maximum input size in bytes */
    public BencodeLimits withMaxSize(long size) {
        return new BencodeLimits(maxDepth, maxTokens, size);
    }
}
