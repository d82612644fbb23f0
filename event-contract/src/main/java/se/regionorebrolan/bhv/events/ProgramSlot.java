package se.regionorebrolan.bhv.events;

/** The slots of Örebro's suggested extended programme (DOMAIN.md), first 15 months. */
public enum ProgramSlot {
    WEEK_1_2, MONTH_2, MONTH_4, MONTH_8, MONTH_12, MONTH_15
}
