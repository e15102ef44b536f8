package dev.qastream.sink;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.schemas.DatasetRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mirrors the compacted dataset topic into {@code out/dataset.jsonl}: reads it from the start on every
 * launch (the topic is the truth, the file a view of it), applies upserts and tombstones, and rewrites the
 * file atomically after each batch, so a reader never sees half a file and removed pairs disappear.
 */
public final class DatasetFileWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DatasetFileWriter.class);

    private final Path file;
    private final KafkaConsumer<String, DatasetRecord> consumer;
    private final String topic;
    private final TreeMap<String, String> lines = new TreeMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;
    private final KafkaClientMetrics consumerMetrics;
    private final Counter upserts;
    private final Counter removals;
    private final Counter fileWrites;

    public DatasetFileWriter(ServiceContext ctx, Path file) {
        this.file = file;
        this.topic = ctx.topics().dataset.name();
        this.consumer = new KafkaConsumer<>(ctx.kafka().consumer(null),
                ctx.topics().dataset.keySerde().deserializer(), ctx.topics().dataset.valueSerde().deserializer());
        Gauge.builder("qastream.dataset.pairs", size, AtomicInteger::get).register(ctx.meters());
        this.upserts = Counter.builder("qastream.sink.records").tag("change", "upsert")
                .description("dataset records added or replaced").register(ctx.meters());
        this.removals = Counter.builder("qastream.sink.records").tag("change", "removal")
                .description("dataset records removed (tombstones)").register(ctx.meters());
        this.fileWrites = Counter.builder("qastream.sink.file.writes")
                .description("atomic rewrites of the dataset file").register(ctx.meters());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(ctx.meters());
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topic, true);
            boolean dirty = !Files.exists(file);
            while (running) {
                ConsumerRecords<String, DatasetRecord> records = consumer.poll(Duration.ofMillis(300));
                for (ConsumerRecord<String, DatasetRecord> r : records) {
                    if (r.value() == null) {
                        dirty |= lines.remove(r.key()) != null;
                        removals.increment();
                    } else {
                        upserts.increment();
                        String line = DatasetJson.toLine(r.value());
                        dirty |= !line.equals(lines.put(r.key(), line));
                    }
                }
                size.set(lines.size());
                // While catching up on a big backlog, write once it is read rather than after every poll.
                if (dirty && (records.isEmpty() || records.count() < 500)) {
                    write();
                    dirty = false;
                }
                if (!dirty) { // positions count as reached only once the file shows them
                    Map<TopicPartition, Long> now = new HashMap<>();
                    partitions.forEach(tp -> now.put(tp, consumer.position(tp)));
                    positions = now;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (IOException | RuntimeException e) {
            log.error("dataset file writer failed", e);
        } finally {
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void write() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String line : lines.values()) {
                w.write(line);
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fileWrites.increment();
    }

    /** Positions reached per partition, and so whether the file reflects everything up to given end offsets. */
    public boolean caughtUpTo(Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Long> p = positions;
        return endOffsets.entrySet().stream().allMatch(e -> p.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    public int size() {
        return size.get();
    }

    public String topic() {
        return topic;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

}
