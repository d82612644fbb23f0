package se.regionorebrolan.bhv.events;

import java.util.regex.Pattern;

/**
 * What a Swedish personal identity number or samordningsnummer looks like in writing, for the fields of the contract
 * that must never hold one (participants' organisation and HSA-id, source ids, reasons, names, free texts): a birth
 * date of 6 or 8 digits (month 01–12, day 01–31, or 61–91 for a samordningsnummer), then, directly or after one of
 * {@code - + . space}, four digits, with no digit right before or after. Shape only, whatever the check digit: a
 * mistyped number is still a person's. The event schemas use {@link #PATTERN} (as {@code not}/{@code pattern}).
 */
public final class IdentityNumbers {

    /** The regular expression, as the JSON Schemas use it. */
    public static final String PATTERN = "(^|[^0-9])([0-9]{2})?[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
            + "[-+. ]?[0-9]{4}([^0-9]|$)";

    private static final Pattern SHAPE = Pattern.compile(PATTERN);

    private IdentityNumbers() {
    }

    /** Whether the text holds something written like a personnummer or samordningsnummer. */
    public static boolean in(String text) {
        return text != null && SHAPE.matcher(text).find();
    }
}
