package dev.parley.dialogue.nlu;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An entity found in a text: its type ({@code number}, {@code email}, {@code amount-of-money}, {@code date}, or
 * the name of a list or pattern entity of the bot), the text as written and where it stands (character offsets,
 * end exclusive), and its value in a canonical form: a plain decimal number, a lower-cased e-mail address, an
 * ISO-8601 date, a list entry's canonical value. {@code unit} is the ISO-4217 currency of an amount of money.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Entity(String entity, String value, String unit, String text, int start, int end) {
}
