package dev.laambda.cli;

import dev.laambda.cli.Models.FormationEntry;
import dev.laambda.cli.Models.Release;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReleaseFormatTest {

    @TempDir
    Path home;

    @Test
    void releaseRowsLineUpAndMarkTheCurrentRelease() {
        List<String> rows = ReleaseFormat.rows(List.of(
                release(10, "Rollback to v2", "alice@example.com", "2026-11-23T10:00:59.123456Z", "active", true),
                release(9, "Set A config var", "bob@example.com", "2026-11-23T11:05:00+02:00", "superseded", false),
                release(8, "Deploy 1a2b3c4", "alice@example.com", "2026-11-22T23:59:00Z", "failed", false)));

        assertEquals(List.of(
                "v10  Rollback to v2    alice@example.com  2026-11-23T10:00Z  (current)",
                "v9   Set A config var  bob@example.com    2026-11-23T09:05Z",
                "v8   Deploy 1a2b3c4    alice@example.com  2026-11-22T23:59Z  (failed)"), rows);
    }

    @Test
    void theHeaderNamesTheCurrentRelease() {
        assertEquals("=== demo Releases - Current: v4", ReleaseFormat.header("demo", 4));
        assertEquals("=== demo Releases", ReleaseFormat.header("demo", null));
    }

    @Test
    void versionsAreTakenWithOrWithoutTheV() {
        assertEquals(3, ReleaseFormat.parseVersion("v3"));
        assertEquals(3, ReleaseFormat.parseVersion("3"));
        CliException error = assertThrows(CliException.class, () -> ReleaseFormat.parseVersion("v0"));
        assertEquals("'v0' is not a release version like v3.", error.getMessage());
        assertThrows(CliException.class, () -> ReleaseFormat.parseVersion("latest"));
    }

    @Test
    void releaseInfoListsItsFieldsAligned() {
        Release release = new Release(5, "rollback", "Rollback to v2", "active", null, "1a2b3c4",
                "alice@example.com", "2026-11-23T10:00:00Z", 2, true,
                List.of(new FormationEntry("web", "app.handler", "demo-web", 512, 30, null, "python3.12", null, null, null,
                                null, null, null),
                        new FormationEntry("jobs", "jobs.handler", "demo-jobs", 128, 900, 0, "python3.12", null, null,
                                null, null, null, null)),
                List.of("A", "B"));

        assertEquals(List.of(
                "Kind:             rollback",
                "Description:      Rollback to v2",
                "Status:           active (current)",
                "By:               alice@example.com",
                "When:             2026-11-23T10:00Z",
                "Git sha:          1a2b3c4",
                "Rolled back from: v2",
                "Config vars:      A, B",
                "Function web:     app.handler, 512 MB, 30 s, python3.12, function demo-web",
                "Function jobs:    jobs.handler, 128 MB, 900 s, concurrency 0 (off), python3.12, function demo-jobs"),
                Table.fields(ReleaseFormat.fields(release)));
    }

    @Test
    void theReleasesCommandPrintsTheServersReleases() throws Exception {
        String answer = """
                [{"version": 3, "kind": "config", "description": "Remove A config var", "status": "active",
                  "created_by": "admin@localhost", "created_at": "2026-11-24T10:02:00Z", "current": true},
                 {"version": 2, "kind": "config", "description": "Set A, B config vars", "status": "superseded",
                  "created_by": "admin@localhost", "created_at": "2026-11-24T10:01:00Z", "current": false}]""";
        try (TinyHttpServer server = TinyHttpServer.answering(200, answer)) {
            CliRun run = CliRun.run(Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url(),
                    "LAAMBDA_TOKEN", "lmb_test"), home, "releases", "-a", "demo", "-n", "2");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("/api/v1/apps/demo/releases?limit=2", server.requests().get(0).uri());
            assertEquals("""
                    === demo Releases - Current: v3
                    v3  Remove A config var   admin@localhost  2026-11-24T10:02Z  (current)
                    v2  Set A, B config vars  admin@localhost  2026-11-24T10:01Z
                    """, run.out());
        }
    }

    private static Release release(int version, String description, String by, String at, String status,
                                   boolean current) {
        return new Release(version, "config", description, status, null, null, by, at, null, current, null, null);
    }
}
