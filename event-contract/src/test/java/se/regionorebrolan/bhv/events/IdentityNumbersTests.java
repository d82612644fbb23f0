package se.regionorebrolan.bhv.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityNumbersTests {

    @ParameterizedTest
    @ValueSource(strings = {"202601152388", "20260115-2388", "20260115+2388", "20260115 2388", "20260115.2388",
            "260115-2388", "260115+2388", "2601152388", "260115 2388", "260115.2388",
            "202601752384",                  // samordningsnummer: day 15 + 60
            "202601152389",                  // a wrong check digit is still a person's number
            "Barnet 201601152388 besöktes", "kommun:20260115-2388", "(260115-2388)"})
    void findsANumberInAnyWrittenForm(String text) {
        assertTrue(IdentityNumbers.in(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ENC-2026-000123", "SE2321000164-N0000001", "SE2321000164-E000000000001", "2026-03-16",
            "Örebro kommun", "1234567890123", "019-602 10 00", "20261315-2388", "20260100-2388", "20260115-23881",
            "CBHV 2026/12", "RS-beslut 2025-12-01 §7", "LÖN-2026-04", ""})
    void leavesOtherTextsAlone(String text) {
        assertFalse(IdentityNumbers.in(text), text);
    }

    /**
     * The quick answer for texts without six digits in a row is the expression's own: texts of digits, separators
     * and letters (a few thousand of them with a number's shape somewhere), each answered as the expression alone would.
     */
    @Test
    void answersAsTheExpressionDoes() {
        Pattern shape = Pattern.compile(IdentityNumbers.PATTERN);
        Random random = new Random(18);
        String alphabet = "0123456789012345678901234567890123456789-+. aZö";
        int found = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder text = new StringBuilder();
            if (random.nextBoolean()) { // a date-like start makes a number's shape likely
                text.append(random.nextBoolean() ? "20" : "").append("2601").append(10 + random.nextInt(80));
            }
            for (int i = random.nextInt(16); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean expected = shape.matcher(text).find();
            found += expected ? 1 : 0;
            assertEquals(expected, IdentityNumbers.in(text.toString()), text.toString());
        }
        assertTrue(found > 2_500, "too few texts with a number's shape to compare: " + found);
    }
}
