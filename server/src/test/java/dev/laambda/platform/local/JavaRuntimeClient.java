package dev.laambda.platform.local;

import dev.laambda.Directories;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * AWS's own Java runtime interface client (Maven's aws-lambda-java-runtime-interface-client, unmodified),
 * installed once per build into target/ by the Java buildpack's runtime/install, and started by its
 * runtime/launch against a Runtime API endpoint, as the local platform starts it.
 */
final class JavaRuntimeClient {

    private static final Path BUILDPACK = Path.of("..", "buildpacks", "java").toAbsolutePath().normalize();
    private static final Path INSTALL = Path.of("target", "test-runtimes", "java-ric").toAbsolutePath();

    private JavaRuntimeClient() {
    }

    static synchronized Path install() {
        if (Files.isDirectory(INSTALL.resolve("lib"))) {
            return INSTALL;
        }
        Path staging = INSTALL.resolveSibling("java-ric.partial");
        try {
            Directories.deleteTree(staging);
            Files.createDirectories(staging);
            Process install = new ProcessBuilder(BUILDPACK.resolve("runtime/install").toString(), staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException("buildpacks/java/runtime/install failed: " + output);
            }
            Files.move(staging, INSTALL);
            return INSTALL;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Compiles Java sources (file name → code) with the host's javac against aws-lambda-java-core into {@code dir}/task. */
    static Path compile(Path dir, Map<String, String> sources) throws IOException {
        Path task = Files.createDirectories(dir.resolve("task"));
        Path src = Files.createDirectories(dir.resolve("src"));
        String classpath;
        try (Stream<Path> jars = Files.list(install().resolve("lib"))) {
            classpath = String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
        List<String> arguments = new ArrayList<>(List.of("-d", task.toString(), "-classpath", classpath));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed: " + errors.toString(StandardCharsets.UTF_8));
        }
        return task;
    }

    /** Starts {@code runtime/launch CLIENT HANDLER} with Lambda's environment, serving {@code runtimeApi}. */
    static Process start(Path taskRoot, String handler, String runtimeApi, Path output) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(BUILDPACK.resolve("runtime/launch").toString(),
                    install().toString(), handler))
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
            env.put("LAAMBDA_HOST_PATH", System.getenv("PATH"));
            env.put("HOME", System.getProperty("java.io.tmpdir"));
            ConformanceFunction.environment(env, runtimeApi, taskRoot, handler, 256);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
