package dev.qastream.sink;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.sink.export.KeyedSpill;
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
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mirrors the compacted dataset topic into {@code out/dataset.jsonl}, reading it from the start on every
 * launch (the topic is the truth, the file a view of it), in pair key order. The lines live in an on-disk
 * keyed store, not in memory. New pairs whose keys sort after the file's last line are appended, whole
 * lines in one write; any other change (a changed or removed pair, a new pair in the middle) is counted,
 * and the file is rewritten from the store (streamed into a temporary file, then renamed over the old
 * one: a reader sees the old file or the new one, never half) once the backlog is read or
 * {@value #REWRITE_AFTER} changes have accumulated, not after every batch.
 */
public final class DatasetFileWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DatasetFileWriter.class);
    static final int REWRITE_AFTER = 10_000;

    private final Path file;
    private final Path storeDir;
    private final KafkaConsumer<String, DatasetRecord> consumer;
    private final String topic;
    private final AtomicLong size = new AtomicLong();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;
    private String lastKeyInFile = "";
    private final KafkaClientMetrics consumerMetrics;
    private final Counter upserts;
    private final Counter removals;
    private final Counter fileWrites;

    public DatasetFileWriter(ServiceContext ctx, Path file) {
        this.file = file;
        this.storeDir = ctx.config().path("data-dir").resolve("dataset-file");
        this.topic = ctx.topics().dataset.name();
        this.consumer = new KafkaConsumer<>(ctx.kafka().consumer(null),
                ctx.topics().dataset.keySerde().deserializer(), ctx.topics().dataset.valueSerde().deserializer());
        Gauge.builder("qastream.dataset.pairs", size, AtomicLong::get).register(ctx.meters());
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
        KeyedSpill.deleteLeftovers(storeDir); // one sink per data dir: a store found here was left by a crash
        try (KeyedSpill lines = KeyedSpill.create(storeDir)) {
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topic, true);
            boolean rewrite = true; // the file on disk is from an earlier run: replace it once caught up
            long changed = 0;
            StringBuilder appends = new StringBuilder();
            while (running) {
                ConsumerRecords<String, DatasetRecord> records = consumer.poll(Duration.ofMillis(300));
                for (ConsumerRecord<String, DatasetRecord> r : records) {
                    byte[] old = lines.get(r.key());
                    if (r.value() == null) {
                        removals.increment();
                        if (old != null) {
                            lines.put(r.key(), null);
                            size.decrementAndGet();
                            changed++;
                        }
                        continue;
                    }
                    upserts.increment();
                    String line = DatasetJson.toLine(r.value());
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    if (old == null) {
                        size.incrementAndGet();
                        if (!rewrite && changed == 0 && r.key().compareTo(lastKeyInFile) > 0) {
                            appends.append(line).append('\n');
                            lastKeyInFile = r.key();
                        } else {
                            changed++;
                        }
                    } else if (!java.util.Arrays.equals(old, bytes)) {
                        changed++;
                    } else {
                        continue;
                    }
                    lines.put(r.key(), bytes);
                }
                boolean caughtUp = records.isEmpty() || records.count() < 500;
                if ((rewrite || changed > 0) && (caughtUp || changed >= REWRITE_AFTER)) {
                    rewrite(lines);
                    rewrite = false;
                    changed = 0;
                    appends.setLength(0);
                } else if (!rewrite && appends.length() > 0 && (caughtUp || appends.length() > (1 << 20))) {
                    append(appends);
                    appends.setLength(0);
                }
                if (!rewrite && changed == 0 && appends.isEmpty()) { // positions count once the file shows them
                    Map<TopicPartition, Long> now = new HashMap<>();
                    partitions.forEach(tp -> now.put(tp, consumer.position(tp)));
                    positions = now;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("dataset file writer failed", e);
        } finally {
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void rewrite(KeyedSpill lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            String[] last = {""};
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                lines.forEach((key, line) -> {
                    last[0] = key;
                    try {
                        w.write(new String(line, StandardCharsets.UTF_8));
                        w.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            fileWrites.increment();
            lastKeyInFile = last[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** New pairs go at the end of the file: whole lines, in one write. */
    private void append(CharSequence newLines) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = StandardCharsets.UTF_8.encode(newLines.toString());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Positions reached per partition, and so whether the file reflects everything up to given end offsets. */
    public boolean caughtUpTo(Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Long> p = positions;
        return endOffsets.entrySet().stream().allMatch(e -> p.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    public int size() {
        return (int) size.get();
    }

    public String topic() {
        return topic;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }
}
