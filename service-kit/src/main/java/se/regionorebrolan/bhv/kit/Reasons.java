package se.regionorebrolan.bhv.kit;

import se.regionorebrolan.bhv.events.IdentityNumbers;

import java.util.regex.Pattern;

/**
 * A reason a person writes (a retraction's, a discarded event's): 1-500 characters, never a personal identity number
 * nor a long run of digits that could be one in a form the pattern does not know.
 */
public final class Reasons {

    public static final int MAX = 500;
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d[\\d -]{8,}\\d");

    private Reasons() {
    }

    /** What is wrong with the reason, for the problem's {@code errors}; null when it is fine. */
    public static String problem(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX) {
            return "is required: at most " + MAX + " characters";
        }
        if (IdentityNumbers.in(reason) || DIGIT_RUN.matcher(reason).find()) {
            return "must not contain a personal identity number or samordningsnummer (nor long digit sequences)";
        }
        return null;
    }

    /** Refuses a reason that is not fine with a 400 naming the field {@code reason}. */
    public static void require(String reason) {
        String problem = problem(reason);
        if (problem != null) {
            throw new InvalidRequestException("reason", problem);
        }
    }
}
