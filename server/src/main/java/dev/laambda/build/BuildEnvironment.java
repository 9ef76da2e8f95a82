package dev.laambda.build;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment buildpack scripts run with. Never the server's own (it holds LAAMBDA_MASTER_KEY and
 * DATABASE_URL): only an allowlist of the host's settings, chiefly package-index and proxy settings, so
 * a team behind a corporate mirror builds through it as it does on its own machines.
 */
public final class BuildEnvironment {

    private static final Set<String> NAMES = Set.of(
            "PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ",
            "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
            "GOPROXY", "GOFLAGS", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GONOPROXY", "GOSUMDB", "GOPATH", "GOMODCACHE",
            "MAVEN_OPTS", "MAVEN_ARGS",
            "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS");
    private static final List<String> PREFIXES = List.of("PIP_", "NPM_CONFIG_", "npm_config_", "UV_INDEX", "COMPOSER_");

    private final Map<String, String> forwarded;

    /** Picks the forwarded settings out of the server's environment. */
    public BuildEnvironment(Map<String, String> serverEnvironment) {
        Map<String, String> picked = new HashMap<>();
        serverEnvironment.forEach((name, value) -> {
            if (NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith)) {
                picked.put(name, value);
            }
        });
        picked.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        this.forwarded = Map.copyOf(picked);
    }

    /** Replaces a process's environment with the forwarded settings plus {@code extra}. */
    public void applyTo(ProcessBuilder process, Map<String, String> extra) {
        Map<String, String> env = process.environment();
        env.clear();
        env.putAll(forwarded);
        env.putAll(extra);
    }
}
