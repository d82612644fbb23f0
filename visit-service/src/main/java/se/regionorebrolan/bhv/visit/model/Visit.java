package se.regionorebrolan.bhv.visit.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A stored visit. {@code state} is the full current content as the event contract's {@code VisitData} JSON. */
@Entity
@Table(name = "visit")
public class Visit extends PanacheEntityBase {

    @Id
    @Column(name = "visit_id")
    public UUID visitId;

    @Column(name = "source_system")
    public String sourceSystem;

    @Column(name = "source_visit_id")
    public String sourceVisitId;

    @Column(name = "centre_id")
    public String centreId;

    @Column(name = "child_pseudonym")
    public String childPseudonym;

    @Column(name = "visit_date")
    public LocalDate visitDate;

    public int revision;

    public boolean retracted;

    @Column(name = "retraction_reason")
    public String retractionReason;

    @Column(name = "content_hash")
    public String contentHash;

    @JdbcTypeCode(SqlTypes.JSON)
    public String state;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
