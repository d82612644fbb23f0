package se.regionorebrolan.bhv.compensation.domain;

/** How a centre is paid: per visit, or fixed compensation with extended resource (DOMAIN.md rule 2 and 4). */
public enum CompensationModel {
    VARIABLE, FIXED_EXTENDED
}
