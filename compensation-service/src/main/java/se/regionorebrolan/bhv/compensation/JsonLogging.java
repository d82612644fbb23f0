package se.regionorebrolan.bhv.compensation;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.logging.Handler;

/**
 * Structured logs for the cluster's collector ({@code log.json}, on in production): one JSON object per line
 * with time, level, logger, message, the MDC (trace and span ids) and the exception. The Quarkus extension for
 * this is not served at our Quarkus version, so the log manager's own JSON formatter is put on the console
 * handler as the application starts; the few lines logged before that are plain text.
 */
@ApplicationScoped
public class JsonLogging {

    void install(@Observes @Priority(1) StartupEvent event, @ConfigProperty(name = "log.json") boolean json) {
        if (json) {
            JsonFormatter formatter = new JsonFormatter();
            formatter.setExceptionOutputType(StructuredFormatter.ExceptionOutputType.FORMATTED);
            onConsole(LogContext.getLogContext().getLogger("").getHandlers(), formatter);
        }
    }

    private static void onConsole(Handler[] handlers, JsonFormatter formatter) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(formatter);
            } else if (handler instanceof ExtHandler parent) {
                onConsole(parent.getHandlers(), formatter);
            }
        }
    }
}
