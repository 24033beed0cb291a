package dev.parley.common.events;

/** CloudEvents {@code type} values. Bots may add their own dotted types (for example {@code lead.qualified}). */
public final class EventTypes {
    public static final String MESSAGE_INBOUND = "message.inbound";
    public static final String BOT_REPLY = "bot.reply";
    public static final String CONVERSATION_STARTED = "conversation.started";
    public static final String MESSAGE_RECEIVED = "message.received";
    public static final String MESSAGE_SENT = "message.sent";
    /** A piece of a bot message while it is generated, on {@code parley.dialogue.stream}. */
    public static final String MESSAGE_DELTA = "message.delta";
    public static final String INTENT_DETECTED = "intent.detected";
    public static final String HANDOFF_REQUESTED = "handoff.requested";
    public static final String HANDOFF_RELEASED = "handoff.released";
    public static final String CONVERSATION_ENDED = "conversation.ended";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_ERASED = "user.erased";
    public static final String ERASURE_CONFIRMED = "erasure.confirmed";
    public static final String AUDIT_RECORDED = "audit.recorded";
    public static final String CREDENTIAL_CHANGED = "credential.changed";

    private EventTypes() {
    }
}
