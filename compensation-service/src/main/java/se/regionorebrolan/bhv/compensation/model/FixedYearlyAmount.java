package se.regionorebrolan.bhv.compensation.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The region's yearly amount for fixed compensation with extended resource, in öre. */
@Entity
@Table(name = "fixed_yearly_amount")
public class FixedYearlyAmount extends PanacheEntityBase {

    @Id
    public Integer year;

    @Column(name = "amount_ore")
    public long amountOre;

    /** Where the amount comes from: the region's decision, for the audit. */
    public String source;

    @Column(name = "set_at")
    public Instant setAt;
}
