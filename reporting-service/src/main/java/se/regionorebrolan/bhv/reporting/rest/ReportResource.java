package se.regionorebrolan.bhv.reporting.rest;

import se.regionorebrolan.bhv.reporting.config.ReportingConfig;
import se.regionorebrolan.bhv.kit.CentreAccess;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.kit.AuditTrail;
import se.regionorebrolan.bhv.reporting.domain.Conditions;
import se.regionorebrolan.bhv.reporting.service.GrantService;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.reporting.service.ReportService;
import se.regionorebrolan.bhv.reporting.domain.Results;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport;

import java.util.List;
import java.util.Map;

/** The reports the region files (CONTRACT.md, reporting-service). */
@Path("/api/v1/reports")
public class ReportResource {

    private static final String CSV = "text/csv";
    private static final String PDF = "application/pdf";
    /** The deadlines' days left are counted from the Swedish calendar day. */
    private static final java.time.ZoneId SWEDEN = java.time.ZoneId.of("Europe/Stockholm");

    public record NarrativeRequest(String formAndContent, String plannedDevelopment) {
    }

    private final ReportService reports;
    private final GrantService grants;

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditTrail audit;

    /** Evidence exports stream a year's lines from a cursor, each holding a connection: only so many at once. */
    private final java.util.concurrent.Semaphore exports;
    static final int EXPORT_RETRY_AFTER_SECONDS = 30;

    /** Too many evidence exports at once: 429, with when to try again. */
    public static final class TooManyExportsException extends RuntimeException {
        final int retryAfterSeconds;

