package se.regionorebrolan.bhv.visit.domain;

import se.regionorebrolan.bhv.events.EventCodec;
import se.regionorebrolan.bhv.events.VisitData;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** SHA-256 of the content's JSON without id and revision: equal for the same content sent again. */
    public static String hash(VisitData content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(EventCodec.json(withIdentity(content, null, 0)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
