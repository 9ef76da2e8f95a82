package dev.laambda.store;

import dev.laambda.SecretFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded PostgreSQL's client authentication file, pg_hba.conf. zonky's initdb writes one that trusts every local
 * connection; Laambda replaces it with one where every connection, over the Unix socket as over TCP, needs the password.
 */
final class PgHba {

    static final String FILE_NAME = "pg_hba.conf";

    /** No trust and no peer: on a shared host any local user, and any process in the host's network, could be the superuser. */
    static final String PASSWORD_ONLY = """
            # Written by Laambda (EmbeddedPostgresServer): every connection needs the password of the superuser postgres,
            # kept in the server's data directory (postgres.password), and comes from this machine. Laambda puts this
            # content back at start if it finds anything else here, and then sets the password again.
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     scram-sha-256
            local   replication     all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private PgHba() {
    }

    /** True once Laambda has locked the data directory down; false for a new one and for one the old code made (trust). */
    static boolean requiresPassword(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        return Files.exists(file) && Files.readString(file).equals(PASSWORD_ONLY);
    }

    /** Replaces the file whole, with initdb's mode 600. */
    static void writePasswordOnly(Path dataDir) throws IOException {
        SecretFile.writeOwnerOnly(dataDir.resolve(FILE_NAME), PASSWORD_ONLY);
    }
}
