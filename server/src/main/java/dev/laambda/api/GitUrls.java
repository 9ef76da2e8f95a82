package dev.laambda.api;

import io.javalin.http.Context;

import java.util.Optional;

/** The git remote of an app: ssh://git@HOST:PORT/APP.git, HOST from LAAMBDA_GIT_HOST or the name the client used. */
final class GitUrls {

    private final Optional<String> gitHost;
    private final int sshPort;

    GitUrls(Optional<String> gitHost, int sshPort) {
        this.gitHost = gitHost;
        this.sshPort = sshPort;
    }

    String forApp(String appName, Context ctx) {
        return "ssh://git@" + gitHost.orElseGet(() -> hostOf(ctx)) + ":" + sshPort + "/" + appName + ".git";
    }

    private static String hostOf(Context ctx) {
        String host = Optional.ofNullable(ctx.header("Host")).orElse("localhost");
        if (host.startsWith("[")) {
            return host.substring(0, host.indexOf(']') + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
