package se.regionorebrolan.bhv.kit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request is, for its audit record: the method and route template of the endpoint that answered it, and the
 * identifiers it named (path parameters and the given query parameters), to be filtered by {@link AuditEntries}.
 */
public record AuditRequest(String action, List<String> candidateIds) {

    /** Whether the request is one of the APIs' (health, metrics and documents are not audited). */
    public static boolean audited(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.startsWith("/api/") || path.equals("/fhir") || path.startsWith("/fhir/");
    }

    public static AuditRequest of(ContainerRequestContext request, ResourceInfo resource, List<String> queryIds) {
        List<String> candidates = new ArrayList<>();
        Class<?> resourceClass;
        Method method;
        try {
            resourceClass = resource.getResourceClass();
            method = resource.getResourceMethod();
            request.getUriInfo().getPathParameters().values().forEach(candidates::addAll);
        } catch (RuntimeException noResourceMatched) { // 404, 405, 415: nothing of the path is kept
            resourceClass = null;
            method = null;
        }
        for (String query : queryIds) {
            String value = request.getUriInfo().getQueryParameters().getFirst(query);
            if (value != null) {
                candidates.add(value);
            }
        }
        return new AuditRequest(AuditEntries.action(request.getMethod(), resourceClass, method), candidates);
    }
}
