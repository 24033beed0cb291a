package dev.parley.webhook.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A Kafka consumer on a thread of its own that hands each non-empty poll to a handler and commits the poll's offsets
 * only after the handler returns. The commit does not hold the next poll up (it is sent asynchronously, and a final
 * one synchronously at shutdown): a commit that is lost only means records come again, which the handlers' stores
 * treat as no-ops. If the loop fails it starts over with a fresh consumer from the committed offsets, so nothing after
 * the last commit is lost.
 */
final class PollingConsumer {

    private static final Logger LOG = Logger.getLogger(PollingConsumer.class);

    private final String name;
    private final Supplier<KafkaConsumer<String, String>> factory;
    private final List<String> topics;
    private final Duration pollTimeout;
    private final Consumer<ConsumerRecords<String, String>> handler;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    /**
     * @param name        the thread's name, also used in the log
     * @param handler processes a poll; throwing makes the loop start over without committing it
     */
    PollingConsumer(String name, Supplier<KafkaConsumer<String, String>> factory, List<String> topics,
            Duration pollTimeout, Consumer<ConsumerRecords<String, String>> handler) {
        this.name = name;
        this.factory = factory;
        this.topics = topics;
        this.pollTimeout = pollTimeout;
        this.handler = handler;
    }

    void start() {
        running = true;
        consumer = factory.get();
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void commitOnShutdown() {
        try {
            consumer.commitSync(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("%s: the last offset commit failed (the records will be seen again): %s", name, e);
        }
    }

    private void run() {
        try (var c = consumer) {
            c.subscribe(topics);
            while (running) {
                var records = c.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                handler.accept(records);
                c.commitAsync((offsets, error) -> {
                    if (error != null) {
                        LOG.debugf("%s: an offset commit failed (the records will be seen again): %s", name, error);
                    }
                });
            }
        } catch (WakeupException stopping) {
            commitOnShutdown();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped; it starts over from the last committed offset", name);
            if (running) {
                start();
            }
        }
    }
}
