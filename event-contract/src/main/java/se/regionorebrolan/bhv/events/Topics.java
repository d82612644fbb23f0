package se.regionorebrolan.bhv.events;

import java.util.List;

/** The Kafka topics of the contract (CONTRACT.md), with the settings every environment creates them with. */
public final class Topics {

    public static final String VISITS = "bhv.visits.v1";
    public static final String PAYOUTS = "bhv.payouts.v1";
    public static final String CENTRES = "bhv.centres.v1";

    public static final int PARTITIONS = 6;

    /** A topic and whether it is log-compacted (the latest record per key is the state). */
    public record Spec(String name, boolean compacted) {
    }

    /**
     * A consumer group's dead-letter topic for a topic it reads: one per group, so that a replay processes a record
     * again for the group that could not, and for no other.
     */
    public static String deadLetters(String topic, String group) {
        return topic + "." + group + ".dlq";
    }

    public static final List<Spec> ALL = List.of(
            new Spec(VISITS, false),
            new Spec(PAYOUTS, false),
            new Spec(CENTRES, true),
            new Spec(deadLetters(VISITS, "compensation-service"), false),
            new Spec(deadLetters(VISITS, "reporting-service"), false),
            new Spec(deadLetters(PAYOUTS, "reporting-service"), false),
            new Spec(deadLetters(CENTRES, "reporting-service"), false),
            new Spec(deadLetters(CENTRES, "visit-service"), false));

    private Topics() {
    }
}
