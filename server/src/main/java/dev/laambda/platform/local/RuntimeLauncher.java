package dev.laambda.platform.local;

import dev.laambda.LaambdaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How an instance of each runtime family starts as a host process: the language's official runtime
 * interface client (Python: awslambdaric), or the app's own `bootstrap` for provided.* runtimes.
 */
public final class RuntimeLauncher {

    /** The process to start and what it adds to the function's environment. */
    public record Launch(List<String> command, Map<String, String> environment) {
    }

    private final Path buildpacksDir;
    private final Path runtimesDir;

    public RuntimeLauncher(Path buildpacksDir, Path runtimesDir) {
        this.buildpacksDir = buildpacksDir;
        this.runtimesDir = runtimesDir;
    }

    public Launch launch(String runtime, String handler, Path codeDir) {
        if (runtime.startsWith("python")) {
            Path client = runtimeClient("python");
            return new Launch(List.of("python3", "-m", "awslambdaric", handler),
                    Map.of("PYTHONPATH", client + ":" + codeDir, "PYTHONDONTWRITEBYTECODE", "1"));
        }
        if (runtime.startsWith("provided")) {
            Path bootstrap = codeDir.resolve("bootstrap");
            if (!Files.isExecutable(bootstrap)) {
                throw LaambdaException.invalid("no_bootstrap", "Runtime " + runtime
                        + " needs an executable 'bootstrap' at the artifact root.");
            }
            return new Launch(List.of(bootstrap.toString()), Map.of());
        }
        throw LaambdaException.invalid("unsupported_runtime", "Runtime " + runtime
                + " does not run on the local platform yet: use a python3.x or provided.al2023 runtime.");
    }

    /** Installs a language's runtime interface client once, with the language's runtime/install script. */
    private synchronized Path runtimeClient(String language) {
        Path dir = runtimesDir.resolve(language);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path staging = runtimesDir.resolve(language + ".partial");
        try {
            dev.laambda.Directories.deleteTree(staging);
            Files.createDirectories(staging);
            Process install = new ProcessBuilder(buildpacksDir.resolve(language).resolve("runtime").resolve("install").toString(),
                    staging.toString()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "runtime_install_failed",
                        "Could not install the " + language + " runtime interface client: "
                                + output.lines().reduce((a, b) -> b).orElse("no output"));
            }
            Files.move(staging, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not install the " + language + " runtime client: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
