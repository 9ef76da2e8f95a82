package dev.laambda.build;

import dev.laambda.AppSettings;
import dev.laambda.Echo;
import dev.laambda.LaambdaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The installed buildpacks, in detect order: which one builds an app, and what process types it offers. */
public final class Buildpacks {

    private static final Pattern DEFAULT_RUNTIME = Pattern.compile("(?m)^\\s*default_runtime\\s*=\\s*\"([^\"]+)\"\\s*$");
    /** An indented "  web: app.handler" line of bin/release's YAML; the handler may be quoted. */
    private static final Pattern PROCESS_TYPE = Pattern.compile("^\\s+([a-z][a-z0-9-]*)\\s*:\\s*(['\"]?)(\\S+?)\\2\\s*$");
    /** How long detect and release, which only look at files, may take. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final List<String> order;
    private final BuildEnvironment environment;

    public Buildpacks(Path root, List<String> order, BuildEnvironment environment) {
        this.root = root;
        this.order = List.copyOf(order);
        this.environment = environment;
    }

    /** The buildpack that will build an app, and the name its bin/detect printed ("Python"). */
    public record Detected(Buildpack buildpack, String displayName) {
    }

    /** With an override (the app's LAAMBDA_BUILDPACK) that buildpack; else the first whose bin/detect succeeds. */
    public Detected detect(Path buildDir, Optional<String> override, Consumer<String> out) {
        if (override.isPresent()) {
            Buildpack chosen = find(override.get()).orElseThrow(() -> LaambdaException.invalid("unknown_buildpack",
                    "Buildpack '" + Echo.of(override.get()) + "' (" + AppSettings.BUILDPACK + ") is not installed: "
                            + "use one of " + String.join(", ", available()) + "."));
            out.accept("-----> Using buildpack " + chosen.name() + " (" + AppSettings.BUILDPACK + ")");
            return new Detected(chosen, runDetect(chosen, buildDir).orElse(chosen.name()));
        }
        for (String name : order) {
            Optional<Buildpack> buildpack = find(name);
            if (buildpack.isPresent()) {
                Optional<String> detected = runDetect(buildpack.get(), buildDir);
                if (detected.isPresent()) {
                    return new Detected(buildpack.get(), detected.get());
                }
            }
        }
        throw LaambdaException.invalid("no_buildpack", "No buildpack detected this app: add requirements.txt (Python), "
                + "package.json (Node.js), composer.json (PHP), pom.xml (Java) or go.mod (Go), or set "
                + AppSettings.BUILDPACK + ".");
    }

    /** The default_process_types a buildpack's bin/release offers for an app without a Procfile. */
    public Optional<Map<String, String>> defaultProcessTypes(Buildpack buildpack, Path buildDir) {
        Path release = buildpack.bin("release");
        if (!Files.isExecutable(release)) {
            return Optional.empty();
        }
        ProcessResult result = run(buildpack, "release", buildDir);
        if (result.exitCode() != 0) {
            return Optional.empty();
        }
        Map<String, String> types = new LinkedHashMap<>();
        boolean inTypes = false;
        for (String line : result.output().lines().toList()) {
            if (line.startsWith("default_process_types:")) {
                inTypes = true;
                continue;
            }
            Matcher entry = PROCESS_TYPE.matcher(line);
            if (inTypes && entry.matches()) {
                types.put(entry.group(1), entry.group(3));
            } else if (!line.isBlank() && !line.startsWith(" ")) {
                inTypes = false;
            }
        }
        return Optional.of(types);
    }

    /**
     * The Lambda runtime the app asks for, by a buildpack's optional {@code bin/runtime BUILD_DIR} (a Laambda
     * addition to the Heroku API): it prints a runtime such as python3.12 read from the app's files
     * (runtime.txt, .python-version, …), or exits 1 with a one-line reason the push shows. Empty: no opinion.
     */
    public Optional<String> requestedRuntime(Buildpack buildpack, Path buildDir) {
        if (!Files.isExecutable(buildpack.bin("runtime"))) {
            return Optional.empty();
        }
        ProcessResult result = run(buildpack, "runtime", buildDir);
        String line = result.output().lines().findFirst().orElse("").trim();
        if (result.exitCode() != 0) {
            throw LaambdaException.invalid("unsupported_runtime", line.isEmpty()
                    ? buildpack.name() + " bin/runtime refused the app's runtime." : line);
        }
        return line.isEmpty() ? Optional.empty() : Optional.of(line);
    }

    /** Names of the installed buildpacks: those in the detect order first, in that order, then the rest by name. */
    public List<String> available() {
        List<String> names = new ArrayList<>();
        order.stream().filter(name -> find(name).isPresent()).forEach(names::add);
        try (var dirs = Files.list(root)) {
            dirs.map(dir -> dir.getFileName().toString()).sorted()
                    .filter(name -> !names.contains(name) && find(name).isPresent()).forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list buildpacks in " + root + ": " + e.getMessage(), e);
        }
        return names;
    }

    private Optional<Buildpack> find(String name) {
        if (!name.matches("^[a-z0-9][a-z0-9._-]*$")) {
            return Optional.empty();
        }
        Path dir = root.resolve(name);
        if (!Files.isExecutable(dir.resolve("bin").resolve("detect"))) {
            return Optional.empty();
        }
        return Optional.of(new Buildpack(name, dir, defaultRuntime(dir)));
    }

    private static String defaultRuntime(Path dir) {
        Path toml = dir.resolve("buildpack.toml");
        try {
            if (Files.exists(toml)) {
                Matcher matcher = DEFAULT_RUNTIME.matcher(Files.readString(toml));
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
            return "provided.al2023";
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + toml + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> runDetect(Buildpack buildpack, Path buildDir) {
        ProcessResult result = run(buildpack, "detect", buildDir);
        if (result.exitCode() != 0) {
            return Optional.empty();
        }
        String name = result.output().lines().findFirst().orElse("").trim();
        return Optional.of(name.isEmpty() ? buildpack.name() : name);
    }

    private record ProcessResult(int exitCode, String output) {
    }

    /**
     * Runs a detect or release script to its end; its stdout is the answer (stderr is not part of it). Output
     * goes to a file, not a pipe, so a script that hangs cannot hold the reader past the time limit.
     */
    private ProcessResult run(Buildpack buildpack, String script, Path buildDir) {
        Path output = null;
        try {
            output = Files.createTempFile("laambda-" + script, ".out");
            ProcessBuilder builder = new ProcessBuilder(buildpack.bin(script).toString(), buildDir.toString())
                    .directory(buildDir.toFile()).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            environment.applyTo(builder, Map.of());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new BuildFailedException("Build failed: " + buildpack.name() + " bin/" + script
                        + " did not finish within " + SCRIPT_TIMEOUT.toSeconds() + " s.", List.of());
            }
            return new ProcessResult(process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + buildpack.name() + " bin/" + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException("Build interrupted: the server is stopping.", List.of());
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // A temporary file; the system's temp cleaning gets it.
        }
    }
}
