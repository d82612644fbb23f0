package se.regionorebrolan.bhv.visit.service;

import jakarta.enterprise.context.ApplicationScoped;
import se.regionorebrolan.bhv.visit.config.VisitConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The child's keyed pseudonym: HMAC-SHA-256 of the normalised personnummer. The same child gets the same
 * pseudonym for as long as the key stays; without the key it cannot be traced back to the number.
 */
@ApplicationScoped
public class Pseudonymizer {

    private final SecretKeySpec key;

    public Pseudonymizer(VisitConfig config) {
        if (config.pseudonymKey().length() < 16) {
            throw new IllegalStateException("bhv.pseudonym-key (PSEUDONYM_KEY) must be at least 16 characters");
        }
        this.key = new SecretKeySpec(config.pseudonymKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String pseudonym(Personnummer personnummer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(personnummer.normalised().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
