package se.regionorebrolan.bhv.events;

public enum ParticipantRole {
    BHV_NURSE, SOCIAL_SERVICES, OTHER
}
