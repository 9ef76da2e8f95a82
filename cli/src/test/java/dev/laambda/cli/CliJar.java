package dev.laambda.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built CLI jar run as a separate process, as a person types `laambda ...`, with its own HOME. */
final class CliJar {

    private static final Path JAR = Path.of("target", "laambda-cli.jar").toAbsolutePath();

    private final Path home;
    private final Map<String, String> extraEnv;

    CliJar(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.extraEnv = extraEnv;
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: end-to-end tests run after `package` (mvn verify).");
        }
    }

    /** Exit status, standard output and standard error of one command. */
    record Result(int exitCode, String out, String err) {
        String both() {
            return out + err;
        }
    }

    Result run(Path cwd, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile("cli", ".out");
            Path stderr = Files.createTempFile("cli", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().remove("LAAMBDA_SERVER");
            builder.environment().remove("LAAMBDA_TOKEN");
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("laambda " + String.join(" ", args) + " timed out");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
