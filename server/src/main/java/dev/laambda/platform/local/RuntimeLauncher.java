package dev.laambda.platform.local;

import dev.laambda.Directories;
import dev.laambda.LaambdaException;
import dev.laambda.runtime.LambdaRuntime;
import dev.laambda.runtime.LaunchKind;
import dev.laambda.runtime.Runtimes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How an instance of each runtime family starts as a host process. For a language runtime
 * (the RUNTIME_CLIENT runtimes of {@link dev.laambda.runtime.Runtimes}) that is the language's {@code buildpacks/<language>/runtime/launch}
 * script, which execs the official AWS runtime interface client installed once by the language's
 * {@code runtime/install} script; for provided.* runtimes it is the app's own {@code bootstrap}.
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
        LambdaRuntime known = known(runtime);
        if (known.launch() == LaunchKind.BOOTSTRAP) {
            Path bootstrap = codeDir.resolve("bootstrap");
            if (!Files.isExecutable(bootstrap)) {
                throw LaambdaException.invalid("no_bootstrap", "Runtime " + runtime
                        + " needs an executable 'bootstrap' at the artifact root.");
            }
            return new Launch(List.of(bootstrap.toString()), Map.of());
        }
        String language = known.family().id();
        Path launchScript = launchScript(known);
        Path client = runtimeClient(language);
        // The launch script finds the host's interpreter on the server's PATH, then execs the client with
        // Lambda's own PATH, so the function sees Lambda's environment and not the server's.
        return new Launch(List.of(launchScript.toString(), client.toString(), handler),
                Map.of("LAAMBDA_HOST_PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin")));
    }

    /** Throws for a runtime that cannot run as a host process; provided.* runs the app's own bootstrap. */
    void checkRuntime(String runtime) {
        LambdaRuntime known = known(runtime);
        if (known.launch() == LaunchKind.RUNTIME_CLIENT) {
            launchScript(known);
        }
    }

    private static LambdaRuntime known(String runtime) {
        return Runtimes.require(runtime, "unsupported_runtime", "");
    }

    /** A language runtime's launch script, which must exist: a server whose buildpacks lack it cannot run the family. */
    private Path launchScript(LambdaRuntime runtime) {
        Path launchScript = buildpacksDir.resolve(runtime.family().id()).resolve("runtime").resolve("launch");
        if (!Files.isExecutable(launchScript)) {
            throw LaambdaException.invalid("unsupported_runtime", "Runtime " + runtime.id()
                    + " does not run on the local platform: " + launchScript + " is missing or not executable.");
        }
        return launchScript;
    }

    /** Installs a language's runtime interface client once, with the language's runtime/install script. */
    private synchronized Path runtimeClient(String language) {
        Path dir = runtimesDir.resolve(language);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path staging = runtimesDir.resolve(language + ".partial");
        try {
            Directories.deleteTree(staging);
            Files.createDirectories(staging);
            Process install = new ProcessBuilder(buildpacksDir.resolve(language).resolve("runtime").resolve("install").toString(),
                    staging.toString()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(15, TimeUnit.MINUTES) || install.exitValue() != 0) {
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
