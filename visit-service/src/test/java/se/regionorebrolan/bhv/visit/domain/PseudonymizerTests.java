package se.regionorebrolan.bhv.visit.domain;

import org.junit.jupiter.api.Test;
import se.regionorebrolan.bhv.visit.config.VisitConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pseudonym carries its key's id, and a rotation keeps one child one pseudonym within a reporting year: the new
 * key pseudonymises the visits from its first year on, the previous key those before, whenever it is deployed.
 */
class PseudonymizerTests {

    private static final String OLD_KEY = "the-2026-key-of-enough-length";
    private static final String NEW_KEY = "the-2027-key-of-enough-length";
    private static final Personnummer CHILD = Personnummer.parse("202601152388", LocalDate.of(2027, 6, 1));

    private static VisitConfig config(String key, String id, Integer fromYear, String previous, String previousId) {
        return new VisitConfig() {
            public String pseudonymKey() { return key; }
            public String pseudonymKeyId() { return id; }
            public OptionalInt pseudonymKeyFromYear() { return fromYear == null ? OptionalInt.empty() : OptionalInt.of(fromYear); }
            public Optional<String> pseudonymPreviousKey() { return Optional.ofNullable(previous); }
            public Optional<String> pseudonymPreviousKeyId() { return Optional.ofNullable(previousId); }
            public Outbox outbox() {
                return new Outbox() {
                    public boolean enabled() { return true; }
                    public Duration pollInterval() { return Duration.ofSeconds(1); }
                    public Duration linger() { return Duration.ZERO; }
                };
            }
            public Audit audit() { return () -> Duration.ofMinutes(1); }
            public Fhir fhir() { return java.util.List::of; }
        };
    }

    /** HMAC-SHA-256 of the 12 digits, hex: computed here independently of the class under test. */
    private static String hmac(String key, String digits) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(digits.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aPseudonymIsTheKeyedHashOfTheNumberWithItsKeyId() throws Exception {
        Pseudonymizer before = new Pseudonymizer(config(OLD_KEY, "k2026", null, null, null));
        assertEquals(new Pseudonymizer.Pseudonym(hmac(OLD_KEY, "202601152388"), "k2026"),
                before.pseudonym(CHILD, LocalDate.of(2026, 12, 30)));
    }

    @Test
    void eachNumberGetsItsOwnHashHoweverOftenAndOnWhicheverThreadTheKeyIsUsed() throws Exception {
        Pseudonymizer pseudonymizer = new Pseudonymizer(config(OLD_KEY, "k2026", null, null, null));
        Personnummer other = Personnummer.parse("202601162387", LocalDate.of(2027, 6, 1));
        String child = hmac(OLD_KEY, "202601152388");
        String otherChild = hmac(OLD_KEY, "202601162387");
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(threads.submit(() -> {
                    boolean right = true;
                    for (int i = 0; i < 2000; i++) {
                        right &= child.equals(pseudonymizer.pseudonym(CHILD, LocalDate.of(2026, 5, 1)).value());
                        right &= otherChild.equals(pseudonymizer.pseudonym(other, LocalDate.of(2026, 5, 1)).value());
                    }
                    return right;
                }));
            }
            for (java.util.concurrent.Future<Boolean> run : runs) {
                assertTrue(run.get(), "a Mac kept for reuse hashes each value alone");
            }
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aRotationKeepsOneChildOnePseudonymWithinAReportingYear() throws Exception {
        Pseudonymizer before = new Pseudonymizer(config(OLD_KEY, "k2026", null, null, null));
        // the new key is deployed in November 2026, for the visits of 2027 on
        Pseudonymizer after = new Pseudonymizer(config(NEW_KEY, "k2027", 2027, OLD_KEY, "k2026"));
        for (LocalDate date2026 : new LocalDate[] {LocalDate.of(2026, 2, 1), LocalDate.of(2026, 12, 31)}) {
            assertEquals(before.pseudonym(CHILD, date2026), after.pseudonym(CHILD, date2026),
                    "a 2026 visit registered after the rotation keeps the child's 2026 pseudonym");
        }
        Pseudonymizer.Pseudonym in2027 = after.pseudonym(CHILD, LocalDate.of(2027, 1, 1));
        assertEquals(new Pseudonymizer.Pseudonym(hmac(NEW_KEY, "202601152388"), "k2027"), in2027);
        assertEquals(in2027, after.pseudonym(CHILD, LocalDate.of(2027, 12, 31)), "one pseudonym all through 2027");
        assertNotEquals(in2027.value(), after.pseudonym(CHILD, LocalDate.of(2026, 12, 31)).value());
    }

    @Test
    void aRotationNeedsThePreviousKeyAndDistinctIds() {
        assertThrows(IllegalStateException.class,
                () -> new Pseudonymizer(config(NEW_KEY, "k2027", 2027, null, null)));
        assertThrows(IllegalStateException.class,
                () -> new Pseudonymizer(config(NEW_KEY, "k1", 2027, OLD_KEY, "k1")));
        assertThrows(IllegalStateException.class, () -> new Pseudonymizer(config("short", "k1", null, null, null)));
        assertThrows(IllegalStateException.class,
                () -> new Pseudonymizer(config(OLD_KEY, "no spaces allowed", null, null, null)));
    }
}
