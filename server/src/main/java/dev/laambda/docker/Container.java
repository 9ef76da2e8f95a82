package dev.laambda.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.laambda.OutputLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One container, started from a {@link ContainerSpec}: its merged stdout/stderr handed on line by line,
 * its exit observable, and killed and removed on {@link #close()} — a container never outlives its use.
 */
public final class Container implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Container.class);

    private final DockerClient client;
    private final String id;
    private final Set<String> secretValues;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile long pid = -1;

    private Container(DockerClient client, String id, Set<String> secretValues) {
        this.client = client;
        this.id = id;
        this.secretValues = secretValues;
    }

    /**
     * Creates and starts the container; {@code output} gets each line of its stdout and stderr (a line longer
     * than {@link dev.laambda.OutputLimits#MAX_LINE_BYTES} in pieces). A failure's message is Docker's, scrubbed
     * of the spec's secret values.
     */
    public static Container start(DockerEngine engine, ContainerSpec spec, Consumer<String> output) {
        DockerClient client = engine.client();
        HostConfig host = HostConfig.newHostConfig()
                // Its own cgroup namespace, as `docker run` gives on cgroup v2: the function sees its own limits.
                .withCgroupnsMode("private")
                .withReadonlyRootfs(spec.readOnlyRoot())
                .withBinds(spec.mounts().stream()
                        .map(m -> new Bind(m.hostPath().toString(), new Volume(m.containerPath()),
                                m.readOnly() ? AccessMode.ro : AccessMode.rw))
                        .toList())
                .withTmpFs(spec.tmpfs());
        ContainerSpec.Sandbox sandbox = spec.sandbox();
        host.withNetworkMode(sandbox.network())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(sandbox.maxProcesses())
                .withUlimits(sandbox.maxOpenFiles() > 0
                        ? List.of(new Ulimit("nofile", sandbox.maxOpenFiles(), sandbox.maxOpenFiles())) : List.of())
                // A container joining another's namespace ("container:ID") has that one's settings already.
                .withSysctls(sandbox.network().startsWith("container:") ? Map.of()
                        : Map.of("net.ipv6.conf.all.disable_ipv6", "1"));
        if (spec.memoryBytes() > 0) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.nanoCpus() > 0) {
            host.withNanoCPUs(spec.nanoCpus());
        }
        CreateContainerCmd create = client.createContainerCmd(spec.image())
                .withName(spec.namePrefix().orElse("laambda") + "-" + UUID.randomUUID().toString().substring(0, 12))
                .withLabels(Map.of(DockerEngine.OWNER_LABEL, engine.owner()))
                .withEnv(spec.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(host)
                .withAttachStdout(true)
                .withAttachStderr(true);
        if (!spec.entrypoint().isEmpty()) {
            create.withEntrypoint(spec.entrypoint());
        }
        if (!spec.command().isEmpty()) {
            create.withCmd(spec.command());
        }
        if (!spec.user().isEmpty()) {
            create.withUser(spec.user());
        }
        if (!spec.workingDir().isEmpty()) {
            create.withWorkingDir(spec.workingDir());
        }
        Container container;
        try {
            container = new Container(client, create.exec().getId(), spec.secretValues());
        } catch (RuntimeException e) {
            throw DockerErrors.scrubbed("Could not create a container of " + spec.image(), e, spec.secretValues());
        }
        try {
            container.attach(output);
            client.startContainerCmd(container.id).exec();
            Long pid = client.inspectContainerCmd(container.id).exec().getState().getPidLong();
            container.pid = pid == null ? -1 : pid;
            container.watchExit();
            return container;
        } catch (RuntimeException e) {
            container.close();
            throw DockerErrors.scrubbed("Could not start a container of " + spec.image(), e, spec.secretValues());
        }
    }

    public String id() {
        return id;
    }

    /** Completes with the exit status when the container's main process ends. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Completes once every line the container wrote has been handed on. */
    public CompletableFuture<Void> outputEnded() {
        return outputEnded;
    }

    /** The container's main process id on the host, -1 when unknown. */
    public long pid() {
        return pid;
    }

    public boolean running() {
        return !exit.isDone() && !closed;
    }

    /**
     * The container's peak memory use in MB, as Lambda's REPORT line shows it: memory.max_usage_in_bytes of
     * its cgroup (v1 memory controller) or memory.peak (cgroup v2); 0 when the engine's cgroups cannot be read.
     */
    public long peakMemoryMb() {
        try {
            if (pid <= 0) {
                return 0;
            }
            List<String> cgroups = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup"));
            for (String line : cgroups) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && fields[1].equals("memory")) {
                    return bytesToMb(Path.of("/sys/fs/cgroup/memory" + fields[2], "memory.max_usage_in_bytes"));
                }
            }
            for (String line : cgroups) {
                if (line.startsWith("0::")) {
                    return bytesToMb(Path.of("/sys/fs/cgroup" + line.substring(3), "memory.peak"));
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("event=container_memory_unknown container={} error={}", id, e.getMessage());
        }
        return 0;
    }

    private static long bytesToMb(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip()) / (1024 * 1024);
    }

    /** Kills the container (if it still runs) and removes it. */
    @Override
    public void close() {
        closed = true;
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException gone) {
            // already removed
        } catch (RuntimeException e) {
            log.warn("event=container_remove_failed container={} error={}", id, DockerErrors.describe(e, secretValues));
        }
    }

    /**
     * Attaches to the container's output before it starts, as `docker run` does: the stream alone, once it is
     * established, so every byte arrives exactly once (replaying the log as well raced with the stream:
     * lines came twice, or a block went missing).
     */
    private void attach(Consumer<String> output) {
        ResultCallback.Adapter<Frame> attached = client.attachContainerCmd(id).withStdOut(true).withStdErr(true)
                .withFollowStream(true).withLogs(false)
                .exec(new ResultCallback.Adapter<Frame>() {
                    private final OutputLines lines = new OutputLines(this::emit);

                    @Override
                    public void onNext(Frame frame) {
                        byte[] payload = frame.getPayload();
                        lines.write(payload, 0, payload.length);
                    }

                    private void emit(String line) {
                        try {
                            output.accept(line);
                        } catch (RuntimeException readerGone) {
                            log.debug("event=container_output_dropped container={}", id);
                        }
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        if (!closed) {
                            log.debug("event=container_attach_ended container={} error={}", id,
                                    DockerErrors.describe(throwable, secretValues));
                        }
                        outputEnded.complete(null);
                    }

                    @Override
                    public void onComplete() {
                        lines.finish();
                        outputEnded.complete(null);
                    }
                });
        try {
            if (!attached.awaitStarted(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Docker did not attach to container " + id + " within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while attaching to container " + id, e);
        }
    }

    private void watchExit() {
        client.waitContainerCmd(id).exec(new WaitContainerResultCallback() {
            @Override
            public void onNext(com.github.dockerjava.api.model.WaitResponse response) {
                exit.complete(response.getStatusCode());
            }

            @Override
            public void onError(Throwable throwable) {
                exit.complete(-1);
            }

            @Override
            public void onComplete() {
                exit.complete(-1);
            }
        });
    }
}
