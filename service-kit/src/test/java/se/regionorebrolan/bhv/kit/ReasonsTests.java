package se.regionorebrolan.bhv.kit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReasonsTests {

    @Test
    void aReasonIsRequiredBoundedAndNeverAPersonalNumber() {
        assertNull(Reasons.problem("registrerat på fel barn, ärende 12"));
        assertNull(Reasons.problem("x".repeat(500)));
        assertNotNull(Reasons.problem(null));
        assertNotNull(Reasons.problem("  "));
        assertNotNull(Reasons.problem("x".repeat(501)));
        for (String number : new String[] {"201601152388", "20160115-2388", "160115+2388", "2016 0115 2388"}) {
            assertNotNull(Reasons.problem("barnet " + number), number);
        }
    }
}
