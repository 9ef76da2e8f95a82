package dev.laambda.cli;

import java.util.Optional;

/**
 * Which app a command is about: the one named with --app/-a, else the one the {@code laambda} git remote
 * of the repository in the working directory points at ({@code ssh://git@HOST:PORT/APP.git}).
 */
final class AppResolver {

    static final String REMOTE = "laambda";
    static final String NO_APP = "No app specified: use --app NAME or run inside a git repo with a 'laambda' remote.";

    private final Git git;

    AppResolver(Git git) {
        this.git = git;
    }

    String resolve(String explicitApp) {
        if (explicitApp != null && !explicitApp.isBlank()) {
            return explicitApp.trim();
        }
        String url = git.remoteUrl(REMOTE).orElseThrow(() -> new CliException(NO_APP));
        return appFromRemoteUrl(url).orElseThrow(() -> new CliException("The '" + REMOTE + "' git remote " + url
                + " does not name an app: expected ssh://git@HOST:PORT/APP.git. Use --app NAME."));
    }

    /**
     * The app named by a git remote URL: the last path segment without ".git", in both
     * {@code ssh://git@host:2222/demo.git} and the scp-like {@code git@host:demo.git}.
     */
    static Optional<String> appFromRemoteUrl(String url) {
        String path = url.trim();
        int schemeEnd = path.indexOf("://");
        if (schemeEnd >= 0) {
            int pathStart = path.indexOf('/', schemeEnd + 3);
            path = pathStart < 0 ? "" : path.substring(pathStart + 1);
        } else if (path.indexOf(':') >= 0) {
            path = path.substring(path.indexOf(':') + 1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.endsWith(".git")) {
            name = name.substring(0, name.length() - ".git".length());
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
