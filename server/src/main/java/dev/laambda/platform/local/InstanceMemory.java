package dev.laambda.platform.local;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ledger of this server's instance memory (LAAMBDA_INSTANCE_MEMORY): every running instance — starting,
 * busy or idle-warm — holds its function's memory from before it starts until it is closed or its runtime ends,
 * and the holdings together never pass the limit.
 */
public final class InstanceMemory {

    private final long limitMb;
    private long inUseMb;

    public InstanceMemory(long limitMb) {
        if (limitMb < 1) {
            throw new IllegalArgumentException("The instance memory limit must be positive (got " + limitMb + " MB)");
        }
        this.limitMb = limitMb;
    }

    /** Holds {@code megabytes} for one instance if they fit under the limit; empty when they do not. */
    synchronized Optional<Hold> tryHold(int megabytes) {
        if (megabytes < 1) {
            throw new IllegalArgumentException("An instance holds at least 1 MB (got " + megabytes + ")");
        }
        if (inUseMb + megabytes > limitMb) {
            return Optional.empty();
        }
        inUseMb += megabytes;
        return Optional.of(new Hold(megabytes));
    }

    public synchronized long inUseMb() {
        return inUseMb;
    }

    public long limitMb() {
        return limitMb;
    }

    private synchronized void giveBack(int megabytes) {
        inUseMb -= megabytes;
    }

    /**
     * One instance's memory. Releasing it more than once gives it back once: an instance is closed from more
     * than one place (a timeout, the pool handing it back, its runtime exiting).
     */
    final class Hold implements AutoCloseable {

        private final int megabytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold(int megabytes) {
            this.megabytes = megabytes;
        }

        int megabytes() {
            return megabytes;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                giveBack(megabytes);
            }
        }
    }
}
