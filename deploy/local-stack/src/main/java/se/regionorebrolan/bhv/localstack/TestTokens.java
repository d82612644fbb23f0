package se.regionorebrolan.bhv.localstack;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.time.Duration;

/**
 * For tests: every REST Assured request carries a token with every role (but {@code centre}) unless it has an
 * Authorization header of its own; {@code Authorization: none} sends none at all. The access rules have tests of
 * their own ({@link AccessRules}).
 */
public final class TestTokens {

    private static volatile String current;

    private TestTokens() {
    }

    /** Minted with {@code tokens}, replacing any earlier one (each local stack has its own key pair). */
    public static void install(Tokens tokens) {
        current = "Bearer " + tokens.mint("test", Tokens.ALL_ROLES, null, Duration.ofHours(12));
        if (RestAssured.filters().stream().noneMatch(DefaultToken.class::isInstance)) {
            RestAssured.filters(new DefaultToken());
        }
    }

    /** The installed token's header value, for clients other than REST Assured. */
    public static String current() {
        return current;
    }

    private static final class DefaultToken implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                               FilterContext context) {
            String own = request.getHeaders().getValue("Authorization");
            if (own == null) {
                request.header("Authorization", current);
            } else if (own.equals("none")) {
                request.removeHeader("Authorization");
            }
            return context.next(request, response);
        }
    }
}
