package dev.laambda.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Polls GET {@code uri} until an answer passes {@code ready}, for at most {@code bound}, while {@code process}
     * lives; whether one did.
     */
    static boolean awaitAnswer(Process process, URI uri, Predicate<HttpResponse<String>> ready, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (ready.test(response)) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(100);
        }
        return false;
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
