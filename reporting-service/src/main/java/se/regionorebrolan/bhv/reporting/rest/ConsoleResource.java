package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import se.regionorebrolan.bhv.kit.CentreAccess;
import se.regionorebrolan.bhv.kit.InvalidRequestException;
import se.regionorebrolan.bhv.reporting.client.CompensationClient;
import se.regionorebrolan.bhv.reporting.config.ReportingConfig;
import se.regionorebrolan.bhv.reporting.domain.SocialstyrelsenReport;
import se.regionorebrolan.bhv.reporting.service.GrantService;
import se.regionorebrolan.bhv.reporting.service.ReportService;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * The web console (CONTRACT.md): sign in with a bearer token, kept in an HttpOnly, SameSite=Strict session cookie that
 * the service reads as it reads the Authorization header; server-rendered pages (Qute) with SVG charts, Swedish for
 * the users. What a page shows depends on the token's roles: the region's year (reporting, bhv-admin), one centre's
 * own year (centre), the payouts (finance).
 */
@Path("/console")
@PermitAll
@Blocking // pages are rendered on a worker thread: a page reads a few reports and renders a template
public class ConsoleResource {

    static final String COOKIE = "bhv_session";
    private static final ZoneId SWEDEN = ZoneId.of("Europe/Stockholm");

    @Inject
    SecurityIdentity identity;

    @Inject
    JWTParser tokens;

    @Inject
    @Location("console/signin.html")
    Template signin;

    @Inject
    @Location("console/region.html")
    Template region;

    @Inject
    @Location("console/centre.html")
    Template centre;

    @Inject
    @Location("console/finance.html")
    Template finance;

    private final ReportService reports;
    private final GrantService grants;
    private final CompensationClient compensation;
    private final boolean secureCookie;

    public ConsoleResource(ReportService reports, GrantService grants, CompensationClient compensation,
                           ReportingConfig config) {
        this.reports = reports;
        this.grants = grants;
        this.compensation = compensation;
        this.secureCookie = config.console().secureCookie();
    }

    /** The signed-in user's page, or the sign-in form. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true) // the console is not part of the API contract
    public Uni<TemplateInstance> page(@RestQuery Integer year, @RestQuery String saved, @RestQuery String error) {
        int y = year(year);
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(signin.data("user", null).data("error", null));
        }
        String user = identity.getPrincipal().getName();
        Set<String> roles = identity.getRoles();
        if (roles.contains("reporting") || roles.contains("bhv-admin")) {
            return reports.socialstyrelsen(y).chain(report -> reports.monthly(y, null).map(monthly ->
                    region.data("user", user).data("year", y).data("previous", y - 1).data("next", y + 1)
                            .data("admin", roles.contains("bhv-admin")).data("saved", saved != null)
                            .data("error", error == null ? null : error.substring(0, Math.min(500, error.length())))
                            .data("view", ConsoleViews.region(report, monthly,
                            today()))));
        }
        if (roles.contains("centre") && CentreAccess.claimedCentre(identity) != null) {
            String centreId = CentreAccess.claimedCentre(identity);
            return reports.socialstyrelsen(y).chain(report -> reports.monthly(y, centreId).chain(monthly ->
                    reports.regional(y).map(regional -> centre.data("user", user).data("year", y).data("previous", y - 1).data("next", y + 1)
                            .data("saved", saved != null)
                            .data("view", ConsoleViews.centre(centreId, report, monthly, regional)))));
        }
        if (roles.contains("finance")) {
            var closed = compensation.closedMonths(((JsonWebToken) identity.getPrincipal()).getRawToken());
            return reports.monthly(y, null).map(monthly -> finance.data("user", user).data("year", y)
                    .data("previous", y - 1).data("next", y + 1).data("view", ConsoleViews.finance(monthly, y, closed)));
        }
        return Uni.createFrom().item(signin.data("user", user).data("error", "Din roll (" + String.join(", ", roles)
                + ") har ingen vy i konsolen. Logga in med en token för reporting, bhv-admin, centre eller finance."));
    }

    /** Checks the token and keeps it in the session cookie until it expires; then to the user's page. */
    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response signIn(@RestForm String token) {
        JsonWebToken jwt;
        try {
            if (token == null || token.isBlank() || token.length() > 8192) {
                throw new ParseException("no token");
            }
            jwt = tokens.parse(token.strip());
        } catch (ParseException e) {
            return Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                    .entity(signin.data("user", null).data("error", "Token ogiltig eller utgången. Hämta en ny (lokalt:"
                            + " deploy/token.sh <roll>).").render()).build();
        }
        long seconds = Math.max(0, jwt.getExpirationTime() - Instant.now().getEpochSecond());
        return Response.seeOther(URI.create("/console/")).cookie(cookie(token.strip(), (int) seconds)).build();
    }

    @POST
    @Path("/sign-out")
    @Operation(hidden = true)
    public Response signOut() {
        return Response.seeOther(URI.create("/console/")).cookie(cookie("", 0)).build();
    }

    /** A centre's own narrative for the regional report, from the form on its page. */
    @POST
    @Path("/narrative")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> narrative(@RestForm int year, @RestForm String formAndContent,
                                   @RestForm String plannedDevelopment) {
        String centreId = identity.isAnonymous() ? null : CentreAccess.claimedCentre(identity);
        if (centreId == null || !identity.getRoles().contains("centre")) {
            throw new jakarta.ws.rs.ForbiddenException("only a centre writes its own narrative");
        }
        return grants.putNarrative(year(year), centreId, formAndContent, plannedDevelopment)
                .map(saved -> Response.seeOther(URI.create("/console/?year=" + year + "&saved=1")).build());
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    private static int year(Integer year) {
        int y = year == null || year == 0 ? today().getYear() : year;
        if (y < 2000 || y > 2100) {
            throw new InvalidRequestException("year", "must be a year such as 2026");
        }
        return y;
    }

    private static LocalDate today() {
        return LocalDate.now(SWEDEN);
    }
}
