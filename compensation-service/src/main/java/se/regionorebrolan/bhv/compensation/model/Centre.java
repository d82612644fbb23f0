package se.regionorebrolan.bhv.compensation.model;

import se.regionorebrolan.bhv.compensation.domain.CompensationModel;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A health centre (vårdcentral) in the registry, identified by its HSA-id. */
@Entity
@Table(name = "centre")
public class Centre extends PanacheEntityBase {

    @Id
    @Column(name = "centre_id")
    public String centreId;

    public String name;

    public String municipality;

    @Enumerated(EnumType.STRING)
    @Column(name = "compensation_model")
    public CompensationModel compensationModel;

    @Column(name = "child_cni")
    public BigDecimal childCni;

    @Column(name = "listed_children_0_to_5")
    public int listedChildren0to5;

    @Column(name = "fixed_approved_from")
    public LocalDate fixedApprovedFrom;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
