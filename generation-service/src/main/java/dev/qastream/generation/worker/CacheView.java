package dev.qastream.generation.worker;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.schemas.GenerationCacheEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * This process's view of the whole compacted generation.cache topic: a consumer assigned to every
 * partition (read_committed, no group) follows it from the start, so every worker here sees every entry
 * any instance committed. Workers wait for {@link #awaitCaughtUp} before taking requests: a request taken
 * before the view holds the entries present at start would pay for a model call the cache already has.
 */
public final class CacheView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheView.class);

    private final Map<String, GenerationCacheEntry> entries = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final KafkaConsumer<String, GenerationCacheEntry> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public CacheView(KafkaSettings kafka, Topic<String, GenerationCacheEntry> topic) {
        this.consumer = new KafkaConsumer<>(kafka.consumer(null), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
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
                            entries.remove(r.key());
                        } else {
                            entries.put(r.key(), r.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // An unreadable entry is only a miss: step over it rather than stop every worker.
                    log.warn("generation cache: skipping unreadable entry at {} offset {}", e.topicPartition(), e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                if (!reported && partitions.stream().allMatch(tp -> consumer.position(tp) >= endAtStart.get(tp))) {
                    reported = true;
                    log.info("generation cache view caught up: {} entries", entries.size());
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

    public GenerationCacheEntry get(String key) {
        return entries.get(key);
    }

    /** An entry this process just committed: visible here at once, before the topic echoes it back. */
    public void remember(String key, GenerationCacheEntry entry) {
        entries.put(key, entry);
    }

    public int size() {
        return entries.size();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
