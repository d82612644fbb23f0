package se.regionorebrolan.bhv.events;

import java.util.List;

/** The Kafka topics of the contract (CONTRACT.md), with the settings every environment creates them with. */
public final class Topics {

    public static final String VISITS = "bhv.visits.v1";
    public static final String VISITS_DLQ = "bhv.visits.v1.dlq";
    public static final String PAYOUTS = "bhv.payouts.v1";
    public static final String PAYOUTS_DLQ = "bhv.payouts.v1.dlq";
    public static final String CENTRES = "bhv.centres.v1";
    public static final String CENTRES_DLQ = "bhv.centres.v1.dlq";

    public static final int PARTITIONS = 6;

    /** A topic and whether it is log-compacted (the latest record per key is the state). */
    public record Spec(String name, boolean compacted) {
    }

    public static final List<Spec> ALL = List.of(
            new Spec(VISITS, false),
            new Spec(VISITS_DLQ, false),
            new Spec(PAYOUTS, false),
            new Spec(PAYOUTS_DLQ, false),
            new Spec(CENTRES, true),
            new Spec(CENTRES_DLQ, false));

    private Topics() {
    }
}
