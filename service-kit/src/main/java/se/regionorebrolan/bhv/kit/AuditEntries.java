package se.regionorebrolan.bhv.kit;

import jakarta.ws.rs.Path;
import se.regionorebrolan.bhv.events.IdentityNumbers;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an audit record may hold (README, "Audit trail"): the route template of the endpoint that answered, never the
 * raw path or query, and only identifiers of a known, validated shape — a visit's UUID, an HSA-id, a period, a year,
 * a number — and never one that looks like a personal identity number. Anything else a caller typed is left out.
 */
public final class AuditEntries {

    /** The action of a request no endpoint answered (404, 405): its path is not kept. */
    public static final String UNMATCHED = "(no endpoint)";

    private static final Pattern SAFE_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"   // a UUID
                    + "|SE[0-9]{10}-[A-Za-z0-9]{1,31}"                        // an HSA-id
                    + "|[0-9]{4}(-(0[1-9]|1[0-2]))?"                          // a year or a month
                    + "|[0-9]{1,18}");                                        // a number (a line, cost or application)
    /** At most this many identifiers per record (a long list of visits answered is cut). */
    public static final int MAX_IDS = 10_000;

    private AuditEntries() {
    }

    /** {@code GET /api/v1/visits/{visitId}}: the method and the route template of the resource method. */
    public static String action(String httpMethod, Class<?> resource, Method method) {
        if (resource == null || method == null) {
            return httpMethod + " " + UNMATCHED;
        }
        Path root = resource.getAnnotation(Path.class);
        Path sub = method.getAnnotation(Path.class);
        String template = (root == null ? "" : trim(root.value())) + (sub == null ? "" : trim(sub.value()));
        return httpMethod + " " + (template.isEmpty() ? "/" : template);
    }

    private static String trim(String segment) {
        String s = segment.startsWith("/") ? segment : "/" + segment;
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }

    /** The identifiers of a known shape, sorted, without duplicates; never a personal identity number. */
    public static List<String> safeIds(Collection<String> candidates) {
        TreeSet<String> ids = new TreeSet<>();
        for (String candidate : candidates) {
            if (candidate != null && SAFE_ID.matcher(candidate).matches() && !IdentityNumbers.in(candidate)) {
                ids.add(candidate);
                if (ids.size() == MAX_IDS) {
                    break;
                }
            }
        }
        return List.copyOf(ids);
    }
}
