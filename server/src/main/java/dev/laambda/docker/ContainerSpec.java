package dev.laambda.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one container runs and with which limits: on which network, with bind mounts of host directories
 * and an optional read-only root file system.
 *
 * @param entrypoint empty to keep the image's own
 * @param user "uid:gid", empty for the image's user
 * @param memoryBytes memory limit, also the limit of memory plus swap (no swap)
 * @param nanoCpus CPU limit in billionths of a CPU, 0 for none
 * @param tmpfs mount point → tmpfs options ("rw,size=512m,mode=1777")
 * @param network Docker's network mode: "host" (builds), "none" (function instances: their own namespace
 *                with only loopback), or a network's name
 */
public record ContainerSpec(String image, List<String> entrypoint, List<String> command, Map<String, String> environment,
                            String user, String workingDir, List<Mount> mounts, long memoryBytes, long nanoCpus,
                            boolean readOnlyRoot, Map<String, String> tmpfs, Optional<String> namePrefix,
                            String network) {

    /** A host directory or file bound into the container. */
    public record Mount(Path hostPath, String containerPath, boolean readOnly) {
    }
}
