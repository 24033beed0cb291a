package dev.parley.gateway.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.gateway.client.Backends;
import dev.parley.gateway.client.TranscriptMessage;

/**
 * What a reconnecting stream missed: the transcript messages stored after its position, read from session-service
 * newest page first until the position is found. Only transcript messages can be replayed; deltas and lifecycle
 * events are gone once a stream missed them (the final message and the conversation's status are in its history).
 */
@ApplicationScoped
public class ConversationReplay {

    private static final int PAGE = 100;

    @Inject
    Backends backends;

    /**
     * The messages after {@code position}, oldest first; empty when the position is not among the newest
     * {@code limit} messages (too old, or not a message of this conversation): the client must reload history.
     */
    public Optional<List<TranscriptMessage>> after(String tenantId, String conversationId, ResumePoint position,
            int limit) {
        var newestFirst = new ArrayList<TranscriptMessage>();
        String before = null;
        while (newestFirst.size() <= limit) {
            var page = backends.messages(tenantId, conversationId, before, null,
                    Math.min(PAGE, limit + 1 - newestFirst.size()));
            List<TranscriptMessage> messages = page.messages() == null ? List.of() : page.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                TranscriptMessage message = messages.get(i);
                if (!position.atStart() && position.messageId().equals(message.messageId())) {
                    return Optional.of(oldestFirst(newestFirst));
                }
                newestFirst.add(message);
            }
            if (!page.hasOlder() || page.older() == null || messages.isEmpty()) {
                // The whole transcript was read: from the start it is all missed; a position not in it is unknown.
                return position.atStart() && newestFirst.size() <= limit ? Optional.of(oldestFirst(newestFirst))
                        : Optional.empty();
            }
            before = page.older();
        }
        return Optional.empty();
    }

    private static List<TranscriptMessage> oldestFirst(List<TranscriptMessage> newestFirst) {
        var copy = new ArrayList<>(newestFirst);
        Collections.reverse(copy);
        return copy;
    }
}
