package se.regionorebrolan.bhv.visit.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PersonnummerTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    @ParameterizedTest
    @ValueSource(strings = {"202601152388", "20260115-2388", "2601152388", "260115-2388", " 202601152388 "})
    void acceptsEveryFormAndNormalisesToTwelveDigits(String raw) {
        Personnummer p = Personnummer.parse(raw, TODAY);
        assertEquals("202601152388", p.normalised());
        assertEquals(LocalDate.of(2026, 1, 15), p.birthDate());
    }

    @Test
    void samordningsnummerHasDayPlusSixty() {
        String number = "20" + "250375123" + checkDigit("250375123");
        Personnummer p = Personnummer.parse(number, TODAY);
        assertEquals(LocalDate.of(2025, 3, 15), p.birthDate());
    }

    @Test
    void tenDigitsGetTheCenturyOfTheLastHundredYears() {
        assertEquals(LocalDate.of(2026, 1, 15), Personnummer.parse("2601152388", TODAY).birthDate());
        String old = "270115" + "238" + checkDigit("270115238");
        assertEquals(1927, Personnummer.parse(old, TODAY).birthDate().getYear());
    }

    @ParameterizedTest
    @ValueSource(strings = {"202601152389", "20260115238", "2026011523881", "2026-01152388", "20260115238X", "", "   ",
            "202613152385", "202602302380"})
    void refusesWrongCheckDigitLengthFormAndImpossibleDates(String raw) {
        assertThrows(Personnummer.InvalidException.class, () -> Personnummer.parse(raw, TODAY));
    }

    @Test
    void refusesBirthInTheFuture() {
        String future = "2026" + "1224" + "123" + checkDigit("261224123");
        assertThrows(Personnummer.InvalidException.class, () -> Personnummer.parse(future, TODAY));
    }

    @Test
    void neverShowsTheNumberInMessagesOrToString() {
        var e = assertThrows(Personnummer.InvalidException.class, () -> Personnummer.parse("202601152389", TODAY));
        assertFalse(e.getMessage().contains("2601152389"));
        assertFalse(Personnummer.parse("202601152388", TODAY).toString().contains("2388"));
    }

    /** The last digit that makes nine digits (from YY) Luhn-valid. */
    static String checkDigit(String nineDigits) {
        for (int d = 0; d <= 9; d++) {
            if (Personnummer.luhnValid(nineDigits + d)) {
                return Integer.toString(d);
            }
        }
        throw new IllegalStateException();
    }
}
