package se.regionorebrolan.bhv.compensation.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A visit as compensation-service last saw it: its latest revision, and whether it was retracted. */
@Entity
@Table(name = "visit_seen")
public class VisitSeen extends PanacheEntityBase {

    @Id
    @Column(name = "visit_id")
    public UUID visitId;

    /** Null only for a retraction that arrived before the visit. */
    @Column(name = "centre_id")
    public String centreId;

    @Column(name = "visit_date")
    public LocalDate visitDate;

    public int revision;

    public boolean retracted;

    @Column(name = "seen_at")
    public Instant seenAt;
}
