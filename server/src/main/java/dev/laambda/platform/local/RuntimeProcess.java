package dev.laambda.platform.local;

import java.util.concurrent.CompletableFuture;

/** The running runtime of one function instance: a host process or a container. Closing it kills it. */
public interface RuntimeProcess extends AutoCloseable {

    boolean alive();

    /** Completes with the exit status when the runtime ends. */
    CompletableFuture<Integer> exit();

    /** The runtime's main process id on this host (a container's too), or -1 when it cannot be known. */
    long pid();

    /** Peak memory use so far, in MB, for the REPORT line; 0 when unknown. */
    long peakMemoryMb();

    @Override
    void close();
}
