package se.regionorebrolan.bhv.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
