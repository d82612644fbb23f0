package se.regionorebrolan.bhv.events;

public enum Referral {
    PRESCHOOL, MATERNAL_HEALTH, DENTAL, OTHER
}
