package se.regionorebrolan.bhv.kit;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the relay parks and how it waits: the pure parts of {@link OutboxRelay}. */
class RelayTests {

    @Test
    void backOffDoublesFromASecondToHalfAMinute() {
        assertEquals(Duration.ofSeconds(1), Relay.backOff(1));
        assertEquals(Duration.ofSeconds(2), Relay.backOff(2));
        assertEquals(Duration.ofSeconds(16), Relay.backOff(5));
        assertEquals(Duration.ofSeconds(30), Relay.backOff(6));
        assertEquals(Duration.ofSeconds(30), Relay.backOff(1000));
    }

    @Test
    void onlyARunThatSentAPartialBatchLingers() {
        Duration linger = Duration.ofMillis(25);
        assertEquals(linger, Relay.pauseAfter(Relay.Sent.SOME, linger));
        // a full batch: the rest goes at once; nothing sent: the next change after a quiet spell goes at once
        assertEquals(Duration.ZERO, Relay.pauseAfter(Relay.Sent.MORE_WAITING, linger));
        assertEquals(Duration.ZERO, Relay.pauseAfter(Relay.Sent.NOTHING, linger));
        assertEquals(Duration.ZERO, Relay.pauseAfter(Relay.Sent.SOME, Duration.ZERO));
    }

    @Test
    void onlyARecordKafkaRefusesForGoodIsParked() {
        String tooLarge = Relay.poisonReason(new RecordTooLargeException("The message is 2000191 bytes"));
        assertNotNull(tooLarge);
        assertTrue(tooLarge.startsWith("RecordTooLargeException: The message is 2000191 bytes"), tooLarge);
        assertNotNull(Relay.poisonReason(new CompletionException(new InvalidRecordException("bad"))));
        // transient, or the same for every event (an operator fixes it once): retried, never parked
        for (Throwable t : Set.of(new TimeoutException("metadata"), new NotEnoughReplicasException("isr"),
                new TopicAuthorizationException("acl"), new IllegalStateException("producer closed"))) {
            assertNull(Relay.poisonReason(t), t.toString());
        }
    }

    @Test
    void aParkReasonIsBounded() {
        String reason = Relay.poisonReason(new RecordTooLargeException("x".repeat(5000)));
        assertEquals("RecordTooLargeException: ".length() + 500, reason.length());
    }
}
