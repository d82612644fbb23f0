package se.regionorebrolan.bhv.events;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The data of {@code CentreUpdated}: a centre of the registry that compensation-service owns. The topic is
 * compacted, so the latest record per centre id is the centre.
 */
public record CentreData(
        String centreId,
        String name,
        String municipality,
        String compensationModel,
        BigDecimal childCni,
        int listedChildren0to5,
        LocalDate fixedApprovedFrom) {
}
