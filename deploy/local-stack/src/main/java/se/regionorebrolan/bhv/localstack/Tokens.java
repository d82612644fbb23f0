package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    public static final String SOURCE_SYSTEMS_CLAIM = "source_systems";
    /** The audience the services require outside production (production: {@code JWT_AUDIENCE}). */
    public static final String AUDIENCE = "bhv";
    /** The source systems of a local {@code ehr-integration} token unless others are asked for. */
    public static final List<String> DEFAULT_SOURCE_SYSTEMS = List.of("cosmic");
    /** Every role: for tests of behaviour other than access control. */
    public static final List<String> ALL_ROLES = List.of("ehr-integration", "finance", "bhv-admin", "reporting");

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_FILE =
            PosixFilePermissions.fromString("rw-------");

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
                Files.deleteIfExists(privatePem);
                Files.createFile(privatePem, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
                Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
            // the signing key is the owner's alone (also for a folder made by an earlier version)
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(privatePem, OWNER_ONLY_FILE);
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

    /**
     * What a token says. {@code sourceSystems}: for an {@code ehr-integration} token, the source systems whose visits
     * it may write (claim {@code source_systems}; null: no claim).
     */
    public record Spec(String issuer, String audience, String subject, List<String> roles, String centre,
                       List<String> sourceSystems, Instant issuedAt, Duration validFor) {

        /** A token as the region's identity provider would issue it, valid for {@code validFor} from now. */
        public static Spec of(String subject, List<String> roles, String centre, Duration validFor) {
            return new Spec(LOCAL_ISSUER, AUDIENCE, subject, roles, centre,
                    roles.contains("ehr-integration") ? DEFAULT_SOURCE_SYSTEMS : null, Instant.now(), validFor);
        }

        public Spec issuer(String other) {
            return new Spec(other, audience, subject, roles, centre, sourceSystems, issuedAt, validFor);
        }

        public Spec audience(String other) {
            return new Spec(issuer, other, subject, roles, centre, sourceSystems, issuedAt, validFor);
        }

        public Spec sourceSystems(List<String> other) {
            return new Spec(issuer, audience, subject, roles, centre, other, issuedAt, validFor);
        }

        public Spec issuedAt(Instant other) {
            return new Spec(issuer, audience, subject, roles, centre, sourceSystems, other, validFor);
        }

        String claims() {
            return "{\"iss\":" + quote(issuer) + (audience == null ? "" : ",\"aud\":" + quote(audience))
                    + ",\"sub\":" + quote(subject) + ",\"upn\":" + quote(subject)
                    + ",\"jti\":" + quote(UUID.randomUUID().toString())
                    + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + issuedAt.plus(validFor).getEpochSecond()
                    + ",\"groups\":[" + roles.stream().map(Tokens::quote).collect(Collectors.joining(",")) + "]"
                    + (centre == null ? "" : ",\"" + CENTRE_CLAIM + "\":" + quote(centre))
                    + (sourceSystems == null ? "" : ",\"" + SOURCE_SYSTEMS_CLAIM + "\":["
                    + sourceSystems.stream().map(Tokens::quote).collect(Collectors.joining(",")) + "]") + "}";
        }
    }

    /** A token signed with the key pair (RS256). */
    public String mint(Spec spec) {
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(spec.claims().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** A token with {@code alg: none} and no signature: for tests that it is refused. */
    public static String unsigned(Spec spec) {
        return base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(spec.claims().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** A token signed HS256 with {@code secret} (e.g. the public key's bytes): for tests that it is refused. */
    public static String hs256(Spec spec, byte[] secret) {
        String signingInput = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64Url(spec.claims().getBytes(StandardCharsets.UTF_8));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + base64Url(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** A token for {@code subject} with the roles; {@code centre} (or null) is the HSA-id of a centre user's centre. */
    public String mint(String subject, List<String> roles, String centre, Duration validFor) {
        return mint(Spec.of(subject, roles, centre, validFor));
    }

    /** A token for an hour. */
    public String mint(String subject, List<String> roles, String centre) {
        return mint(subject, roles, centre, Duration.ofHours(1));
    }

    /**
     * Prints a token: {@code Tokens <key folder> <role>[,<role>...] [centre HSA-id] [--source-systems=a,b]} (see
     * README, "Security"): valid for 8 hours (at most 12 are accepted); an {@code ehr-integration} token writes the
     * visits of the source systems named (default {@code cosmic}).
     */
    public static void main(String[] args) {
        List<String> positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        if (positional.size() < 2) {
            System.err.println("usage: Tokens <key folder> <role>[,<role>...] [centre HSA-id] [--source-systems=a,b]");
            System.exit(2);
        }
        List<String> roles = List.of(positional.get(1).split(","));
        Spec spec = Spec.of("local-" + String.join("-", roles), roles, positional.size() > 2 ? positional.get(2) : null,
                Duration.ofHours(8));
        for (String arg : args) {
            if (arg.startsWith("--source-systems=")) {
                spec = spec.sourceSystems(List.of(arg.substring("--source-systems=".length()).split(",")));
            }
        }
        System.out.println(in(Path.of(positional.get(0))).mint(spec));
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
