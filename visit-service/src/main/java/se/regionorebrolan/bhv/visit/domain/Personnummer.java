package se.regionorebrolan.bhv.visit.domain;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A Swedish personal identity number or samordningsnummer (day + 60), normalised to 12 digits.
 * Never put the number itself in a message, log or exception: it is health data here.
 */
public record Personnummer(String normalised, LocalDate birthDate) {

    /** Why a number was refused; the message never contains the number. */
    public static final class InvalidException extends IllegalArgumentException {
        InvalidException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "Personnummer[redacted]";
    }

    /**
     * Accepts {@code YYYYMMDDNNNC}, {@code YYYYMMDD-NNNC}, {@code YYMMDDNNNC} and {@code YYMMDD-NNNC}
     * ({@code +} instead of {@code -} for 100 years or older). A 10-digit number gets the century that puts the
     * birth date in the last 100 years before {@code today}.
     */
    public static Personnummer parse(String raw, LocalDate today) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidException("is required");
        }
        String value = raw.strip();
        boolean centenarian = false;
        int sep = Math.max(value.indexOf('-'), value.indexOf('+'));
        if (sep >= 0) {
            if (sep != value.length() - 5) {
                throw new InvalidException("must be 12 digits (YYYYMMDDNNNC), optionally with '-' before the last four");
            }
            centenarian = value.charAt(sep) == '+';
            value = value.substring(0, sep) + value.substring(sep + 1);
        }
        if (!value.chars().allMatch(c -> c >= '0' && c <= '9') || (value.length() != 12 && value.length() != 10)) {
            throw new InvalidException("must be 12 digits (YYYYMMDDNNNC), optionally with '-' before the last four");
        }
        String twelve = value.length() == 12 ? value : withCentury(value, today, centenarian);
        if (!luhnValid(twelve.substring(2))) {
            throw new InvalidException("has a wrong check digit");
        }
        int day = Integer.parseInt(twelve.substring(6, 8));
        if (day > 60) {
            day -= 60; // samordningsnummer
        }
        LocalDate birth;
        try {
            birth = LocalDate.of(Integer.parseInt(twelve.substring(0, 4)), Integer.parseInt(twelve.substring(4, 6)), day);
        } catch (DateTimeException e) {
            throw new InvalidException("does not contain a valid birth date");
        }
        if (birth.isAfter(today)) {
            throw new InvalidException("has a birth date in the future");
        }
        return new Personnummer(twelve, birth);
    }

    private static String withCentury(String ten, LocalDate today, boolean centenarian) {
        int yy = Integer.parseInt(ten.substring(0, 2));
        int century = today.getYear() / 100 * 100;
        int year = century + yy > today.getYear() ? century - 100 + yy : century + yy;
        if (centenarian) {
            year -= 100;
        }
        return year + ten.substring(2);
    }

    /** Luhn over the ten digits from YY: the last one is the check digit. */
    static boolean luhnValid(String tenDigits) {
        int sum = 0;
        for (int i = 0; i < tenDigits.length(); i++) {
            int d = tenDigits.charAt(i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
