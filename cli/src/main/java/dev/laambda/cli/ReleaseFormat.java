package dev.laambda.cli;

import dev.laambda.cli.Models.FormationEntry;
import dev.laambda.cli.Models.Release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** How releases read on the terminal: versions like v3, the `releases` table and the `releases:info` fields. */
final class ReleaseFormat {

    private static final Pattern VERSION = Pattern.compile("[vV]?([0-9]{1,9})");

    private ReleaseFormat() {
    }

    static String version(int number) {
        return "v" + number;
    }

    /** Accepts "v3" and "3", as the API does. */
    static int parseVersion(String text) {
        var match = VERSION.matcher(text);
        if (!match.matches() || Integer.parseInt(match.group(1)) < 1) {
            throw new CliException("'" + text + "' is not a release version like v3.");
        }
        return Integer.parseInt(match.group(1));
    }

    static String header(String app, Integer currentVersion) {
        return "=== " + app + " Releases" + (currentVersion == null ? "" : " - Current: " + version(currentVersion));
    }

    /**
     * One aligned line per release: version, description, author, time (UTC, to the minute) and a marker:
     * "(current)" on the current release, "(pending)" or "(failed)" on releases that never went live.
     */
    static List<String> rows(List<Release> releases) {
        List<List<String>> rows = new ArrayList<>();
        for (Release release : releases) {
            rows.add(List.of(version(release.version()), text(release.description()), text(release.createdBy()),
                    Timestamps.minutes(release.createdAt()), marker(release)));
        }
        return Table.columns(rows);
    }

    /** The fields of `releases:info`, in the order they are printed; absent optional fields are left out. */
    static Map<String, String> fields(Release release) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Kind", text(release.kind()));
        fields.put("Description", text(release.description()));
        fields.put("Status", text(release.status()) + (release.current() ? " (current)" : ""));
        fields.put("By", text(release.createdBy()));
        fields.put("When", Timestamps.minutes(release.createdAt()));
        if (release.gitSha() != null) {
            fields.put("Git sha", release.gitSha());
        }
        if (release.artifactSha() != null) {
            fields.put("Artifact", release.artifactSha());
        }
        if (release.rolledBackFrom() != null) {
            fields.put("Rolled back from", version(release.rolledBackFrom()));
        }
        List<String> keys = release.configKeys() == null ? List.of() : release.configKeys();
        fields.put("Config vars", keys.isEmpty() ? "(none)" : String.join(", ", keys));
        if (release.formation() != null) {
            for (FormationEntry entry : release.formation()) {
                fields.put("Function " + entry.entry(), describe(entry));
            }
        }
        return fields;
    }

    /** An entry on one line: handler, memory, timeout, reserved concurrency, runtime and the platform's function name. */
    static String describe(FormationEntry entry) {
        List<String> parts = new ArrayList<>();
        parts.add(text(entry.handler()));
        if (entry.memoryMb() != null) {
            parts.add(entry.memoryMb() + " MB");
        }
        if (entry.timeoutS() != null) {
            parts.add(entry.timeoutS() + " s");
        }
        if (entry.reservedConcurrency() != null) {
            parts.add("concurrency " + concurrency(entry));
        }
        if (entry.runtime() != null) {
            parts.add(entry.runtime());
        }
        if (entry.functionName() != null) {
            parts.add("function " + entry.functionName());
        }
        return String.join(", ", parts);
    }

    /** An entry's reserved concurrency: "5", "0 (off)", or "default" when the server's limit applies. */
    static String concurrency(FormationEntry entry) {
        Integer reserved = entry.reservedConcurrency();
        return reserved == null ? "default" : reserved == 0 ? "0 (off)" : String.valueOf(reserved);
    }

    private static String marker(Release release) {
        if (release.current()) {
            return "(current)";
        }
        return "pending".equals(release.status()) || "failed".equals(release.status()) ? "(" + release.status() + ")" : "";
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
