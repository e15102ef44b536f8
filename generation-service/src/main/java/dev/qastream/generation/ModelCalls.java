package dev.qastream.generation;

import dev.qastream.generation.worker.ModelServers;
import dev.qastream.generation.worker.ModelServers.ModelServer;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model calls of one tier's worker: up to K in flight, each holding a slot of its model server and its
 * breaker's leave. A call thread that got an answer takes the next ready job itself, so a freed slot is busy
 * again without waiting for the poll loop (which may be writing a transaction). Once the worker stops or dies
 * ({@link #stopTaking}, {@link #close}) no thread takes another job: a dead worker's threads do not keep the
 * server's slots busy with calls whose results nobody will write; the calls already running give their slot
 * back when they end.
 *
 * <p>Beyond its own share (K plus the calls queued ahead) a tier runs calls on slots its server lends while the
 * server's other tiers want none ({@link ModelServers.ModelServer#reach}); a thread that ends gives its slot to
 * the other tiers with work waiting at once.
 */
final class ModelCalls implements ModelServers.Tenant {
    /** A call that ended: an answer or a failure. */
    record Completion(GenerationJob job, Generation generation, Throwable failure, Duration latency) {
    }

    private final String tier;
    private final PairGenerator generator;
    /** Calls this tier may run on its own share: K, plus the calls queued ahead at its server. */
    private final int own;
    /** Calls it may run at most: its own share, or more on slots its server lends. */
    private final int reach;
    private final ModelServer server;
    private final Runnable onCompletion;
    private final Runnable onLentSlot;
    private final ExecutorService threads;
    /** Jobs waiting for a slot: filled by the poll loop, taken by it and by call threads that just finished one. */
    private final Queue<GenerationJob> ready = new ConcurrentLinkedQueue<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object taking = new Object();
    private volatile boolean open = true;

    /**
     * @param k the tier's max-concurrency; @param mayRun the calls it may run, lent slots included (k when it
     * borrows none), both without the calls queued ahead; @param server null for the builtin; @param onCompletion run after each call ends (wakes the
     * poll loop); @param onLentSlot run when a call starts on a slot beyond the tier's share
     */
    ModelCalls(String tier, PairGenerator generator, int k, int mayRun, ModelServer server, Runnable onCompletion,
               Runnable onLentSlot) {
        this.tier = tier;
        this.generator = generator;
        int ahead = server == null ? 0 : server.queueAhead();
        this.own = k + ahead;
        this.reach = Math.max(k, mayRun) + ahead;
        this.server = server;
        this.onCompletion = onCompletion;
        this.onLentSlot = onLentSlot;
        this.threads = Executors.newFixedThreadPool(reach, r -> {
            Thread t = new Thread(r, "generate-" + tier);
            t.setDaemon(true);
            return t;
        });
        if (server != null) {
            server.join(this);
        }
    }

    void add(GenerationJob job) {
        ready.add(job);
    }

    /** Jobs waiting for a slot. */
    int waiting() {
        ready.removeIf(j -> j.dropped);
        return ready.size();
    }

    @Override
    public boolean hasWaiting() {
        for (GenerationJob job : ready) {
            if (!job.dropped) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean wantsOwnSlot() {
        return open && inFlight.get() < own && hasWaiting();
    }

    /** No call running and none waiting. */
    boolean idle() {
        return inFlight.get() == 0 && ready.isEmpty();
    }

    /** The next call that ended, or null. */
    Completion nextCompletion() {
        return completions.poll();
    }

    /** Starts calls while the tier and its server have free slots and the server's breaker lets calls through. */
    @Override
    public void start() {
        for (GenerationJob job; (job = take()) != null; ) {
            GenerationJob first = job;
            try {
                threads.execute(() -> call(first));
            } catch (RejectedExecutionException closed) {
                giveBack(first);
                return;
            }
        }
    }

    /** The worker is stopping: no new call starts. */
    void stopTaking() {
        synchronized (taking) {
            open = false;
        }
    }

    /** The worker ended: no new call starts, and the running ones are interrupted. */
    void close() {
        stopTaking();
        threads.shutdownNow();
        if (server != null) {
            server.leave(this);
        }
    }

    void awaitTermination(Duration timeout) throws InterruptedException {
        threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The next ready job, holding a tier slot, a server slot and the breaker's leave; null when a limit is
     * reached, nothing is ready, or no job may be taken any more. Called by the poll loop and call threads.
     */
    private GenerationJob take() {
        synchronized (taking) {
            while (open) {
                int running = inFlight.get();
                GenerationJob job = ready.peek();
                if (job == null || running >= reach) {
                    return null;
                }
                if (job.dropped) {
                    ready.poll();
                    continue;
                }
                boolean lent = running >= own;
                if (lent && server.anotherWantsOwnSlot(this)) {
                    return null;
                }
                if (server != null) {
                    if (!server.slots().tryAcquire()) {
                        return null;
                    }
                    if (!server.breaker().tryAcquire()) {
                        server.slots().release();
                        return null;
                    }
                }
                ready.poll();
                inFlight.incrementAndGet();
                job.attempts++;
                if (lent) {
                    onLentSlot.run();
                }
                return job;
            }
            return null;
        }
    }

    /** A job taken whose call never started: its tier slot, server slot and breaker leave go back. */
    private void giveBack(GenerationJob job) {
        synchronized (taking) {
            inFlight.decrementAndGet();
            job.attempts--;
            if (server != null) {
                server.breaker().release();
                server.slots().release();
            }
        }
    }

    /**
     * Runs a call, then, while calls answer, the next ready job on this same thread. After a failure the thread
     * stops, so the loop sees it (and the breaker counts it) before the next call.
     */
    private void call(GenerationJob first) {
        GenerationJob job = first;
        while (job != null && callOnce(job)) {
            job = take();
        }
        if (server != null) {
            server.offerFreedSlot(this);
        }
    }

    /** One call; true when the model answered. */
    private boolean callOnce(GenerationJob job) {
        long start = System.nanoTime();
        Generation generation = null;
        Throwable failure = null;
        try {
            generation = generator.generate(job.chunk(), tier, job.request().getFocus());
        } catch (GenerationException | RuntimeException e) {
            failure = e;
        } finally {
            if (server != null) {
                server.slots().release();
            }
        }
        inFlight.decrementAndGet();
        completions.add(new Completion(job, generation, failure, Duration.ofNanos(System.nanoTime() - start)));
        if (open) {
            onCompletion.run();
        }
        return generation != null;
    }
}
