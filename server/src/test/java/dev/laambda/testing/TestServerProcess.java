package dev.laambda.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Laambda server in a JVM of its own (the test's class path, {@code dev.laambda.Laambda}), for tests that
 * need what an in-process server cannot give: a small heap (-Xmx256m), a SIGKILL, its own environment.
 * Its output is kept (the last 200 lines) for failure messages.
 */
public final class TestServerProcess implements RunningServer, AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("lmb_[A-Za-z0-9_-]+");

    private final Process process;
    private final int httpPort;
    private final int sshPort;
    private final String adminToken;
    private final List<String> output;

    private TestServerProcess(Process process, int httpPort, int sshPort, String adminToken, List<String> output) {
        this.process = process;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
        this.adminToken = adminToken;
        this.output = output;
    }

    /**
     * Starts a server on free loopback ports with {@code env} (LAAMBDA_DATA, DATABASE_URL, … as the test
     * needs) and JVM options such as -Xmx256m; returns once it says it is listening.
     */
    public static TestServerProcess start(Map<String, String> env, List<String> jvmOptions) {
        try {
            int httpPort = freePort();
            int sshPort = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.laambda.Laambda"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("LAAMBDA_HTTP_HOST", "127.0.0.1");
            builder.environment().put("LAAMBDA_HTTP_PORT", String.valueOf(httpPort));
            builder.environment().put("LAAMBDA_SSH_HOST", "127.0.0.1");
            builder.environment().put("LAAMBDA_SSH_PORT", String.valueOf(sshPort));
            builder.environment().putAll(env);
            Process process = builder.start();
            List<String> output = java.util.Collections.synchronizedList(new java.util.LinkedList<>());
            String token = awaitListening(process, output);
            return new TestServerProcess(process, httpPort, sshPort, token, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public int sshPort() {
        return sshPort;
    }

    @Override
    public TestApi admin() {
        return new TestApi(url(), adminToken);
    }

    public String adminToken() {
        return adminToken;
    }

    public Process process() {
        return process;
    }

    /** The server's last output lines. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Reads the output until the ready line (the admin token is printed before it), then keeps draining. */
    private static String awaitListening(Process process, List<String> output) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String token = null;
        String line;
        while ((line = lines.readLine()) != null) {
            keep(output, line);
            Matcher matcher = TOKEN.matcher(line);
            if (token == null && matcher.find()) {
                token = matcher.group();
            }
            if (line.contains("listening on")) {
                break;
            }
        }
        if (line == null) {
            throw new IllegalStateException("The server process ended before it listened:\n" + String.join("\n", output));
        }
        Thread drain = new Thread(() -> {
            try {
                String next;
                while ((next = lines.readLine()) != null) {
                    keep(output, next);
                }
            } catch (IOException gone) {
                // The process ended.
            }
        }, "test-server-output");
        drain.setDaemon(true);
        drain.start();
        return token;
    }

    private static void keep(List<String> output, String line) {
        synchronized (output) {
            output.add(line);
            if (output.size() > 200) {
                output.remove(0);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
