package se.regionorebrolan.bhv.visit.service;

import se.regionorebrolan.bhv.kit.ProblemMappers;
import se.regionorebrolan.bhv.kit.FieldError;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Counts what the visit API accepted and rejected, for {@code /q/metrics}. Labels are from a fixed set (outcomes,
 * problem kinds, field names without indices): never a value from the request.
 */
@ApplicationScoped
public class VisitMetrics implements ProblemMappers.Rejections {

    private final MeterRegistry registry;

    public VisitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code outcome}: recorded, unchanged (the same visit again), corrected or retracted. */
    public void accepted(String outcome) {
        registry.counter("bhv.visits.accepted", "outcome", outcome).increment();
    }

    /** {@code reason}: validation, malformed-json or conflict; {@code errors} name the first bad field. */
    /** A body that could not be read counts as a rejected visit (a wrong type: validation; else malformed JSON). */
    @Override
    public void unreadable(FieldError error) {
        rejected(error != null ? "validation" : "malformed-json", error != null ? List.of(error) : null);
    }

    public void rejected(String reason, List<FieldError> errors) {
        String field = errors == null || errors.isEmpty() ? "" : errors.get(0).field().replaceAll("\\[\\d+]", "");
        registry.counter("bhv.visits.rejected", "reason", reason, "field", field.isEmpty() ? "none" : field)
                .increment();
    }
}
