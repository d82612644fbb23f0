package se.regionorebrolan.bhv.compensation.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A month finance has closed: its statements never change again. */
@Entity
@Table(name = "closed_period")
public class ClosedPeriod extends PanacheEntityBase {

    @Id
    public String period;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** Every closed month, {@code YYYY-MM}. Read inside the booking transaction, under the feed lock. */
    public static Uni<Set<String>> all() {
        return ClosedPeriod.<ClosedPeriod>listAll().map(List::stream)
                .map(periods -> periods.map(p -> p.period).collect(Collectors.toSet()));
    }
}
