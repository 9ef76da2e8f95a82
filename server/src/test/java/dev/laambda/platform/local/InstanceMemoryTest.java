package dev.laambda.platform.local;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instance memory ledger: holds fit under the limit, each is given back once, and it ends at 0. */
class InstanceMemoryTest {

    @Test
    void holdsFitUnderTheLimitAndAHoldGivenBackTwiceCountsOnce() {
        InstanceMemory memory = new InstanceMemory(256);
        InstanceMemory.Hold first = memory.tryHold(128).orElseThrow();
        InstanceMemory.Hold second = memory.tryHold(128).orElseThrow();
        assertEquals(256, memory.inUseMb());
        assertTrue(memory.tryHold(128).isEmpty(), "a third 128 MB instance would pass 256 MB");

        first.close();
        first.close();
        assertEquals(128, memory.inUseMb(), "closing an instance twice gives its memory back once");
        assertTrue(memory.tryHold(256).isEmpty());
        InstanceMemory.Hold third = memory.tryHold(128).orElseThrow();
        second.close();
        third.close();
        assertEquals(0, memory.inUseMb());
        memory.tryHold(256).orElseThrow().close();
        assertEquals(0, memory.inUseMb());
    }

    @Test
    void manyThreadsHoldingAndGivingBackNeverPassTheLimitAndEndAtZero() throws Exception {
        InstanceMemory memory = new InstanceMemory(1024);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong highest = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            done.add(threads.submit(() -> {
                // Each thread keeps up to three instances running, as a busy function would: 16 of them want far more
                // than the limit, whichever way the threads interleave.
                java.util.ArrayDeque<InstanceMemory.Hold> running = new java.util.ArrayDeque<>();
                go.await();
                for (int i = 0; i < 2_000; i++) {
                    Optional<InstanceMemory.Hold> hold = memory.tryHold(128 + (i % 3) * 64);
                    if (hold.isEmpty()) {
                        refused.incrementAndGet();
                    } else {
                        highest.accumulateAndGet(memory.inUseMb(), Math::max);
                        running.add(hold.get());
                    }
                    if (running.size() > 2 || (hold.isEmpty() && !running.isEmpty())) {
                        InstanceMemory.Hold oldest = running.poll();
                        oldest.close();
                        oldest.close();
                    }
                }
                running.forEach(InstanceMemory.Hold::close);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> thread : done) {
            thread.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertTrue(highest.get() <= 1024, "in use never passed the limit: " + highest.get());
        assertTrue(refused.get() > 0, "16 threads keeping up to 768 MB each must have met the 1024 MB limit");
        assertEquals(0, memory.inUseMb(), "every hold was given back exactly once");
    }
}
