package se.regionorebrolan.bhv.visit.audit;

import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.kit.AuditScope;
import se.regionorebrolan.bhv.visit.fhir.FhirResource;
import se.regionorebrolan.bhv.visit.rest.BatchResult;
import se.regionorebrolan.bhv.visit.domain.StoredVisit;
import se.regionorebrolan.bhv.visit.service.VisitService;

import java.util.ArrayList;
import java.util.List;

/** visit-service's part of the audit trail (service-kit {@code AuditTrail}): the ids of the visits an answer carries. */
@ApplicationScoped
public class VisitAuditScope implements AuditScope {

    @Override
    public List<String> queryIds() {
        return List.of("centreId");
    }

    @Override
    public List<String> answeredIds(Object entity) {
        List<String> ids = new ArrayList<>();
        if (entity instanceof FhirResource.Answer fhir && fhir.visitId() != null) {
            ids.add(fhir.visitId().toString());
        } else if (entity instanceof StoredVisit visit) {
            ids.add(String.valueOf(visit.visit().visitId()));
        } else if (entity instanceof VisitService.VisitPage page) {
            page.items().forEach(v -> ids.add(String.valueOf(v.visit().visitId())));
        } else if (entity instanceof BatchResult batch) {
            batch.items().stream().filter(i -> i.visitId() != null).forEach(i -> ids.add(i.visitId().toString()));
        }
        return ids;
    }
}
