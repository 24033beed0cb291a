package dev.parley.session;

import java.util.List;

/** A page of conversations, newest first; {@code next} is the cursor of the following page, null at the end. */
public record ConversationList(List<ConversationView> conversations, String next) {
}
