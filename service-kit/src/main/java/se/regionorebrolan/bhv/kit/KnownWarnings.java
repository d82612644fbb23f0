package se.regionorebrolan.bhv.kit;

import io.quarkus.logging.LoggingFilter;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Leaves out of the log two WARNs that every start of every service wrote and that ask nothing of an operator
 * (README, "Operations"), so that a WARN in a service's log is always worth reading:
 * <ul>
 * <li>SmallRye Reactive Messaging's {@code SRMSG18235} ("Will not health check throttled commit strategy"): the
 * consumers wait out an outage of any length on purpose ({@code throttled.unprocessed-record-max-age.ms=0}), so their
 * health does not depend on how long a record has been waiting;</li>
 * <li>Micrometer's "This Gauge has been already registered (MeterId{name='netty.eventexecutor.workers'…": Quarkus
 * registers Netty's gauge of event-executor workers twice (quarkusio/quarkus#52014); the first one is kept.</li>
 * </ul>
 * One WARN of a graceful stop is logged as what it is, an INFO: SmallRye's {@code SRMSG18252} ("Failed to commit …,
 * it will be re-attempted") caused by a {@link WakeupException}. The connector wakes its consumer only to close it; a
 * periodic offset commit that was on its way at that moment is cut off and not re-attempted. Its records are delivered
 * again by the next start and the consumers take each event once (by its id), as after a crash. Any other failed commit
 * stays a WARN.
 * <p>
 * Every other record of these loggers, and everything else, is logged as before. Switched on per service with
 * {@code quarkus.log.console.filter=bhv-known-warnings}.
 */
@LoggingFilter(name = "bhv-known-warnings")
public final class KnownWarnings implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        if ("io.smallrye.reactive.messaging.kafka".equals(logger)) {
            String message = message(record);
            if (message.startsWith("SRMSG18252:") && cutOffByClose(record.getThrown())) {
                record.setLevel(Level.INFO);
                return true;
            }
            return !message.startsWith("SRMSG18235:");
        }
        if ("io.micrometer.core.instrument.MeterRegistry".equals(logger)) {
            return !message(record).contains("already registered (MeterId{name='netty.eventexecutor.workers'");
        }
        return true;
    }

    /** Whether the failure or one of its causes is a consumer's wake-up to close (the chain walked as Problem does). */
    private static boolean cutOffByClose(Throwable thrown) {
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof WakeupException) {
                return true;
            }
        }
        return false;
    }

    private static String message(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return message == null ? "" : message;
    }
}
