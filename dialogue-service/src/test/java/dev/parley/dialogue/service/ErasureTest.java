package dev.parley.dialogue.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.dialogue.repository.DialogueRepository;
import dev.parley.dialogue.repository.ErasureRepository;
import dev.parley.testsupport.ErasureCommands;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * user.erased in dialogue-service, against the real broker and database: everything of the user goes (dialogue
 * state, processed messages, cached embeddings of their texts), the erasure is confirmed (again on a redelivery),
 * and turns of the user racing the erasure or arriving after it leave nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
class ErasureTest {

    static final String TENANT = "t-erasure";
    static final Duration CONFIRMED_WITHIN = Duration.ofSeconds(90);

    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;
    @Inject
    DialogueService dialogue;
    @Inject
    DialogueRepository repository;
    @Inject
    ErasureRepository erasures;

    @BeforeEach
    void installBot() throws Exception {
        NluTestBots.installAndTrain(registry, nlu, TENANT);
    }

    private static InboundMessage message(String conversationId, String userId, String text, Instant acceptedAt) {
        return new InboundMessage(UUID.randomUUID().toString(), TENANT, NluTestBots.BOT_ID, conversationId, "s-1",
                userId, text, null, null, acceptedAt);
    }

    private BotReply say(String conversationId, String userId, String text, Instant acceptedAt) throws Exception {
        return dialogue.handleAndAnnounce(message(conversationId, userId, text, acceptedAt));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private long rowsOf(String userId, List<String> conversations) throws Exception {
        try (var connection = repository.connection()) {
            return erasures.rowsOf(connection, TENANT, userId, conversations.stream().map(UUID::fromString).toList());
        }
    }

    @Test
    void erasesStateRepliesAndCachedTextsThenConfirmsAgainOnRedelivery() throws Exception {
        String user = "erase-" + UUID.randomUUID();
        String other = "keep-" + UUID.randomUUID();
        var conversations = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        var texts = new ArrayList<String>();
        for (String conversation : conversations) {
            for (int i = 0; i < 2; i++) {
                String text = "my card from order " + UUID.randomUUID() + " never arrived";
                texts.add(text);
                var reply = say(conversation, user, text, now());
                assertFalse(reply.messages().isEmpty());
            }
        }
        String otherConversation = UUID.randomUUID().toString();
        String otherText = "i lost my card " + UUID.randomUUID();
        say(otherConversation, other, otherText, now());
        assertEquals(2 + 4, rowsOf(user, conversations), "two states and four processed messages");
        assertNotNull(nlu.encoder(), "the embedding model is loaded");
        texts.forEach(t -> assertTrue(nlu.encoder().contains(t), "cached before the erasure: " + t));

        try (var commands = new ErasureCommands()) {
            var requestedAt = now();
            String erasureId = UUID.randomUUID().toString();
            commands.send(erasureId, TENANT, user, requestedAt);
            var confirmed = commands.awaitConfirmation(erasureId, "dialogue-service", CONFIRMED_WITHIN);
            assertEquals(TENANT, confirmed.getString("tenantId"));
            assertEquals(user, confirmed.getString("userId"));
            assertEquals(6 + texts.size(), confirmed.getLong("itemsErased"), "rows and cached embeddings");

            assertEquals(0, rowsOf(user, conversations));
            texts.forEach(t -> assertFalse(nlu.encoder().contains(t), "still cached: " + t));
            for (String conversation : conversations) {
                assertTrue(dialogue.describe(TENANT, UUID.fromString(conversation)).isEmpty());
            }
            // Another user's data is untouched.
            assertEquals(2, rowsOf(other, List.of(otherConversation)));
            assertTrue(nlu.encoder().contains(otherText));

            // A redelivered command erases nothing more and confirms again.
            commands.send(erasureId, TENANT, user, requestedAt);
            var again = commands.awaitConfirmations(erasureId, "dialogue-service", 2, CONFIRMED_WITHIN);
            assertEquals(0, again.get(1).getLong("itemsErased"));

            // Late turns: on an erased conversation (an old session used after the erasure), or accepted before the
            // erasure on a conversation not seen yet. Neither is stored nor announced, nor is its text cached.
            String lateText = "where is my card " + UUID.randomUUID();
            var late = say(conversations.get(0), user, lateText, now());
            assertTrue(late.messages().isEmpty());
            assertEquals("user_erased", late.metadata().get("error"));
            String fresh = UUID.randomUUID().toString();
            var inFlight = say(fresh, user, lateText, requestedAt.minusMillis(5));
            assertEquals("user_erased", inFlight.metadata().get("error"));
            assertEquals(0, rowsOf(user, List.of(conversations.get(0), conversations.get(1), fresh)));
            assertFalse(nlu.encoder().contains(lateText));

            // The same user id coming back later starts afresh, as in session-service.
            String comeback = UUID.randomUUID().toString();
            var reply = say(comeback, user, "hello there", now().plusMillis(1));
            assertFalse(reply.messages().isEmpty());
            assertEquals(2, rowsOf(user, List.of(comeback)));
        }
    }

    /**
     * Turns of the user keep coming (accepted before the erasure, on known and on new conversations) while the
     * erasure runs and after it is confirmed: none of them leaves a row or a cached text behind.
     */
    @Test
    void turnsRacingTheErasureLeaveNothingBehind() throws Exception {
        String user = "racer-" + UUID.randomUUID();
        Instant acceptedBefore = now();
        var known = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            known.add(UUID.randomUUID().toString());
            say(known.get(i), user, "hi", acceptedBefore);
        }
        var all = java.util.Collections.synchronizedList(new ArrayList<>(known));
        var texts = java.util.Collections.synchronizedList(new ArrayList<String>());
        var pool = Executors.newFixedThreadPool(4);
        var start = new CountDownLatch(1);
        var stop = new AtomicBoolean();
        var handled = new AtomicInteger();
        var workers = new ArrayList<Future<?>>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                start.await();
                int i = 0;
                while (!stop.get()) {
                    String conversation;
                    if (i % 3 == 2) {
                        conversation = UUID.randomUUID().toString();
                        all.add(conversation);
                    } else {
                        conversation = known.get((worker + i) % known.size());
                    }
                    String text = "my card " + worker + "-" + i + " " + UUID.randomUUID() + " has not arrived";
                    texts.add(text);
                    say(conversation, user, text, acceptedBefore);
                    handled.incrementAndGet();
                    i++;
                }
                return null;
            }));
        }
        start.countDown();
        try (var commands = new ErasureCommands()) {
            while (handled.get() < 12) {
                Thread.sleep(20);
            }
            String erasureId = commands.erase(TENANT, user);
            commands.awaitConfirmation(erasureId, "dialogue-service", CONFIRMED_WITHIN);
            int atConfirmation = handled.get();
            // Keep going a little after the confirmation.
            while (handled.get() < atConfirmation + 12) {
                Thread.sleep(20);
            }
        } finally {
            stop.set(true);
            for (var worker : workers) {
                worker.get();
            }
            pool.shutdown();
        }
        assertTrue(handled.get() >= 24, "turns handled: " + handled.get());
        assertEquals(0, rowsOf(user, List.copyOf(all)), "rows of the user left behind");
        for (String text : List.copyOf(texts)) {
            assertFalse(nlu.encoder().contains(text), "still cached: " + text);
        }
    }
}
