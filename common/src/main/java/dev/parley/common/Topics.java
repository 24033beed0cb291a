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

    /** Records that could not be processed, with the failure reason in headers. */
    public static final String DEAD_LETTER = "parley.dead-letter";

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
