package dev.laambda.drains;

import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a drain sends an app's stream, as `laambda drains:add` takes it: {@code syslog+tls://HOST:PORT} (RFC 5424
 * over TLS, as Papertrail and Heroku's drains), {@code syslog://HOST:PORT} (the same over plain TCP) or
 * {@code https://HOST[:PORT]/PATH} (newline-delimited JSON posts; user:password in the URL becomes Basic auth).
 */
public record DrainUrl(String text, Kind kind, String host, int port, String pathAndQuery, Optional<String> userInfo) {

    static final int MAX_LENGTH = 2048;

    public enum Kind {
        SYSLOG_TLS("syslog+tls"), SYSLOG("syslog"), HTTPS("https");

        private final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }

        public String scheme() {
            return scheme;
        }
    }

    /** Reads a drain URL; anything else is one line saying which forms there are. */
    public static DrainUrl parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            throw invalid(text);
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalid(text);
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "syslog+tls" -> Kind.SYSLOG_TLS;
            case "syslog" -> Kind.SYSLOG;
            case "https" -> Kind.HTTPS;
            default -> throw invalid(text);
        };
        String host = uri.getHost();
        if (host == null || uri.getRawFragment() != null) {
            throw invalid(text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (kind == Kind.HTTPS) {
            String path = Optional.ofNullable(uri.getRawPath()).filter(p -> !p.isEmpty()).orElse("/");
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DrainUrl(text.strip(), kind, host, uri.getPort() == -1 ? 443 : uri.getPort(), path + query,
                    Optional.ofNullable(uri.getRawUserInfo()));
        }
        if (uri.getPort() < 1) {
            throw LaambdaException.invalid("invalid_drain_url", "A syslog drain needs a port, like " + kind.scheme()
                    + "://logs.example.com:514 (got '" + Echo.of(text) + "').");
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawUserInfo() == null;
        if (!bare) {
            throw LaambdaException.invalid("invalid_drain_url", "A syslog drain is only " + kind.scheme()
                    + "://HOST:PORT, without a user, path or query (got '" + Echo.of(text) + "').");
        }
        return new DrainUrl(text.strip(), kind, host, uri.getPort(), "", Optional.empty());
    }

    /** The URL without what may be a secret (a user, a path or query holding a token): for log lines and lists. */
    public String shown() {
        String origin = kind.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return kind == Kind.HTTPS && (!pathAndQuery.equals("/") || userInfo.isPresent()) ? origin + "/…" : origin;
    }

    private static LaambdaException invalid(String text) {
        return LaambdaException.invalid("invalid_drain_url", "A drain URL must be syslog+tls://HOST:PORT, "
                + "syslog://HOST:PORT or https://HOST/PATH (got '" + Echo.of(text) + "').");
    }
}
