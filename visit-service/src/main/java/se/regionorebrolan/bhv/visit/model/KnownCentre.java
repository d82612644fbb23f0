package se.regionorebrolan.bhv.visit.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A centre the registry knows; kept from {@code bhv.centres.v1}. */
@Entity
@Table(name = "known_centre")
public class KnownCentre extends PanacheEntityBase {

    @Id
    @Column(name = "centre_id")
    public String centreId;

    public String name;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
