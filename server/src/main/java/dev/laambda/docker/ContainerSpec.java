package dev.laambda.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one container runs and with which limits: always on the host's network (Laambda's engine runs
 * without a bridge), with bind mounts of host directories and an optional read-only root file system.
 *
 * @param entrypoint empty to keep the image's own
 * @param user "uid:gid", empty for the image's user
 * @param memoryBytes memory limit, also the limit of memory plus swap (no swap)
 * @param nanoCpus CPU limit in billionths of a CPU, 0 for none
 * @param tmpfs mount point → tmpfs options ("rw,size=512m,mode=1777")
 * @param secretValues values of {@code environment} no error text may show (an app's config, credentials in
 *                     forwarded settings): see {@link DockerErrors}
 */
public record ContainerSpec(String image, List<String> entrypoint, List<String> command, Map<String, String> environment,
                            String user, String workingDir, List<Mount> mounts, long memoryBytes, long nanoCpus,
                            boolean readOnlyRoot, Map<String, String> tmpfs, Optional<String> namePrefix,
                            Set<String> secretValues) {

    public ContainerSpec {
        secretValues = Set.copyOf(secretValues);
    }

    /** A host directory or file bound into the container. */
    public record Mount(Path hostPath, String containerPath, boolean readOnly) {
    }
}
