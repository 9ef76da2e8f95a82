package dev.laambda.platform.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * AWS's own Python runtime interface client (awslambdaric from PyPI, unmodified), installed once per
 * build into target/, and run as a process against a Runtime API endpoint, as inside a Lambda instance.
 */
final class PythonRuntimeClient {

    private static final Path INSTALL = Path.of("target", "test-runtimes", "python-awslambdaric").toAbsolutePath();

    private PythonRuntimeClient() {
    }

    static synchronized Path install() {
        if (Files.isDirectory(INSTALL.resolve("awslambdaric"))) {
            return INSTALL;
        }
        try {
            Process pip = new ProcessBuilder("python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--target", INSTALL.toString(), "awslambdaric").redirectErrorStream(true).start();
            String output = new String(pip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pip.waitFor(5, TimeUnit.MINUTES) || pip.exitValue() != 0) {
                throw new IllegalStateException("pip install awslambdaric failed: " + output);
            }
            return INSTALL;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts `python3 -m awslambdaric HANDLER` in {@code taskRoot} against {@code runtimeApi}. */
    static Process start(Path taskRoot, String handler, String runtimeApi, Path output) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of("python3", "-m", "awslambdaric", handler))
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", System.getenv("PATH"));
            env.put("HOME", System.getProperty("java.io.tmpdir"));
            env.put("PYTHONPATH", install() + ":" + taskRoot);
            ConformanceFunction.environment(env, runtimeApi, taskRoot, handler, 128);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
