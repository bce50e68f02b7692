package de.amtsbote.adapter.loopback;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a small answer (JSON, an error text) into a byte array, refusing more than a limit: an answer is kept as
 * transport proof, and a peer that sent without end must not fill the gateway's memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
    private final long limit;
    private long received;
    private Flow.Subscription subscription;
    private boolean exceeded;

    private BoundedBody(long limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return bytes.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        bytes.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (exceeded) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
        }
        if (received > limit) {
            exceeded = true;
            subscription.cancel();
            bytes.onError(new IOException("answer larger than " + limit + " bytes"));
            return;
        }
        bytes.onNext(buffers);
    }

    @Override
    public void onError(Throwable failure) {
        if (!exceeded) {
            bytes.onError(failure);
        }
    }

    @Override
    public void onComplete() {
        if (!exceeded) {
            bytes.onComplete();
        }
    }
}
