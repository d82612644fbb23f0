package se.regionorebrolan.bhv.reporting.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.util.UUID;

/** A payout line as booked by compensation-service; the money side of the reports. Amount in öre. */
@Entity
@Table(name = "report_payout_line")
public class ReportPayoutLine extends PanacheEntityBase {

    @Id
    @Column(name = "line_id")
    public Long lineId;

    @Column(name = "centre_id")
    public String centreId;

    public String period;

    public String kind;

    @Column(name = "amount_ore")
    public long amountOre;

    @Column(name = "funding_source")
    public String fundingSource;

    @Column(name = "rule_set")
    public String ruleSet;

    @Column(name = "visit_id")
    public UUID visitId;

    @Column(name = "visit_date")
    public LocalDate visitDate;

    @Column(name = "child_pseudonym")
    public String childPseudonym;
}
