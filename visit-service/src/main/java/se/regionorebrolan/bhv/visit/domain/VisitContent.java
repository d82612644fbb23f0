package se.regionorebrolan.bhv.visit.domain;

import se.regionorebrolan.bhv.events.VisitData;

import java.util.UUID;

/** What "the same visit" means: its content, apart from its id and revision. */
public final class VisitContent {

    private VisitContent() {
    }

    /** The content under the given identity. */
    public static VisitData withIdentity(VisitData c, UUID visitId, int revision) {
        return new VisitData(visitId, revision, c.sourceSystem(), c.sourceVisitId(), c.centreId(), c.childPseudonym(),
                c.childBirthDate(), c.visitDate(), c.programSlot(), c.programSlotInferred(), c.participants(),
                c.kvaCodes(), c.referrals(), c.interpreterUsed(), c.riskFactors(), c.childPseudonymKeyId());
    }

    /**
     * Whether a stored visit and content sent for it are the same visit: equal apart from id and revision. Compared
     * when the same source key comes again or a correction arrives, against the stored state — not by a digest
     * computed for every visit posted (issue 18: the SHA-256 of each visit's JSON was an eighth of visit-service's
     * CPU, for the few visits sent twice).
     */
    public static boolean same(VisitData stored, VisitData content) {
        return withIdentity(stored, null, 0).equals(withIdentity(content, null, 0));
    }
}
