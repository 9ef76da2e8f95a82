package dev.laambda.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one container runs and with which limits: with bind mounts of host directories, an optional
 * read-only root file system, and the {@link Sandbox} around it: every container Laambda starts for a
 * tenant (a build, a shared layer, a function instance) holds code nobody vetted.
 *
 * @param entrypoint empty to keep the image's own
 * @param user "uid:gid", empty for the image's user
 * @param memoryBytes memory limit, also the limit of memory plus swap (no swap)
 * @param nanoCpus CPU limit in billionths of a CPU, 0 for none
 * @param tmpfs mount point → tmpfs options ("rw,size=512m,mode=1777")
 * @param sandbox the walls around the container's code
 * @param secretValues values of {@code environment} no error text may show (an app's config, credentials in
 *                     forwarded settings): see {@link DockerErrors}
 */
public record ContainerSpec(String image, List<String> entrypoint, List<String> command, Map<String, String> environment,
                            String user, String workingDir, List<Mount> mounts, long memoryBytes, long nanoCpus,
                            boolean readOnlyRoot, Map<String, String> tmpfs, Optional<String> namePrefix,
                            Sandbox sandbox, Set<String> secretValues) {

    public ContainerSpec {
        secretValues = Set.copyOf(secretValues);
    }

    /**
     * How a container of tenant code is walled in: its own network namespace on {@code network} (a network's
     * name, "none", or "container:ID" to join a namespace made for it ahead; see
     * SandboxNetwork), every capability dropped, no privilege gained through setuid binaries, IPv6 off,
     * and at most {@code maxProcesses} processes and {@code maxOpenFiles} open files (0: the engine's own limit).
     */
    public record Sandbox(String network, long maxProcesses, long maxOpenFiles) {

        /** Lambda's own limits: 1024 processes (threads included) and 1024 file descriptors. */
        public static Sandbox lambda(String network) {
            return new Sandbox(network, 1024, 1024);
        }
    }

    /** A host directory or file bound into the container. */
    public record Mount(Path hostPath, String containerPath, boolean readOnly) {
    }
}
