package se.regionorebrolan.bhv.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a record on a dead-letter topic ({@code *.dlq}): why it could not be processed and where it came
 * from, so that an operator can fix the cause and re-drive it (deploy/README.md).
 */
public final class DeadLetter {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetter() {
    }

    /** The headers in order; the offset is left out when unknown (null). */
    public static Map<String, String> headers(String reason, String topic, int partition, Long offset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(REASON, reason);
        headers.put(TOPIC, topic);
        headers.put(PARTITION, Integer.toString(partition));
        if (offset != null) {
            headers.put(OFFSET, Long.toString(offset));
        }
        return headers;
    }
}
