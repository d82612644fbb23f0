package se.regionorebrolan.bhv.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The local stack's secrets, made on first start and kept with its data (git-ignored). */
final class LocalSecrets {

    private LocalSecrets() {
    }

    /**
     * A key for the child pseudonyms, made on first start and kept with the data (never in git), readable by its
     * owner only.
     */
    static String pseudonymKey(Path data) throws IOException {
        Path file = data.resolve("secrets").resolve("pseudonym.key");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        }
        Files.setPosixFilePermissions(file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
