package se.regionorebrolan.bhv.compensation.domain;

import java.math.BigDecimal;

/** Öre to the contract's money: SEK with exactly two decimals. */
public final class Money {

    private Money() {
    }

    public static BigDecimal sek(long ore) {
        return BigDecimal.valueOf(ore, 2);
    }
}
