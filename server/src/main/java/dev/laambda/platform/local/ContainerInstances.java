package dev.laambda.platform.local;

import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.FunctionNetwork;
import dev.laambda.platform.FunctionSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Function instances as containers of the runtime's run image, as Lambda runs them: code read-only at
 * /var/task, a writable /tmp of 512 MB, the function's memory as the container's limit, a non-root
 * user, and Lambda's sandbox around it all: the isolated function network, no capabilities, no privilege
 * gain, 1024 processes and open files (see ContainerSpec.Sandbox).
 */
public final class ContainerInstances implements InstanceLauncher {

    /** Lambda's sandbox user (sbx_user1051). */
    private static final String USER = "993:990";
    private static final long MIB = 1024L * 1024L;

    private final DockerEngine docker;
    private final RunImages images;
    private final FunctionNetwork network;

    public ContainerInstances(DockerEngine docker, RunImages images, FunctionNetwork network) {
        this.docker = docker;
        this.images = images;
        this.network = network;
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

    @Override
    public RuntimeProcess start(FunctionSpec spec, Path codeDir, String runtimeApi, Consumer<String> output) {
        RunImages.Image image = runImage(spec.runtime(), spec.environment());
        // provided.* runtimes start the app's own bootstrap; the others the image's entry point, which
        // starts the language's runtime interface client for the handler (as AWS's base images do).
        boolean provided = spec.runtime().startsWith("provided");
        ContainerSpec container = new ContainerSpec(image.name(),
                provided ? List.of("/var/task/bootstrap") : List.of(),
                provided ? List.of() : List.of(spec.handler()),
                LambdaEnvironment.of(spec, "/var/task", "/var/runtime", runtimeApi, "/tmp"),
                USER, "/var/task",
                List.of(new ContainerSpec.Mount(codeDir, "/var/task", true),
                        new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true)),
                spec.memoryMb() * MIB, 0, true, Map.of("/tmp", "rw,exec,size=512m,mode=1777"),
                Optional.of("laambda-" + spec.functionName()), Optional.of(ContainerSpec.Sandbox.lambda(network.name())),
                Set.copyOf(spec.environment().values()));
        return new ContainerProcess(Container.start(docker, container, output));
    }

    private record ContainerProcess(Container container) implements RuntimeProcess {

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
        }
    }
}
