package dev.laambda.platform.local;

import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.SandboxNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Network namespaces on the function network, made before they are needed. Docker takes about 200 ms to wire
 * a new container into a bridge network (namespace, veth pair, address) — most of a cold start — while a
 * container that joins an existing namespace starts as fast as one on the host's network. So a few holders
 * (a sleeping, sandboxed container each) wait ready; a new instance takes one and joins its namespace, and the
 * namespace is removed with the instance: never shared, never reused.
 */
final class NetworkSlots implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkSlots.class);
    private static final long HOLDER_MEMORY_BYTES = 16L * 1024 * 1024;

    private final DockerEngine docker;
    private final SandboxNetwork network;
    private final String image;
    private final int ready;
    private final Deque<Slot> waiting = new ArrayDeque<>();
    private final ExecutorService refill = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "network-slots");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    /** Keeps {@code ready} namespaces waiting, made with {@code image} (any image with `sleep`). */
    NetworkSlots(DockerEngine docker, SandboxNetwork network, String image, int ready) {
        this.docker = docker;
        this.network = network;
        this.image = image;
        this.ready = ready;
        refill.execute(this::fill);
    }

    /** One instance's network namespace: its holder's, which {@link Slot#close} removes with it. */
    record Slot(Container holder) implements AutoCloseable {

        /** The network mode a container joining this namespace gets. */
        String networkMode() {
            return "container:" + holder.id();
        }

        @Override
        public void close() {
            holder.close();
        }
    }

    /** A waiting namespace, or a new one made now when none waits; {@link #replenish} fills the pool again. */
    Slot take() {
        Slot slot;
        synchronized (this) {
            slot = waiting.pollFirst();
        }
        if (slot == null || !slot.holder().running()) {
            if (slot != null) {
                slot.close();
            }
            slot = make();
        }
        return slot;
    }

    /**
     * Makes up for the namespaces taken, in the background. Called once the instance that took one has
     * started, so that making the next does not compete with that start for the engine.
     */
    void replenish() {
        synchronized (this) {
            if (!closed) {
                refill.execute(this::fill);
            }
        }
    }

    private void fill() {
        while (true) {
            synchronized (this) {
                if (closed || waiting.size() >= ready) {
                    return;
                }
            }
            Slot slot;
            try {
                slot = make();
            } catch (RuntimeException e) {
                log.warn("event=network_slot_failed network={} error=\"{}\"", network.name(), e.getMessage());
                return;
            }
            synchronized (this) {
                if (!closed) {
                    waiting.addLast(slot);
                    continue;
                }
            }
            slot.close();
            return;
        }
    }

    private Slot make() {
        ContainerSpec spec = new ContainerSpec(image, List.of("sleep"), List.of("infinity"), Map.of(), "993:990", "/",
                List.of(new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true)), HOLDER_MEMORY_BYTES, 0,
                true, Map.of(), Optional.of("laambda-netns"), ContainerSpec.Sandbox.lambda(network.name()), Set.of());
        return new Slot(Container.start(docker, spec, line -> { }));
    }

    @Override
    public void close() {
        List<Slot> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(waiting);
            waiting.clear();
        }
        // Not interrupted: a holder half made would be left behind; one being made sees `closed` and goes.
        refill.shutdown();
        try {
            if (!refill.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("event=network_slots_still_filling network={}", network.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping.forEach(Slot::close);
    }
}
