package se.regionorebrolan.bhv.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The local stack's secrets are readable by their owner only, also when an earlier version made them wider. */
class KeyFilesTests {

    @Test
    void theTokenSigningKeyAndThePseudonymKeyAreTheOwnersAlone(@TempDir Path data) throws Exception {
        Tokens.in(data.resolve("keys"));
        LocalSecrets.pseudonymKey(data);
        assertEquals("rwx------", permissions(data.resolve("keys")));
        assertEquals("rw-------", permissions(data.resolve("keys/jwt-private.pem")));
        assertEquals("rwx------", permissions(data.resolve("secrets")));
        assertEquals("rw-------", permissions(data.resolve("secrets/pseudonym.key")));

        Files.setPosixFilePermissions(data.resolve("keys/jwt-private.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data.resolve("secrets/pseudonym.key"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Tokens.in(data.resolve("keys"));
        LocalSecrets.pseudonymKey(data);
        assertEquals("rw-------", permissions(data.resolve("keys/jwt-private.pem")), "tightened on the next start");
        assertEquals("rw-------", permissions(data.resolve("secrets/pseudonym.key")));
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
