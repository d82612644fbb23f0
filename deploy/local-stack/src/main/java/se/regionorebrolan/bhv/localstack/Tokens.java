package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Bearer tokens for local use and tests: an RSA key pair in a folder ({@code jwt-private.pem}, {@code jwt-public.pem};
 * made on first use, never committed) and RS256-signed JWTs with the roles in {@code groups} and, for the role
 * {@code centre}, the centre's HSA-id in {@code centre_hsa_id}. In production the region's identity provider issues
 * the tokens and the services only hold its public key.
 */
public final class Tokens {

    /** The issuer the services accept outside production (production: {@code JWT_ISSUER}). */
    public static final String LOCAL_ISSUER = "https://bhv.local/issuer";
    public static final String CENTRE_CLAIM = "centre_hsa_id";
    /** Every role: for tests of behaviour other than access control. */
    public static final List<String> ALL_ROLES = List.of("ehr-integration", "finance", "bhv-admin", "reporting");

    private final Path publicKey;
    private final PrivateKey privateKey;

    private Tokens(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** The key pair in {@code folder}, made there on first use. */
    public static Tokens in(Path folder) {
        try {
            Files.createDirectories(folder);
            Path privatePem = folder.resolve("jwt-private.pem");
            Path publicPem = folder.resolve("jwt-public.pem");
            if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
            String base64 = Files.readString(privatePem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new Tokens(publicPem, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make or read the token key pair in " + folder, e);
        }
    }

    /** The public key's PEM file: the services' {@code mp.jwt.verify.publickey.location}. */
    public Path publicKey() {
        return publicKey;
    }

    /** A token for {@code subject} with the roles; {@code centre} (or null) is the HSA-id of a centre user's centre. */
    public String mint(String subject, List<String> roles, String centre, Duration validFor) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + quote(LOCAL_ISSUER) + ",\"sub\":" + quote(subject) + ",\"upn\":" + quote(subject)
                + ",\"jti\":" + quote(UUID.randomUUID().toString())
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(validFor).getEpochSecond()
                + ",\"groups\":[" + roles.stream().map(Tokens::quote).collect(Collectors.joining(",")) + "]"
                + (centre == null ? "" : ",\"" + CENTRE_CLAIM + "\":" + quote(centre)) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** A token for an hour. */
    public String mint(String subject, List<String> roles, String centre) {
        return mint(subject, roles, centre, Duration.ofHours(1));
    }

    /** Prints a token: {@code Tokens <key folder> <role>[,<role>...] [centre HSA-id]} (see README, "Security"). */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: Tokens <key folder> <role>[,<role>...] [centre HSA-id]");
            System.exit(2);
        }
        List<String> roles = List.of(args[1].split(","));
        System.out.println(in(Path.of(args[0])).mint("local-" + String.join("-", roles), roles,
                args.length > 2 ? args[2] : null, Duration.ofHours(8)));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