        TooManyExportsException(int retryAfterSeconds) {
            super("too many evidence exports at once");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public ReportResource(ReportService reports, GrantService grants, ReportingConfig config) {
        this.reports = reports;
        this.grants = grants;
        this.exports = new java.util.concurrent.Semaphore(config.reports().maxConcurrentExports());
    }

    /**
     * The återrapportering as JSON, as CSV ({@code Accept: text/csv} or {@code ?format=csv}) or as PDF
     * ({@code Accept: application/pdf} or {@code ?format=pdf}).
     */
    @RolesAllowed({"reporting", "bhv-admin"})
    @GET
    @Path("/socialstyrelsen/{year}")
    @Produces({MediaType.APPLICATION_JSON, CSV, PDF})
    public Uni<Response> socialstyrelsen(@RestPath String year, @RestQuery String format, HttpHeaders headers) {
        int y = parseYear(year);
        String wanted = format(format, headers, CSV, PDF);
        return reports.socialstyrelsen(y).map(report -> switch (wanted) {
            case CSV -> csv(csv(report), "socialstyrelsen-" + y + ".csv");
            case PDF -> pdf(ReportPdf.socialstyrelsen(report, java.time.LocalDate.now(SWEDEN)), "socialstyrelsen-" + y + ".pdf");
            default -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    /**
     * The "underlag": every state-grant payout line of the year, as CSV, streamed in chunks; its amounts sum to the
     * report's figure.
     */
    @RolesAllowed({"reporting", "bhv-admin"})
    @GET
    @Path("/socialstyrelsen/{year}/evidence")
    @Produces(CSV)
    public Multi<String> evidence(@RestPath String year) {
        int y = parseYear(year);
        if (!exports.tryAcquire()) {
            throw new TooManyExportsException(EXPORT_RETRY_AFTER_SECONDS);
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                exports.release();
            }
        };
        Multi<String> header = Multi.createFrom().item(Csv.row("projectCode", "lineId", "centreId", "centreName",
                "period", "kind", "amount", "ruleSet", "visitId", "visitDate", "childPseudonym"));
        Multi<String> lines = reports.evidence(y)
                .map(l -> Csv.row(l.projectCode(), l.lineId(), l.centreId(), l.centreName(), l.period(), l.kind(),
                        l.amount().toPlainString(), l.ruleSet(), l.visitId(), l.visitDate(), l.childPseudonym()))
                .group().intoLists().of(1_000).map(rows -> String.join("", rows));
        Multi<String> csv = audit.write("GET /api/v1/reports/socialstyrelsen/{year}/evidence", List.of(year), 200)
                .onItem().transformToMulti(recorded -> Multi.createBy().concatenating().streams(header, lines))
                .onTermination().invoke(release); // done, failed or the client went away
        return RestMulti.fromMultiData(csv)
                .header("Content-Type", CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"socialstyrelsen-" + y + "-evidence.csv\"")
                .build();
    }

    /** The regional report as JSON, or as PDF ({@code Accept: application/pdf} or {@code ?format=pdf}). */
    @RolesAllowed({"reporting", "bhv-admin"})
    @GET
    @Path("/regional/{year}")
    @Produces({MediaType.APPLICATION_JSON, PDF})
    public Uni<Response> regional(@RestPath String year, @RestQuery String format, HttpHeaders headers) {
        int y = parseYear(year);
        boolean pdf = format(format, headers, PDF).equals(PDF);
        return reports.regional(y).map(report -> pdf
                ? pdf(ReportPdf.regional(report, java.time.LocalDate.now(SWEDEN)), "regional-" + y + ".pdf")
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** One centre's part of the regional report: for the centre itself (and those who read the whole report). */
    @RolesAllowed({"reporting", "bhv-admin", "centre"})
    @GET
    @Path("/regional/{year}/centres/{centreId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReportService.RegionalCentre> regionalCentre(@RestPath String year, @RestPath String centreId) {
        int y = parseYear(year);
        CentreAccess.require(identity, centreId, "reporting", "bhv-admin");
        return reports.regional(y).map(report -> report.centres().stream()
                .filter(c -> c.centreId().equals(centreId)).findFirst()
                .orElseThrow(() -> new jakarta.ws.rs.NotFoundException("The centre is not in the regional report of "
                        + y + ".")));
    }

    @RolesAllowed({"bhv-admin", "centre"})
    @PUT
    @Path("/regional/{year}/centres/{centreId}/narrative")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<GrantService.Narrative> narrative(@RestPath String year, @RestPath String centreId,
                                                 NarrativeRequest request) {
        int y = parseYear(year);
        CentreAccess.require(identity, centreId, "bhv-admin");
        if (request == null) {
            throw new InvalidRequestException("body", "is required");
        }
        return grants.putNarrative(y, centreId, request.formAndContent(), request.plannedDevelopment());
    }

    static int parseYear(String year) {
        if (year == null || !year.matches("20\\d{2}")) {
            throw new BadRequestException("year must be four digits, 2000-2099");
        }
        return Integer.parseInt(year);
    }

    /**
     * The media type asked for, of JSON and the {@code others}: by {@code ?format=} (json, csv, pdf) or else the
     * first of the others in the Accept header; JSON otherwise.
     */
    private static String format(String format, HttpHeaders headers, String... others) {
        List<String> offered = new java.util.ArrayList<>(List.of(MediaType.APPLICATION_JSON));
        offered.addAll(List.of(others));
        if (format != null) {
            String type = offered.stream().filter(t -> t.endsWith("/" + format)).findFirst().orElse(null);
            if (type == null) {
                throw new InvalidRequestException("format", "must be one of " + String.join(", ",
                        offered.stream().map(t -> t.substring(t.indexOf('/') + 1)).toList()));
            }
            return type;
        }
        return headers.getAcceptableMediaTypes().stream()
                .map(type -> type.getType() + "/" + type.getSubtype())
                .filter(List.of(others)::contains).findFirst().orElse(MediaType.APPLICATION_JSON);
    }

    private static Response pdf(byte[] body, String filename) {
        return Response.ok(body, PDF).header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }

    private static Response csv(String body, String filename) {
        return Response.ok(body, CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

    /** The report in long form: one figure per row (section, scope, scope id, name, indicator, value). */
    static String csv(SocialstyrelsenReport report) {
        StringBuilder out = new StringBuilder(Csv.row("section", "scope", "scopeId", "name", "indicator", "value"));
        out.append(Csv.row("report", "", "", "", "year", report.year()));
        out.append(Csv.row("deadlines", "", "", "", "socialstyrelsenReportDue",
                report.deadlines().socialstyrelsenReportDue()));
        out.append(Csv.row("deadlines", "", "", "", "regionalReportDue", report.deadlines().regionalReportDue()));
        SocialstyrelsenReport.GrantUse g = report.grantUse();
        Object[][] use = {{"projectCode", g.projectCode()}, {"amountReceived", g.amountReceived()},
                {"stateGrantPayouts", g.stateGrantPayouts()}, {"stateGrantPayoutLines", g.stateGrantPayoutLines()},
                {"otherCosts", g.otherCosts()}, {"otherCostEntries", g.otherCostEntries()}, {"spent", g.spent()},
                {"unused", g.unused()}, {"spentBeyondGrant", g.spentBeyondGrant()},
                {"costsOutsideYear", g.costsOutsideYear()}, {"costEntriesOutsideYear", g.costEntriesOutsideYear()},
                {"stateGrantPayoutsForVisitsOutsideYear", g.stateGrantPayoutsForVisitsOutsideYear()},
                {"stateGrantPayoutLinesForVisitsOutsideYear", g.stateGrantPayoutLinesForVisitsOutsideYear()},
                {"stateGrantPaidAfterYearEnd", g.stateGrantPaidAfterYearEnd()},
                {"stateGrantLinesPaidAfterYearEnd", g.stateGrantLinesPaidAfterYearEnd()},
                {"repaymentRisk", g.repaymentRisk()}};
        for (Object[] figure : use) {
            out.append(Csv.row("grantUse", "", "", "", figure[0], plain(figure[1])));
        }
        g.repaymentRiskReasons().forEach(reason -> out.append(Csv.row("grantUse", "", "", "", "repaymentRiskReason",
                reason)));
        results(out, "overall", "", "", report.results().overall());
        report.results().perCentre().forEach(c -> results(out, "centre", c.centreId(), c.name(), c.results()));
        report.results().perMunicipality().forEach(m -> results(out, "municipality", m.municipality(),
                m.municipality(), m.results()));
        for (Conditions.Condition c : report.conditions()) {
            String id = "condition " + c.number();
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "indicator", c.indicator()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "value", c.value().toPlainString()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "unit", c.unit()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "metAt", c.metAt().toPlainString()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "partlyMetAt",
                    c.partlyMetAt().toPlainString()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "verdict", c.verdict()));
            out.append(Csv.row("conditions", id, c.number(), c.condition(), "explanation", c.explanation()));
        }
        return out.toString();
    }

    private static void results(StringBuilder out, String scope, String id, String name, Results r) {
        Object[][] figures = {{"childrenReached", r.childrenReached()}, {"homeVisits", r.homeVisits()},
                {"jointVisits", r.jointVisits()}, {"childrenCompletedAllSlots", r.childrenCompletedAllSlots()},
                {"medianVisitsPerChild", r.medianVisitsPerChild().toPlainString()},
                {"visitsWithInterpreter", r.visitsWithInterpreter()},
                {"childrenWithRiskFactor", r.childrenWithRiskFactor()},
                {"childrenWithMoreThanTwoVisits", r.childrenWithMoreThanTwoVisits()},
                {"childrenWithReferral", r.childrenWithReferral()},
                {"childrenWithMoreThanTwoJointVisitsInFirst15Months",
                        r.childrenWithMoreThanTwoJointVisitsInFirst15Months()}};
        for (Object[] figure : figures) {
            out.append(Csv.row("results", scope, id, name, figure[0], figure[1]));
        }
        for (Map.Entry<String, Long> slot : r.visitsPerSlot().entrySet()) {
            out.append(Csv.row("results", scope, id, name, "visitsPerSlot." + slot.getKey(), slot.getValue()));
        }
        for (Map.Entry<String, Long> referral : r.referrals().entrySet()) {
            out.append(Csv.row("results", scope, id, name, "referrals." + referral.getKey(), referral.getValue()));
        }
    }

    private static Object plain(Object value) {
        return value instanceof java.math.BigDecimal d ? d.toPlainString() : value;
    }
}
