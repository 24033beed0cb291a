package dev.parley.session;

import java.util.List;

/**
 * One page of a transcript, oldest first within the page.
 *
 * @param older cursor to pass as {@code before} for the previous (older) page; null when there is none
 * @param newer cursor to pass as {@code after} for later messages; present whenever the page is not empty, so a
 *              client can poll for what comes next
 */
public record MessagePage(List<StoredMessage> messages, String older, String newer, boolean hasOlder,
        boolean hasNewer) {
}
