package dev.laambda.build;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The environment buildpack scripts run with: an allowlist of the host's settings, never the server's whole environment. */
public final class BuildEnvironment {

    /**
     * Host settings a build may see. Users behind a corporate mirror or proxy need their package-index,
     * proxy and CA settings in builds exactly as on their own machines; nothing else of the server's
     * environment (secrets such as LAAMBDA_MASTER_KEY, DATABASE_URL, cloud credentials) is passed on.
     */
    static final Set<String> NAMES = Set.of(
            "PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ",
            "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
            "GOPROXY", "GOFLAGS", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GONOPROXY", "GOSUMDB", "GOPATH", "GOMODCACHE",
            "MAVEN_OPTS", "MAVEN_ARGS",
            "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS");
    /** Whole families of index settings: pip (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, …), npm, uv, Composer. */
    static final List<String> PREFIXES = List.of("PIP_", "NPM_CONFIG_", "npm_config_", "UV_INDEX", "COMPOSER_");

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

    /** The forwarded settings, for a build container's environment. */
    public Map<String, String> forwarded() {
        return forwarded;
    }

    /** Replaces a process's environment with the forwarded settings plus {@code extra}. */
    public void applyTo(ProcessBuilder process, Map<String, String> extra) {
        Map<String, String> env = process.environment();
        env.clear();
        env.putAll(forwarded);
        env.putAll(extra);
    }
}
