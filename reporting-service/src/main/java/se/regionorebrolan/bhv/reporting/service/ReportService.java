package se.regionorebrolan.bhv.reporting.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.reporting.model.ReportPayoutLine;
import se.regionorebrolan.bhv.reporting.model.ReportVisit;

import java.time.LocalDate;

/** Computes the reports from the read models only. */
@ApplicationScoped
public class ReportService {

    private static final String VISITS_IN_YEAR = "retracted = false and visitDate >= ?1 and visitDate <= ?2";

    @WithSession
    public Uni<SocialstyrelsenReport> socialstyrelsen(int year) {
        LocalDate from = LocalDate.of(year, 1, 1);
        LocalDate to = LocalDate.of(year, 12, 31);
        Uni<Long> visits = ReportVisit.count(VISITS_IN_YEAR, from, to);
        Uni<Long> joint = ReportVisit.count(VISITS_IN_YEAR + " and socialServices = true", from, to);
        Uni<Long> children = ReportVisit.find("select count(distinct childPseudonym) from ReportVisit where "
                + VISITS_IN_YEAR, from, to).project(Long.class).singleResult();
        Uni<Long> grantOre = ReportPayoutLine.find("select coalesce(sum(amountOre), 0) from ReportPayoutLine "
                        + "where fundingSource = 'STATE_GRANT' and period like ?1", year + "-%")
                .project(Long.class).singleResult();
        Uni<Long> grantLines = ReportPayoutLine.count("fundingSource = 'STATE_GRANT' and period like ?1", year + "-%");
        // one session runs one query at a time: chain, do not combine
        return visits.chain(v -> joint.chain(j -> children.chain(c -> grantOre.chain(g -> grantLines.map(gl ->
                SocialstyrelsenReport.of(year, g, gl, new SocialstyrelsenReport.Results(v, j, c)))))));
    }
}
