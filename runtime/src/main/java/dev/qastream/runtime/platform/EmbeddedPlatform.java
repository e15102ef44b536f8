package dev.qastream.runtime.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kafka and the schema registry on this machine, data under one directory:
 * {@code DATA/kafka} and {@code DATA/registry}. Restarting on the same directory resumes both.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final Path dataDir;
    private final DataDirLock lock;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPlatform(EmbeddedKafka kafka, EmbeddedRegistry registry, Path dataDir, DataDirLock lock) {
        this.kafka = kafka;
        this.registry = registry;
        this.dataDir = dataDir;
        this.lock = lock;
        this.shutdownHook = new Thread(this::stopAll, "qastream-platform-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * For an owner that closes this platform from its own shutdown hook, after stopping what runs on it:
     * shutdown hooks run concurrently, so ours would stop the broker under the owner's services.
     */
    public void handOverShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // too late to hand over; our hook stops the platform
        }
    }

    public static EmbeddedPlatform start(Path dataDir) {
        return start(dataDir, EmbeddedKafka.Settings.defaults());
    }

    /**
     * Both start at once: the registry is a separate process that spends its start-up time booting
     * Quarkus, independent of Kafka, so waiting for one before launching the other would only add up.
     */
    public static EmbeddedPlatform start(Path dataDir, EmbeddedKafka.Settings kafkaSettings) {
        long t0 = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        DataDirLock lock = DataDirLock.acquire(dir);
        try {
            return start(dir, kafkaSettings, lock, t0);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedPlatform start(Path dir, EmbeddedKafka.Settings kafkaSettings, DataDirLock lock, long t0) {
        CompletableFuture<EmbeddedRegistry> registryStart = new CompletableFuture<>();
        Thread.ofPlatform().name("qastream-registry-start").daemon().start(() -> {
            try {
                registryStart.complete(EmbeddedRegistry.start(dir.resolve("registry")));
            } catch (Throwable t) {
                registryStart.completeExceptionally(t);
            }
        });

        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaSettings);
        } catch (RuntimeException e) {
            // Do not leave a registry behind when Kafka could not start.
            try {
                registryStart.join().close();
            } catch (CompletionException registryFailedToo) {
                e.addSuppressed(registryFailedToo.getCause());
            }
            throw e;
        }
        EmbeddedRegistry registry;
        try {
            registry = registryStart.join();
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        EmbeddedPlatform platform = new EmbeddedPlatform(kafka, registry, dir, lock);
        log.info("Platform up in {} ms: Kafka {} , registry {} (data {})",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), kafka.bootstrapServers(), registry.url(), dir);
        return platform;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryApiUrl() {
        return registry.registryApiUrl();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; nothing left to undo
        }
    }

    /** Reverse start order: the registry, then Kafka; Kafka stops even if the registry's stop fails. */
    private void stopAll() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.close();
        } finally {
            try {
                kafka.close();
            } finally {
                lock.close();
            }
        }
    }
}
