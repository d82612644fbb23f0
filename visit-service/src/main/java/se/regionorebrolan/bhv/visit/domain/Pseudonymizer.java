package se.regionorebrolan.bhv.visit.domain;

import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.visit.config.VisitConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The child's keyed pseudonym: HMAC-SHA-256 of the normalised personnummer, with the id of the key that made it.
 * Without the key it cannot be traced back to the number. The key is chosen by the visit's year: from the year the
 * current key starts ({@code bhv.pseudonym-key-from-year}) the current key, before it the previous one. So a child
 * has one pseudonym within a reporting year, whenever a new key is deployed, also for a visit registered late.
 */
@ApplicationScoped
public class Pseudonymizer {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /** A pseudonym and the id of the key that made it. */
    public record Pseudonym(String value, String keyId) {
    }

    /** A key and, per thread, its initialised HMAC (a Mac looked up and keyed for every visit cost 2 % of the CPU). */
    private record Key(String id, ThreadLocal<Mac> macs) {
    }

    private final Key current;
    private final Key previous;
    private final int currentFrom;

    public Pseudonymizer(VisitConfig config) {
        this.current = key("bhv.pseudonym-key (PSEUDONYM_KEY)", config.pseudonymKey(), config.pseudonymKeyId());
        this.currentFrom = config.pseudonymKeyFromYear().orElse(Integer.MIN_VALUE);
        if (config.pseudonymKeyFromYear().isPresent() && config.pseudonymPreviousKey().isEmpty()) {
            throw new IllegalStateException("bhv.pseudonym-key-from-year needs the previous key"
                    + " (bhv.pseudonym-previous-key, PSEUDONYM_PREVIOUS_KEY) for the visits of the years before it");
        }
        this.previous = config.pseudonymPreviousKey().isEmpty() ? null
                : key("bhv.pseudonym-previous-key (PSEUDONYM_PREVIOUS_KEY)", config.pseudonymPreviousKey().get(),
                config.pseudonymPreviousKeyId().orElse(""));
        if (previous != null && previous.id().equals(current.id())) {
            throw new IllegalStateException("the previous pseudonym key needs an id of its own");
        }
    }

    private static Key key(String name, String secret, String id) {
        if (secret.length() < 16) {
            throw new IllegalStateException(name + " must be at least 16 characters");
        }
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(name + ": its key id must be 1-32 letters, digits or ._-");
        }
        SecretKeySpec spec = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        Key key = new Key(id, ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }));
        key.macs().get(); // fails at start, not at the first visit, when the JVM has no HmacSHA256
        return key;
    }

    /** The child's pseudonym for a visit on {@code visitDate}. */
    public Pseudonym pseudonym(Personnummer personnummer, LocalDate visitDate) {
        Key key = previous != null && visitDate.getYear() < currentFrom ? previous : current;
        // doFinal leaves the Mac reset for the next value, with the same key
        return new Pseudonym(HexFormat.of().formatHex(
                key.macs().get().doFinal(personnummer.normalised().getBytes(StandardCharsets.US_ASCII))), key.id());
    }
}
