package dev.laambda.platform.local;

import dev.laambda.platform.FunctionSpec;
import dev.laambda.testing.TestDocker;

import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.Egress;
import dev.laambda.docker.SandboxNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where a conformance test runs AWS's runtime client against its Runtime API: as a process on this host
 * (loopback port), or as the server runs functions, in a container of the runtime's run image that reaches
 * the API through the runtime relay at 127.0.0.1:9001 and its own Unix socket.
 */
enum RuntimeSandbox {
    HOST_PROCESS,
    RUN_IMAGE_CONTAINER;

    /** A started runtime client and the Runtime API endpoint it serves. */
    record Instance(RuntimeApiServer api, RuntimeProcess runtime, List<String> output) implements AutoCloseable {

        /** Waits for the runtime to exit: its status, or empty when it still runs after {@code seconds}. */
        java.util.Optional<Integer> awaitExit(int seconds) throws Exception {
            try {
                return java.util.Optional.of(runtime.exit().get(seconds, TimeUnit.SECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return java.util.Optional.empty();
            }
        }

        @Override
        public void close() {
            runtime.close();
            api.close();
        }
    }

    /**
     * In a host process that {@code onHost} starts against the endpoint's loopback address, or in a container of
     * {@code runtime}'s run image with {@code task} as /var/task and the image's own entry point.
     */
    Instance start(String runtime, String handler, Path task, int memoryMb, Function<RuntimeApiServer, Process> onHost) {
        if (this == HOST_PROCESS) {
            RuntimeApiServer api = RuntimeApiServer.start();
            return new Instance(api, new HostProcess(onHost.apply(api)), List.of());
        }
        ContainerInstances containers = containers();
        readableByEveryone(task);
        RuntimeApiServer api = containers.openRuntimeApi();
        List<String> output = new CopyOnWriteArrayList<>();
        try {
            return new Instance(api, containers.start(new FunctionSpec(1, "conformance", handler, runtime, memoryMb, 30, "",
                    1, "us-east-1", Map.of(), java.util.OptionalInt.empty()), task, api, output::add), output);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** The function user (uid 993) reads the code through the mount: the test's temporary files are private. */
    private static void readableByEveryone(Path task) {
        try (Stream<Path> files = Files.walk(task)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContainerInstances containers;

    /** One launcher of container instances for every test: the real one, with the relay the project builds. */
    private static synchronized ContainerInstances containers() {
        if (containers == null) {
            try {
                DockerEngine docker = TestDocker.require();
                Path state = Files.createTempDirectory("laambda-runtime-api");
                SandboxNetwork network = SandboxNetwork.ensure(docker, SandboxNetwork.Purpose.FUNCTIONS, SandboxNetwork.Reach.of(Egress.INTERNET), "laambda/netfilter:trixie",
                        state.resolve("network")).network().orElseThrow();
                containers = new ContainerInstances(docker, new RunImages(System.getenv()), network, buildRelay(),
                        state.resolve("sockets"));
                // Its waiting network namespaces go when the test JVM ends.
                ContainerInstances made = containers;
                Runtime.getRuntime().addShutdownHook(new Thread(made::close, "runtime-sandbox-close"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return containers;
    }

    private static Path buildRelay() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        try {
            Process build = new ProcessBuilder(root.resolve("scripts/build-runtime-relay").toString()).inheritIO().start();
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new IllegalStateException("scripts/build-runtime-relay failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return root.resolve("runtime-relay/build/runtime-relay");
    }

    /** A host process as a RuntimeProcess. */
    private record HostProcess(Process process) implements RuntimeProcess {

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public long peakMemoryMb() {
            return 0;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
