package se.regionorebrolan.bhv.compensation.model;

import se.regionorebrolan.bhv.compensation.domain.Money;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An immutable payout line; corrections are new lines. Money in öre. */
@Entity
@Table(name = "payout_line")
public class PayoutLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "line_id")
    public Long lineId;

    @Column(name = "centre_id")
    public String centreId;

    /** The month the line is paid in, {@code YYYY-MM}. */
    public String period;

    /** The month the money is for: the visit's month, the fixed compensation's month. Later only if that is closed. */
    @Column(name = "for_period")
    public String forPeriod;

    public String kind;

    @Column(name = "amount_ore")
    public long amountOre;

    @Column(name = "funding_source")
    public String fundingSource;

    @Column(name = "rule_set_id")
    public String ruleSetId;

    public String reason;

    /** Comma-separated flags such as {@code ZV509_MISSING}; empty when none. */
    public String flags;

    @Column(name = "visit_id")
    public UUID visitId;

    @Column(name = "visit_revision")
    public Integer visitRevision;

    @Column(name = "visit_date")
    public LocalDate visitDate;

    @Column(name = "child_pseudonym")
    public String childPseudonym;

    /** For a reversing line: the line it corrects. */
    @Column(name = "corrects_line_id")
    public Long correctsLineId;

    @Column(name = "source_event_id")
    public UUID sourceEventId;

    @Column(name = "booked_at")
    public Instant bookedAt;

    /** W3C {@code traceparent} of the visit event that booked this line, if it was traced. */
    @Column(name = "trace_parent")
    public String traceParent;

    /** For an {@code ADJUSTMENT}: the kind of money it adjusts. */
    @Column(name = "adjusted_kind")
    public String adjustedKind;
}
