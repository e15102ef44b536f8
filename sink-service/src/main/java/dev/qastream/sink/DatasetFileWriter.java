package dev.qastream.sink;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.sink.export.KeyedSpill;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Mirrors the compacted dataset topic into {@code out/dataset.jsonl}, reading it from the start on every
 * launch (the topic is the truth, the file a view of it), in pair key order. The lines live in an on-disk
 * keyed store, not in memory. The file from an earlier launch is replaced only once everything the topic held
 * at launch has been read: until then it stays as it was, never a part of the dataset. After that, new pairs
 * whose keys sort after the file's last line are appended, whole lines in one write; any other change (a
 * changed or removed pair, a new pair in the middle) is counted, and the file is rewritten from the store
 * ({@link DatasetFile#replace}) once the backlog is read or {@value #REWRITE_AFTER} changes have accumulated.
 *
 * <p>It keeps going through what would stop it: a record that cannot be read is counted, logged and stepped
 * over (it stays on the topic, where every launch reads it again); a registry that does not answer is waited
 * for, without moving past the record; a file that cannot be written is tried again; any other failure starts
 * a new run with a fresh consumer and store. Each with a growing pause, and {@link #problem()} says why.
 */
public final class DatasetFileWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DatasetFileWriter.class);
    static final int REWRITE_AFTER = 10_000;
    /** A run that lasted this long before failing was not failing in a loop: the next pause starts short again. */
    private static final long STABLE_RUN_MS = 60_000;

    private final DatasetFile file;
    private final Path storeDir;
    private final Deserializer<String> keys;
    private final Deserializer<DatasetRecord> values;
    private final Supplier<KafkaConsumer<String, DatasetRecord>> consumers;
    private final MeterRegistry meters;
    private final String topic;
    private final AtomicLong size = new AtomicLong();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, DatasetRecord> consumer;
    private final Object pauses = new Object();
    private final Counter upserts;
    private final Counter removals;
    private final Counter unreadable;
    private final Counter fileWrites;
    /** Why the writer is not doing its work, one per cause, each cleared when that cause has passed. */
    private volatile String runProblem;
    private volatile String readProblem;
    private volatile String writeProblem;

    public DatasetFileWriter(ServiceContext ctx, Path file) {
        this.file = new DatasetFile(file);
        this.storeDir = ctx.config().path("data-dir").resolve("dataset-file");
        this.topic = ctx.topics().dataset.name();
        Map<String, Object> settings = ctx.kafka().consumer(null);
        this.keys = ctx.topics().dataset.keySerde().deserializer();
        this.values = ctx.topics().dataset.valueSerde().deserializer();
        // Each run's consumer closes what it is given: the deserializers (and their registry client) outlive it.
        this.consumers = () -> new KafkaConsumer<>(settings, new KeptOpen<>(keys), new KeptOpen<>(values));
        this.meters = ctx.meters();
        Gauge.builder("qastream.dataset.pairs", size, AtomicLong::get)
                .description("pairs in the dataset file").register(meters);
        this.upserts = Counter.builder("qastream.sink.records").tag("change", "upsert")
                .description("dataset records added or replaced").register(meters);
        this.removals = Counter.builder("qastream.sink.records").tag("change", "removal")
                .description("dataset records removed (tombstones)").register(meters);
        this.unreadable = Counter.builder("qastream.sink.unreadable")
                .description("dataset records that could not be read, skipped by the dataset file").register(meters);
        this.fileWrites = Counter.builder("qastream.sink.file.writes")
                .description("atomic rewrites of the dataset file").register(meters);
    }

    /** Runs until {@link #stop()}: a run that fails is followed by a new one. */
    @Override
    public void run() {
        Backoff backoff = new Backoff();
        while (running) {
            long started = System.currentTimeMillis();
            try {
                follow();
            } catch (WakeupException e) {
                // stop() woke the consumer; the loop ends if it was that
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (System.currentTimeMillis() - started > STABLE_RUN_MS) {
                    backoff.reset();
                }
                long pause = backoff.next();
                runProblem = "dataset file writer failed, restarting: " + e;
                log.error("dataset file writer failed; restarting in {} ms", pause, e);
                pause(pause);
            }
        }
        keys.close();
        values.close();
    }

    /** One run: a fresh consumer and store, from the start of the topic, until stopped or failed. */
    private void follow() {
        KeyedSpill.deleteLeftovers(storeDir); // one sink per data dir: a store found here was left by a crash
        try (KafkaConsumer<String, DatasetRecord> consumer = consumers.get();
             KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
             KeyedSpill lines = KeyedSpill.create(storeDir)) {
            this.consumer = consumer;
            if (!running) {
                return; // stopped while the consumer was made: its wakeup went to no one
            }
            consumerMetrics.bindTo(meters);
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topic, true);
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " not found"); // not "the dataset is empty"
            }
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            long startedNs = System.nanoTime();
            Mirror mirror = new Mirror(lines);
            Backoff reads = new Backoff();
            Backoff writes = new Backoff();
            while (running) {
                ConsumerRecords<String, DatasetRecord> records = poll(consumer, reads);
                if (records == null) {
                    continue; // a record was skipped, or is to be read again
                }
                records.forEach(mirror::apply);
                if (!mirror.loaded) {
                    // The file from before is replaced only by one holding at least what the topic held then.
                    mirror.loaded = partitions.stream().allMatch(tp -> consumer.position(tp) >= endAtStart.get(tp));
                    if (!mirror.loaded) {
                        continue;
                    }
                    log.info("dataset file writer read the dataset topic: {} pairs in {} ms", mirror.pairs,
                            (System.nanoTime() - startedNs) / 1_000_000);
                }
                boolean drained = records.isEmpty() || partitions.stream()
                        .allMatch(tp -> consumer.currentLag(tp).orElse(1) == 0);
                try {
                    mirror.write(drained);
                    writeProblem = null;
                } catch (UncheckedIOException e) {
                    long pause = writes.next();
                    writeProblem = e.getMessage();
                    log.warn("dataset file writer: {}; trying again in {} ms", e.getMessage(), pause);
                    pause(pause);
                    continue;
                }
                writes.reset();
                if (mirror.fileIsCurrent()) { // positions count once the file shows them
                    Map<TopicPartition, Long> now = new HashMap<>();
                    partitions.forEach(tp -> now.put(tp, consumer.position(tp)));
                    positions = now;
                    size.set(mirror.pairs);
                    runProblem = null;
                }
            }
        } finally {
            this.consumer = null;
        }
    }

    /**
     * The next records, or null when a record could not be read: one that no schema reads (or has no key) is
     * counted and stepped over; one whose schema the registry could not be asked for is read again after a pause.
     */
    private ConsumerRecords<String, DatasetRecord> poll(KafkaConsumer<String, DatasetRecord> consumer, Backoff backoff) {
        try {
            ConsumerRecords<String, DatasetRecord> records = consumer.poll(Duration.ofMillis(300));
            readProblem = null;
            backoff.reset();
            return records;
        } catch (RecordDeserializationException e) {
            String where = e.topicPartition() + " offset " + e.offset();
            IOException transport = dev.qastream.runtime.serde.Transport.cause(e);
            if (transport != null) {
                long pause = backoff.next();
                readProblem = "waiting for the schema registry to read " + where + ": " + transport;
                log.warn("dataset file writer: cannot reach the schema registry to read {} ({}); trying again in {} ms",
                        where, transport, pause);
                consumer.seek(e.topicPartition(), e.offset()); // the same record again, not past it
                pause(pause);
            } else {
                unreadable.increment();
                log.error("dataset file writer: skipping unreadable record at {}: {}", where,
                        e.getCause() == null ? e.getMessage() : e.getCause().toString());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
            return null;
        }
    }

    /** The store of one run and how far the file is from it. */
    private final class Mirror {
        private final KeyedSpill lines;
        /** Everything the topic held at the start of the run has been read. */
        boolean loaded;
        /** The file on disk is from before this run (or a write failed): it is to be replaced whole. */
        private boolean rewrite = true;
        private long changed;
        private final StringBuilder appends = new StringBuilder();
        private String lastKeyInFile = "";
        long pairs;

        Mirror(KeyedSpill lines) {
            this.lines = lines;
        }

        void apply(ConsumerRecord<String, DatasetRecord> r) {
            if (r.key() == null) {
                unreadable.increment();
                log.error("dataset file writer: skipping a record without a key at {}-{} offset {}", r.topic(),
                        r.partition(), r.offset());
                return;
            }
            byte[] old = lines.get(r.key());
            if (r.value() == null) {
                removals.increment();
                if (old != null) {
                    lines.put(r.key(), null);
                    pairs--;
                    changed++;
                }
                return;
            }
            upserts.increment();
            String line = DatasetJson.toLine(r.value());
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (old == null) {
                pairs++;
                if (!rewrite && changed == 0 && r.key().compareTo(lastKeyInFile) > 0) {
                    appends.append(line).append('\n');
                    lastKeyInFile = r.key();
                } else {
                    changed++;
                }
            } else if (!Arrays.equals(old, bytes)) {
                changed++;
            } else {
                return;
            }
            lines.put(r.key(), bytes);
        }

        /** Brings the file up to the store when due; on a failure the next write replaces the whole file. */
        void write(boolean drained) {
            try {
                if ((rewrite || changed > 0) && (drained || changed >= REWRITE_AFTER)) {
                    lastKeyInFile = file.replace(lines);
                    fileWrites.increment();
                    rewrite = false;
                    changed = 0;
                    appends.setLength(0);
                } else if (!rewrite && !appends.isEmpty() && (drained || appends.length() > (1 << 20))) {
                    file.append(appends);
                    appends.setLength(0);
                }
            } catch (UncheckedIOException e) {
                rewrite = true; // an append may have left part of a line: only a whole new file is sure
                appends.setLength(0);
                throw e;
            }
        }

        boolean fileIsCurrent() {
            return !rewrite && changed == 0 && appends.isEmpty();
        }
    }

    /** Waits, unless or until stopped. */
    private void pause(long ms) {
        synchronized (pauses) {
            if (running) {
                try {
                    pauses.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** A deserializer that its consumer's close leaves open. */
    private record KeptOpen<T>(Deserializer<T> delegate) implements Deserializer<T> {
        @Override
        public T deserialize(String topic, byte[] data) {
            return delegate.deserialize(topic, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public void close() {
            // closed by the writer when it ends
        }
    }

    /** Pauses between attempts: 500 ms, doubling up to 30 s. */
    private static final class Backoff {
        private long next = 500;

        long next() {
            long now = next;
            next = Math.min(next * 2, 30_000);
            return now;
        }

        void reset() {
            next = 500;
        }
    }

    /** Positions reached per partition, and so whether the file reflects everything up to given end offsets. */
    public boolean caughtUpTo(Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Long> p = positions;
        return endOffsets.entrySet().stream().allMatch(e -> p.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /** False while the writer cannot do its work: see {@link #problem()}. */
    public boolean healthy() {
        return problem() == null;
    }

    /** Why the file is not following the topic now (a failed run, an unreachable registry, a failed write), or null. */
    public String problem() {
        String run = runProblem;
        String read = readProblem;
        return run != null ? run : read != null ? read : writeProblem;
    }

    /** Pairs in the dataset file. */
    public int size() {
        return (int) size.get();
    }

    public String topic() {
        return topic;
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, DatasetRecord> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (pauses) {
            pauses.notifyAll();
        }
    }
}
