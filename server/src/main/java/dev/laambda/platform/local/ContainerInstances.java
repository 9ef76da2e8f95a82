package dev.laambda.platform.local;

import dev.laambda.Directories;
import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.SandboxNetwork;
import dev.laambda.platform.FunctionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Function instances as containers of the runtime's run image, as Lambda runs them: code read-only at
 * /var/task, a writable /tmp of 512 MB, the function's memory as the container's limit, a non-root
 * user, and Lambda's sandbox around it all: the isolated function network, no capabilities, no privilege
 * gain, 1024 processes and open files (see ContainerSpec.Sandbox). The runtime reaches its Runtime API at
 * 127.0.0.1:9001, as on Lambda: the runtime relay (the container's entrypoint, mounted read-only) pipes
 * that port to a Unix socket in a directory mounted into this container alone, on which the server
 * answers for this instance.
 */
public final class ContainerInstances implements InstanceLauncher {

    private static final Logger log = LoggerFactory.getLogger(ContainerInstances.class);

    /** Lambda's sandbox user (sbx_user1051). */
    private static final String USER = "993:990";
    private static final long MIB = 1024L * 1024L;
    /** Where Lambda's runtimes find the Runtime API, inside the instance's own network namespace. */
    static final String RUNTIME_API = "127.0.0.1:9001";
    private static final String RELAY = "/var/laambda/runtime-relay";
    private static final String SOCKET_DIR = "/var/laambda/runtime-api";

    private final DockerEngine docker;
    private final RunImages images;
    private final SandboxNetwork network;
    private final NetworkSlots slots;
    private final Path relay;
    private final Path runtimeApiDir;

    /**
     * @param relay the runtime relay binary (scripts/build-runtime-relay builds it); containers mount a copy
     *              kept beside {@code runtimeApiDir}, in the data directory, which a server in a container
     *              shares with the engine's host at the same path (docker-compose.yml), as it does the code
     * @param runtimeApiDir where each instance's socket directory is made: closed to every other user, and
     *                      emptied here of those a server that did not stop cleanly left behind
     */
    public ContainerInstances(DockerEngine docker, RunImages images, SandboxNetwork network, Path relay,
                              Path runtimeApiDir) {
        this.docker = docker;
        this.images = images;
        this.network = network;
        this.slots = new NetworkSlots(docker, network, network.toolImage(), 2);
        this.runtimeApiDir = runtimeApiDir;
        try {
            this.relay = installed(relay, runtimeApiDir.resolveSibling("runtime-relay"));
            if (Files.isDirectory(runtimeApiDir)) {
                try (var leftovers = Files.list(runtimeApiDir)) {
                    List<Path> dirs = leftovers.toList();
                    dirs.forEach(Directories::deleteTree);
                    if (!dirs.isEmpty()) {
                        log.warn("event=leftover_runtime_api_sockets_removed count={}", dirs.size());
                    }
                }
            }
            Files.createDirectories(runtimeApiDir);
            Files.setPosixFilePermissions(runtimeApiDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + runtimeApiDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code copy}, made a copy of {@code relay} (mode 755) unless it already is one. */
    private static Path installed(Path relay, Path copy) throws IOException {
        if (Files.isRegularFile(copy) && Files.mismatch(relay, copy) == -1) {
            return copy;
        }
        Path fresh = copy.resolveSibling(copy.getFileName() + ".new");
        Files.copy(relay, fresh, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Running containers keep the file they mounted: a rename never changes it under them.
        return Files.move(fresh, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String description() {
        return "containers (" + docker.description() + ", network " + network.name() + ", egress "
                + network.egress().setting() + ")";
    }

    @Override
    public void checkRunnable(String runtime, Map<String, String> appConfig) {
        runImage(runtime, appConfig);
    }

    /** The run image for the runtime and the app's config, which must be on the engine. */
    private RunImages.Image runImage(String runtime, Map<String, String> appConfig) {
        RunImages.Image image = images.forFunction(runtime, appConfig);
        docker.requireImage(image.name(), "Run", image.setting());
        return image;
    }

    /** A Unix socket in a directory of its own, which only this instance's container will have mounted. */
    @Override
    public RuntimeApiServer openRuntimeApi() {
        // A short name: a Unix socket's path has at most 107 bytes.
        String name = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return RuntimeApiServer.onSocketIn(runtimeApiDir.resolve(name));
    }

    @Override
    public RuntimeProcess start(FunctionSpec spec, Path codeDir, RuntimeApiServer api, Consumer<String> output) {
        RunImages.Image image = runImage(spec.runtime(), spec.environment());
        Path socketDir = api.socketDirectory().orElseThrow(() -> new IllegalArgumentException(
                "A container reaches its Runtime API through a socket directory"));
        List<String> command = new ArrayList<>(List.of("-listen", RUNTIME_API,
                "-socket", SOCKET_DIR + "/" + RuntimeApiServer.SOCKET_NAME, "--"));
        if (spec.runtime().startsWith("provided")) {
            // provided.* runtimes start the app's own bootstrap.
            command.add("/var/task/bootstrap");
        } else {
            // The others the image's entry point, which starts the language's runtime interface client for the
            // handler (as AWS's base images do).
            List<String> entrypoint = docker.entrypoint(image.name());
            command.addAll(entrypoint.isEmpty() ? List.of("/lambda-entrypoint.sh") : entrypoint);
            command.add(spec.handler());
        }
        NetworkSlots.Slot slot = slots.take();
        ContainerSpec container = new ContainerSpec(image.name(), List.of(RELAY), command,
                LambdaEnvironment.of(spec, "/var/task", "/var/runtime", RUNTIME_API, "/tmp"),
                USER, "/var/task",
                List.of(new ContainerSpec.Mount(codeDir, "/var/task", true),
                        new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true),
                        new ContainerSpec.Mount(relay, RELAY, true),
                        new ContainerSpec.Mount(socketDir, SOCKET_DIR, true)),
                spec.memoryMb() * MIB, 0, true, Map.of("/tmp", "rw,exec,size=512m,mode=1777"),
                Optional.of("laambda-" + spec.functionName()), ContainerSpec.Sandbox.lambda(slot.networkMode()),
                Set.copyOf(spec.environment().values()));
        try {
            return new ContainerProcess(Container.start(docker, container, output), slot);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        } finally {
            slots.replenish();
        }
    }

    @Override
    public void close() {
        slots.close();
    }

    /** The instance's container and the network namespace it joined, which goes with it. */
    private record ContainerProcess(Container container, NetworkSlots.Slot slot) implements RuntimeProcess {

        @Override
        public boolean alive() {
            return container.running();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return container.exit();
        }

        @Override
        public long pid() {
            return container.pid();
        }

        @Override
        public long peakMemoryMb() {
            return container.peakMemoryMb();
        }

        @Override
        public void close() {
            container.close();
            slot.close();
        }
    }
}
