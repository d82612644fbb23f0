package se.regionorebrolan.bhv.reporting.domain;

import java.math.BigDecimal;

/** Money as the contract writes it: SEK as a string with two decimals, kept as whole öre. */
public final class Money {

    /** Far above any grant: a larger amount is a typing error. */
    static final long MAX_ORE = 100_000_000_000_000L;

    private Money() {
    }

    /** Parses "2500.00" (or "2500", "2500.5") into öre; null when it is not a non-negative amount of at most 2 decimals. */
    public static Long parseOre(String text) {
        if (text == null || !text.matches("\\d{1,15}(\\.\\d{1,2})?")) {
            return null;
        }
        long ore = new BigDecimal(text).movePointRight(2).longValueExact();
        return ore > MAX_ORE ? null : ore;
    }

    public static BigDecimal sek(long ore) {
        return BigDecimal.valueOf(ore, 2);
    }
}
