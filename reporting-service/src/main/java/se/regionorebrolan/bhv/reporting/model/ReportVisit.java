package se.regionorebrolan.bhv.reporting.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.util.UUID;

/** A visit as the reports count it: its latest revision, or retracted. */
@Entity
@Table(name = "report_visit")
public class ReportVisit extends PanacheEntityBase {

    @Id
    @Column(name = "visit_id")
    public UUID visitId;

    public int revision;

    @Column(name = "centre_id")
    public String centreId;

    @Column(name = "visit_date")
    public LocalDate visitDate;

    @Column(name = "child_pseudonym")
    public String childPseudonym;

    @Column(name = "program_slot")
    public String programSlot;

    @Column(name = "social_services")
    public boolean socialServices;

    @Column(name = "interpreter_used")
    public boolean interpreterUsed;

    @Column(name = "has_risk_factor")
    public boolean hasRiskFactor;

    /** Comma-separated referral kinds. */
    public String referrals;

    public boolean retracted;
}
