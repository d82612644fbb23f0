package se.regionorebrolan.bhv.compensation.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.compensation.model.ClosedPeriod;

import java.time.Instant;
import java.time.YearMonth;

/** Closing a month, under the feed lock: a booking either commits before the close or sees the month closed. */
@ApplicationScoped
public class PeriodService {

    @WithTransaction
    public Uni<ClosedPeriod> close(YearMonth month) {
        return BookingService.lockFeed()
                .chain(() -> ClosedPeriod.<ClosedPeriod>findById(month.toString()))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(existing);
                    }
                    ClosedPeriod closed = new ClosedPeriod();
                    closed.period = month.toString();
                    closed.closedAt = Instant.now();
                    return closed.<ClosedPeriod>persist();
                });
    }
}
