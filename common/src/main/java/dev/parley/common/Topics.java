package dev.parley.common;

/**
 * Kafka topic names. Each is also the name of the messaging channel that reads or writes it, so a
 * grep for the constant finds every producer and consumer of a topic.
 */
public final class Topics {

    /** User messages accepted by the gateway; key = conversationId. Payload {@code InboundMessage}. */
    public static final String MESSAGES_INBOUND = "parley.messages.inbound";

    /** Bot replies, one record per turn; key = conversationId. Payload {@code BotReply}. */
    public static final String REPLIES = "parley.replies";

    /** Conversation lifecycle and transcript events; key = conversationId. */
    public static final String CONVERSATION_EVENTS = "parley.conversation.events";

    /** Events raised by the dialogue engine (intent.detected, handoff.requested, custom); key = conversationId. */
    public static final String DIALOGUE_EVENTS = "parley.dialogue.events";

    /**
     * Token deltas of bot answers while a language model generates them ({@code message.delta}, payload
     * {@code MessageDelta}); key = conversationId. Fire-and-forget and short-lived: not stored, not in the
     * transcript, not fanned out to webhooks; the final {@code message.sent} carries the whole text.
     */
    public static final String DIALOGUE_STREAM = "parley.dialogue.stream";

    /** Records that could not be processed, with the failure reason in headers. */
    public static final String DEAD_LETTER = "parley.dead-letter";

    /** Events about webhook endpoints themselves ({@code webhook.endpoint.disabled}); key = subscription id. */
    public static final String WEBHOOK_EVENTS = "parley.webhook.events";
    /**
     * Requests to knowledge-service to ingest a document version; key = documentId. Payload {@code KnowledgeCommand}.
     * Produced and consumed by knowledge-service only (its document table is the outbox), so no request is lost.
     */
    public static final String KNOWLEDGE_COMMANDS = "parley.knowledge.commands";
    /**
     * Erasure commands ({@code user.erased}, payload {@code UserErased}); key = tenantId + ":" + userId. Every
     * service that holds user data consumes it and erases that user's data (see docs/erasure.md).
     */
    public static final String USER_ERASURES = "parley.user.erasures";

    /** Each service's answer to a {@code user.erased} command ({@code erasure.confirmed}, payload {@code ErasureConfirmed}). */
    public static final String ERASURE_CONFIRMATIONS = "parley.erasure.confirmations";
    /**
     * Credential changes (API key revoked or rotated), broadcast to every gateway replica so each evicts the key
     * from its cache; key = tenantId. Each replica reads it with its own consumer group. Payload
     * {@code CredentialChanged}.
     */
    public static final String GATEWAY_CREDENTIALS = "parley.gateway.credentials";

    /** The admin audit trail: who changed what, when; key = tenantId. Payload {@code AuditRecorded}. */
    public static final String AUDIT = "parley.audit";

    /** Every topic on which a tenant-facing event can appear: what webhook-service fans out. */
    public static final String[] EVENT_TOPICS = { CONVERSATION_EVENTS, DIALOGUE_EVENTS };

    private Topics() {
    }
}
