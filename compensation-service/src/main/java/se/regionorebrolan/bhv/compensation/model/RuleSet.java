package se.regionorebrolan.bhv.compensation.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** One effective-dated set of payout rules, like a tariff version. Never changed once a period used it. */
@Entity
@Table(name = "rule_set")
public class RuleSet extends PanacheEntityBase {

    @Id
    @Column(name = "rule_set_id")
    public String ruleSetId;

    @Column(name = "valid_from")
    public LocalDate validFrom;

    @Column(name = "joint_visit_ore")
    public long jointVisitOre;

    @Column(name = "ordinary_visit_ore")
    public long ordinaryVisitOre;

    @Column(name = "required_kva_code")
    public String requiredKvaCode;

    @Column(name = "cni_threshold")
    public BigDecimal cniThreshold;

    public String source;

    /** How fixed compensation is weighted: {@code LISTED_CHILDREN_TIMES_CNI} (default) or {@code CNI}. */
    @Column(name = "fixed_weighting")
    public String fixedWeighting = "LISTED_CHILDREN_TIMES_CNI";

    @Column(name = "created_at")
    public Instant createdAt;

    /** The rule set in force on a date: the latest that starts on or before it; null before the first. */
    public static Uni<RuleSet> validOn(LocalDate date) {
        return find("validFrom <= ?1 order by validFrom desc", date).firstResult();
    }
}
