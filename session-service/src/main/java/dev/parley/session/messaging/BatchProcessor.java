package dev.parley.session.messaging;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.parley.common.db.DatabaseOutages;

/**
 * Applies a batch of records in one transaction. A record that cannot be parsed, or that the database refuses
 * on its own, goes to the dead-letter topic and the rest of the batch proceeds; an outage of the database is
 * waited out, never dead-lettered, so nothing accepted is lost.
 */
@ApplicationScoped
public class BatchProcessor {

    @FunctionalInterface
    public interface Parser<T> {
        /** @throws IllegalArgumentException with the reason when the record is not a valid {@code T} */
        T parse(String value);
    }

    @FunctionalInterface
    public interface Store<T> {
        void store(List<T> items) throws SQLException;
    }

    @Inject
    DeadLetters deadLetters;

    public <T> void process(Iterable<ConsumerRecord<String, String>> records, Parser<T> parser, Store<T> store) {
        var items = new ArrayList<T>();
        var sources = new ArrayList<ConsumerRecord<String, String>>();
        for (var record : records) {
            try {
                items.add(parser.parse(record.value()));
                sources.add(record);
            } catch (RuntimeException e) {
                deadLetters.send(record, "unreadable: " + e.getMessage());
            }
        }
        if (items.isEmpty()) {
            return;
        }
        try {
            storeWaitingOutOutages(items, store);
        } catch (SQLException batchFailure) {
            // One record is bad for the database; find it by storing them one at a time.
            for (int i = 0; i < items.size(); i++) {
                try {
                    storeWaitingOutOutages(List.of(items.get(i)), store);
                } catch (SQLException e) {
                    deadLetters.send(sources.get(i), "refused by the database: " + e.getMessage());
                }
            }
        }
    }

    private static <T> void storeWaitingOutOutages(List<T> items, Store<T> store) throws SQLException {
        DatabaseOutages.waitOut(() -> {
            store.store(items);
            return null;
        });
    }
}
