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

    /**
     * Whether the text holds something written like a personnummer or samordningsnummer. Every such number starts
     * with six digits in a row (the birth date), so a text without such a run is answered without the expression,
     * which otherwise tries a match from every position of every text (issue 18: a tenth of visit-service's CPU for
     * a batch, where nearly every text is a name, a code or a short id).
     */
    public static boolean in(String text) {
        return text != null && hasSixDigitsInARow(text) && SHAPE.matcher(text).find();
    }

    private static boolean hasSixDigitsInARow(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            run = c >= '0' && c <= '9' ? run + 1 : 0;
            if (run == 6) {
                return true;
            }
        }
        return false;
    }
}
