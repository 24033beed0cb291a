package dev.parley.gateway.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open stream's inbox: events of its conversation, held until the stream writes them. Bounded: when it is
 * full the subscription is marked overrun and takes no more, and the stream ends with {@code stream.resync}.
 */
public final class Subscription {

    private final String tenantId;
    private final String conversationId;
    private final BlockingQueue<StreamEvent> inbox;
    private volatile boolean overrun;

    Subscription(String tenantId, String conversationId, int capacity) {
        this.tenantId = tenantId;
        this.conversationId = conversationId;
        this.inbox = new ArrayBlockingQueue<>(capacity);
    }

    public String tenantId() {
        return tenantId;
    }

    public String conversationId() {
        return conversationId;
    }

    void offer(StreamEvent event) {
        if (!overrun && !inbox.offer(event)) {
            overrun = true;
            inbox.clear();
        }
    }

    /** True once an event had to be dropped: the subscriber fell too far behind. */
    public boolean overrun() {
        return overrun;
    }

    /** The next event, or null when none came within the wait. */
    public StreamEvent next(long wait, TimeUnit unit) throws InterruptedException {
        return inbox.poll(wait, unit);
    }
}
