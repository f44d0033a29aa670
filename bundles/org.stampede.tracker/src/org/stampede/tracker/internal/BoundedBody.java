package org.stampede.tracker.internal;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body of at most {@code max} bytes. The buffer grows with the bytes actually received, never
 * with what {@code Content-Length} claims; a body that turns out (or is announced) to be bigger is cancelled and
 * fails with {@link TooLarge}.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Bytes> {
    private static final int INITIAL = 4096;

    /** The body: {@code data[0, length)}. */
    record Bytes(byte[] data, int length) {
    }

    /** The body exceeded the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final int limit;

        TooLarge(int limit) {
            super("reply body larger than " + limit + " bytes");
            this.limit = limit;
        }
    }

    private final int max;
    private final boolean refuse;
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buf = new byte[0];
    private int len;

    private BoundedBody(int max, boolean refuse) {
        this.max = max;
        this.refuse = refuse;
    }

    /** A handler that refuses at once a body whose Content-Length exceeds {@code max}. */
    static HttpResponse.BodyHandler<Bytes> handler(int max) {
        return info -> {
            OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
            return new BoundedBody(max, declared.isPresent() && declared.getAsLong() > max);
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refuse) {
            s.cancel();
            result.completeExceptionally(new TooLarge(max));
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (n > max - len) {
                buf = null;
                subscription.cancel();
                result.completeExceptionally(new TooLarge(max));
                return;
            }
            if (len + n > buf.length) {
                int cap = (int) Math.min(max, Math.max(len + n, Math.max(INITIAL, 2L * buf.length)));
                buf = Arrays.copyOf(buf, cap);
            }
            b.get(buf, len, n);
            len += n;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        buf = null;
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(buf, len));
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }
}
