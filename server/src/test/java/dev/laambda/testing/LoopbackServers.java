package dev.laambda.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** What the AWS-compatible test servers (moto, LocalStack) share: finding their install, a free port, stopping. */
final class LoopbackServers {

    private LoopbackServers() {
    }

    /**
     * The server's executable: the test setting (set by run-tests) when given, else where its script installs it
     * under {@code homeSetting} or ${XDG_CACHE_HOME:-~/.cache}/laambda/{@code name}, so a developer who ran
     * --install needs no setting.
     */
    static Optional<Path> installed(String testSetting, String homeSetting, String name, String inHome) {
        String home = nonBlank(System.getenv(homeSetting)).orElseGet(() -> nonBlank(System.getenv("XDG_CACHE_HOME"))
                .orElse(System.getProperty("user.home") + "/.cache") + "/laambda/" + name);
        Path executable = Path.of(nonBlank(System.getenv(testSetting)).orElse(home + "/" + inHome));
        return Optional.of(executable).filter(Files::isExecutable);
    }

    /** Fails the calling test when {@code requireSetting} is 1 (run-tests sets it), else skips it. */
    static <T> T missing(String requireSetting, String what, String how) {
        if ("1".equals(System.getenv(requireSetting))) {
            fail("These tests need " + what + " and " + requireSetting + "=1, but " + how);
        }
        Assumptions.abort(how);
        return null;
    }

    /** A port free on loopback now: the caller hands it to a server, and another process may take it in between. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
