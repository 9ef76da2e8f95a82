package dev.laambda.store;

import org.postgresql.util.PasswordUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded PostgreSQL superuser's password as PostgreSQL keeps it: a SCRAM verifier in pg_authid, set and checked
 * in single-user mode while no server runs. Only the verifier ever reaches PostgreSQL, never the password itself.
 */
final class SuperuserPassword {

    static final String SUPERUSER = "postgres";

    /** Single-user mode prints a text column as {@code 1: rolpassword = "..."}. */
    private static final Pattern PRINTED = Pattern.compile("rolpassword = \"([^\"]*)\"");
    /** SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey, as PostgreSQL stores it. */
    private static final Pattern VERIFIER = Pattern.compile("SCRAM-SHA-256\\$(\\d+):([A-Za-z0-9+/=]+)\\$\\S+");

    private SuperuserPassword() {
    }

    static void set(PostgresBinaries binaries, Path dataDir, String password) throws IOException {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        binaries.runSingleUser(dataDir, "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier + "'");
    }

    /** Whether {@code password} opens the data directory: it gives the stored verifier again with the stored salt. */
    static boolean matches(PostgresBinaries binaries, Path dataDir, String password) throws IOException {
        String printed = binaries.runSingleUser(dataDir, "SELECT rolpassword FROM pg_authid WHERE rolname = '" + SUPERUSER + "'");
        Matcher column = PRINTED.matcher(printed);
        if (!column.find()) {
            return false;
        }
        String stored = column.group(1);
        Matcher verifier = VERIFIER.matcher(stored);
        if (!verifier.matches()) {
            return false;
        }
        String recomputed = PasswordUtil.encodeScramSha256(password.toCharArray(), Integer.parseInt(verifier.group(1)),
                Base64.getDecoder().decode(verifier.group(2)));
        return MessageDigest.isEqual(recomputed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }
}
