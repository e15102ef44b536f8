package dev.qastream.generation.worker;

import dev.qastream.generation.worker.CacheRetention.Member;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.GenerationCacheEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * This process's view of the whole compacted generation.cache topic: a consumer assigned to every
 * partition (read_committed, no group) follows it from the start, so every worker here sees every entry
 * any instance committed. Workers wait for {@link #awaitCaughtUp} before taking requests: a request taken
 * before the view holds the entries present at start would pay for a model call the cache already has.
 *
 * <p>The entries live on disk, not in the heap: a RocksDB under {@code <data-dir>/generation-cache/}, one
 * folder per view, deleted on close and rebuilt from the topic at the next start (the topic is the source of
 * truth). The heap holds no entry; a lookup reads and decodes one.
 *
 * <p>Retention ({@code generation.cache.keep-prompt-versions}, N, default 3): per chunk text (checksum) and
 * model, only the entries of the N prompt versions written most recently are kept, a version's recency being
 * the newest {@code createdAtMs} among its entries (see {@link CacheRetention}). When an entry arrives, from
 * the topic or through {@link #remember}, the view drops at once the entries that fall out. On the broker, the
 * writer of the new entry frees them: before its transaction it asks {@link #evictedBy} for the keys that the
 * entry pushes out and writes a tombstone for each in the same transaction, after the entry; after the commit
 * it calls {@link #remember}, as for any entry. Only that writer writes those tombstones, so no two instances
 * race over them; a tombstone is harmless if another writer's view had already dropped the key. Every view
 * drops the same entries whether or not the tombstones are ever written, so its disk use stays bounded by
 * N versions per chunk and model either way.
 */
public final class CacheView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheView.class);
    public static final int DEFAULT_KEEP_PROMPT_VERSIONS = 3;
    /** The folder under data-dir that holds the views' stores. */
    public static final String FOLDER = "generation-cache";

    private final CacheStore store;
    private final CacheRetention retention;
    private final Serializer<GenerationCacheEntry> encoder;
    private final Deserializer<GenerationCacheEntry> decoder;
    /** Closing waits for lookups and writes in progress: a RocksDB used after close takes the JVM down. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Writes read-modify-write a group: one at a time (the view's thread and workers calling remember). */
    private final Object writing = new Object();
    private final AtomicLong size = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final KafkaConsumer<String, GenerationCacheEntry> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean closed;
    private volatile Throwable failure;

    /** A view keeping the default {@value #DEFAULT_KEEP_PROMPT_VERSIONS} prompt versions per chunk and model. */
    public CacheView(KafkaSettings kafka, Topic<String, GenerationCacheEntry> topic) {
        this(kafka, topic, DEFAULT_KEEP_PROMPT_VERSIONS);
    }

    /** A view keeping {@code keepPromptVersions} (generation.cache.keep-prompt-versions) per chunk and model. */
    public CacheView(KafkaSettings kafka, Topic<String, GenerationCacheEntry> topic, int keepPromptVersions) {
        this.retention = new CacheRetention(keepPromptVersions);
        PlainAvroSerde<GenerationCacheEntry> plain = PlainAvroSerde.of(GenerationCacheEntry.class);
        this.encoder = plain.serializer();
        this.decoder = plain.deserializer();
        this.store = CacheStore.open(kafka.dataDir().resolve(FOLDER));
        try {
            this.consumer = new KafkaConsumer<>(kafka.consumer(null), topic.keySerde().deserializer(),
                    topic.valueSerde().deserializer());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.thread = new Thread(() -> follow(topic.name()), "generation-cache-view");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void follow(String topicName) {
        try {
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topicName, true);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            boolean reported = false;
            while (running) {
                try {
                    for (ConsumerRecord<String, GenerationCacheEntry> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() == null) {
                            forget(r.key());
                        } else {
                            put(r.key(), r.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // An unreadable entry is only a miss: step over it rather than stop every worker.
                    log.warn("generation cache: skipping unreadable entry at {} offset {}", e.topicPartition(), e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                if (!reported && partitions.stream().allMatch(tp -> consumer.position(tp) >= endAtStart.get(tp))) {
                    reported = true;
                    log.info("generation cache view caught up: {} entries", size.get());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            log.error("generation cache view stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Blocks until the view holds every entry committed before it started; false on timeout or stop. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (caughtUp.await(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (failure != null || !running) {
                return false;
            }
        }
        return false;
    }

    public boolean healthy() {
        return failure == null && thread.isAlive();
    }

    /** The entry under {@code key}, read from disk; null when the view has none (or is closed). */
    public GenerationCacheEntry get(String key) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            byte[] stored = store.entry(key);
            return stored == null ? null : decoder.deserialize(null, stored);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** An entry this process just committed: visible here at once, before the topic echoes it back. */
    public void remember(String key, GenerationCacheEntry entry) {
        put(key, entry);
    }

    /**
     * The cache keys the retention rule drops once {@code entry} is written under {@code key} (empty for most
     * entries): the writer of the entry writes a tombstone for each, after the entry, in the same transaction.
     * Reads the view; changes nothing ({@link #remember} after the commit does).
     */
    public List<String> evictedBy(String key, GenerationCacheEntry entry) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return List.of();
            }
            String group = CacheRetention.group(entry.getChunkChecksum(), entry.getModel());
            return retention.admit(CacheRetention.decode(store.group(group)), member(key, entry)).evicted();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Entries the view holds. */
    public int size() {
        return (int) size.get();
    }

    /** The retention rule's N: prompt versions kept per chunk and model. */
    public int keepPromptVersions() {
        return retention.keepPromptVersions();
    }

    /** The folder of this view's store (deleted on close). */
    public Path folder() {
        return store.folder();
    }

    private void put(String key, GenerationCacheEntry entry) {
        byte[] value = encoder.serialize(null, entry);
        String group = CacheRetention.group(entry.getChunkChecksum(), entry.getModel());
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return;
            }
            synchronized (writing) {
                List<Member> before = CacheRetention.decode(store.group(group));
                CacheRetention.Outcome after = retention.admit(before, member(key, entry));
                boolean admitted = !after.evicted().contains(key);
                try (CacheStore.Change change = store.change()) {
                    if (admitted) {
                        change.putEntry(key, value);
                    }
                    for (String gone : after.evicted()) {
                        change.deleteEntry(gone);
                    }
                    if (after.kept().isEmpty()) {
                        change.deleteGroup(group);
                    } else {
                        change.putGroup(group, CacheRetention.encode(after.kept()));
                    }
                    change.commit();
                }
                size.addAndGet(after.kept().size() - before.size());
                if (!after.evicted().isEmpty()) {
                    log.debug("generation cache: {} dropped by the retention rule after {}", after.evicted(), key);
                }
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** A tombstone: the entry and its place in its group go. */
    private void forget(String key) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return;
            }
            synchronized (writing) {
                byte[] stored = store.entry(key);
                if (stored == null) {
                    return; // already dropped (by the retention rule) or never held
                }
                GenerationCacheEntry entry = decoder.deserialize(null, stored);
                String group = CacheRetention.group(entry.getChunkChecksum(), entry.getModel());
                List<Member> rest = new ArrayList<>(CacheRetention.decode(store.group(group)));
                rest.removeIf(m -> m.key().equals(key));
                try (CacheStore.Change change = store.change()) {
                    change.deleteEntry(key);
                    if (rest.isEmpty()) {
                        change.deleteGroup(group);
                    } else {
                        change.putGroup(group, CacheRetention.encode(rest));
                    }
                    change.commit();
                }
                size.decrementAndGet();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static Member member(String key, GenerationCacheEntry entry) {
        return new Member(key, entry.getPromptVersion(), entry.getCreatedAtMs());
    }

    /** Stops following the topic, then closes the store and deletes its folder. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            store.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
