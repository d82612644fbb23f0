package se.regionorebrolan.bhv.kit;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.WriterHandler;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly the two known WARNs of a start are left out, a commit cut off by a stop is an INFO; the same loggers' other
 * records are kept as they are.
 */
class KnownWarningsTests {

    private final KnownWarnings filter = new KnownWarnings();

    private static ExtLogRecord record(String logger, String format, ExtLogRecord.FormatStyle style, Object... params) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, format, style, KnownWarningsTests.class.getName());
        record.setLoggerName(logger);
        record.setParameters(params);
        return record;
    }

    @Test
    void theTwoKnownWarningsAreLeftOut() {
        assertFalse(filter.isLoggable(record("io.smallrye.reactive.messaging.kafka",
                "SRMSG18235: Will not health check throttled commit strategy for group '%s'.",
                ExtLogRecord.FormatStyle.PRINTF, "visit-service")));
        // as SLF4J hands it over: already formatted
        assertFalse(filter.isLoggable(record("io.micrometer.core.instrument.MeterRegistry",
                "This Gauge has been already registered (MeterId{name='netty.eventexecutor.workers', tags=[]}), the"
                        + " registration will be ignored.", ExtLogRecord.FormatStyle.NO_FORMAT)));
    }

    @Test
    void aCommitCutOffByTheConsumersCloseIsAnInfoAndAnyOtherFailedCommitStaysAWarn() {
        String format = "SRMSG18252: Failed to commit %s, it will be re-attempted";
        ExtLogRecord cutOff = record("io.smallrye.reactive.messaging.kafka", format, ExtLogRecord.FormatStyle.PRINTF,
                "{bhv.payouts.v1-1=OffsetAndMetadata{offset=2}}");
        cutOff.setThrown(new IllegalStateException("wrapped", new WakeupException()));
        assertTrue(filter.isLoggable(cutOff));
        assertEquals(Level.INFO, cutOff.getLevel());

        ExtLogRecord failed = record("io.smallrye.reactive.messaging.kafka", format, ExtLogRecord.FormatStyle.PRINTF,
                "{bhv.payouts.v1-1=OffsetAndMetadata{offset=2}}");
        failed.setThrown(new TimeoutException("broker away"));
        assertTrue(filter.isLoggable(failed));
        assertEquals(Level.WARNING, failed.getLevel());
    }

    @Test
    void aLogHandlerWithTheFilterWritesTheCutOffCommitAsAnInfo() {
        // as a service's console handler runs it: the handler's level is checked before its filter
        StringWriter out = new StringWriter();
        WriterHandler handler = new WriterHandler();
        handler.setWriter(out);
        handler.setLevel(Level.INFO);
        handler.setFilter(filter);
        handler.setFormatter(new PatternFormatter("%p %s%n"));
        ExtLogRecord cutOff = record("io.smallrye.reactive.messaging.kafka",
                "SRMSG18252: Failed to commit %s, it will be re-attempted", ExtLogRecord.FormatStyle.PRINTF,
                "{bhv.payouts.v1-1=OffsetAndMetadata{offset=2}}");
        cutOff.setThrown(new WakeupException());
        handler.publish(cutOff);
        handler.flush();
        assertTrue(out.toString().startsWith("INFO SRMSG18252: Failed to commit {bhv.payouts.v1-1="), out.toString());
    }

    @Test
    void everythingElseIsKept() {
        assertTrue(filter.isLoggable(record("io.smallrye.reactive.messaging.kafka",
                "SRMSG18228: A failure has been reported for Kafka topics '%s'", ExtLogRecord.FormatStyle.PRINTF,
                "bhv.visits.v1")));
        assertTrue(filter.isLoggable(record("io.micrometer.core.instrument.MeterRegistry",
                "This Gauge has been already registered (MeterId{name='bhv.outbox.waiting', tags=[]})",
                ExtLogRecord.FormatStyle.NO_FORMAT)));
        assertTrue(filter.isLoggable(record("se.regionorebrolan.bhv.kit.Relay",
                "SRMSG18235: not from SmallRye, kept", ExtLogRecord.FormatStyle.NO_FORMAT)));
        assertTrue(filter.isLoggable(record(null, null, ExtLogRecord.FormatStyle.NO_FORMAT)));
    }
}
