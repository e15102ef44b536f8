package dev.qastream.launcher;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.sink.export.KeyedSpill;
import dev.qastream.sink.export.TopicSpill;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Has every pair scored again, with no model call: the newest value of every key of generation.pairs is
 * published once more, same key, same bytes, so the scoring service scores it with the configuration it
 * runs with and the sink follows (same revision, so the new verdict wins). Spilled to disk first, so
 * memory stays flat; published in transactions of {@value #BATCH} records.
 */
final class PairRescore {
    static final int BATCH = 5_000;

    private PairRescore() {
    }

    /** Returns the number of pairs (and removals) published again. */
    static long run(ServiceContext ctx, Path scratch) {
        try (KeyedSpill spill = KeyedSpill.create(scratch)) {
            TopicSpill.read(ctx.kafka(), Topics.GENERATION_PAIRS, spill, System.err::println);
            var props = ctx.kafka().transactionalProducer("qastream-rescore-" + UUID.randomUUID());
            long[] sent = {0};
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                spill.forEach((key, value) -> {
                    producer.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, key, value));
                    if (++sent[0] % BATCH == 0) {
                        producer.commitTransaction();
                        producer.beginTransaction();
                    }
                });
                producer.commitTransaction();
            }
            return sent[0];
        }
    }
}
