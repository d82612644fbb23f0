package se.regionorebrolan.bhv.events;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The data of {@code CentreUpdated}: a centre of the registry that compensation-service owns. The topic is
 * compacted, so the latest record per centre id is the centre. {@code compensationModel} and {@code fixedApprovedFrom}
 * are as of the day the record was written; {@code fixedPeriods} (added in the second round, absent from older
 * records) is the model's whole history: the centre is on the fixed model within these periods only.
 */
public record CentreData(
        String centreId,
        String name,
        String municipality,
        String compensationModel,
        BigDecimal childCni,
        int listedChildren0to5,
        LocalDate fixedApprovedFrom,
        List<FixedPeriod> fixedPeriods) {

    /** An approved period of the fixed model: {@code from} its first day, {@code until} exclusive (null: open). */
    public record FixedPeriod(LocalDate from, LocalDate until) {
    }

    /** A record without the model's history (as written before the second round). */
    public CentreData(String centreId, String name, String municipality, String compensationModel, BigDecimal childCni,
                      int listedChildren0to5, LocalDate fixedApprovedFrom) {
        this(centreId, name, municipality, compensationModel, childCni, listedChildren0to5, fixedApprovedFrom, null);
    }
}
