package dev.qastream.generation;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.qastream.generation.WorkerHarness.awaitDrained;
import static dev.qastream.generation.WorkerHarness.awaitTrue;
import static dev.qastream.generation.WorkerHarness.chunk;
import static dev.qastream.generation.WorkerHarness.deadLetters;
import static dev.qastream.generation.WorkerHarness.pairs;
import static dev.qastream.generation.WorkerHarness.rawDeadLetters;
import static dev.qastream.generation.WorkerHarness.request;
import static dev.qastream.generation.WorkerHarness.run;
import static dev.qastream.generation.WorkerHarness.sendRaw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request records the worker cannot deserialize: a registry that is down is waited for (the record is read
 * again, never skipped); bytes no schema can read go, as they were, to the raw dead-letter topic.
 * (Its own platform: one test here stops and restarts the registry.)
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RequestDecodingTest extends WorkerPlatformTest {

    @Test
    void aFreshWorkerWaitsOutARegistryOutageAndGeneratesEveryChunkOnceTheRegistryIsBack() throws Exception {
        // Given six requests serialized while the registry was up (so they can be sent while it is down)
        ServiceContext writer = h.ctx(Map.of());
        h.clearRequests(writer);
        Serializer<GenerationRequest> serializer = writer.topics().request("fast").valueSerde().serializer();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            GenerationRequest r = request("fast", chunk("outage.md#" + i, "outage-" + i), i);
            records.add(Map.entry(r.getChunk().getChunkId(), serializer.serialize(Topics.requestTopic("fast"), r)));
        }
        // and a fresh worker (its own serdes: it has never looked the request schema up) holding every partition
        ServiceContext fresh = h.ctx(Map.of());
        ScriptedGenerator generator = ScriptedGenerator.answering("m", 0, 1);
        try (var w = run(fresh, "fast", generator, "registry-outage-fast")) {
            awaitTrue(Duration.ofSeconds(60), "partitions assigned", () -> w.assigned().size() == fresh.kafka().partitions());

            // When the registry stops, the requests arrive, and the registry comes back about 20 s later
            h.stopRegistry();
            for (int i = 0; i < records.size(); i++) {
                sendRaw(writer, Topics.requestTopic("fast"), i % fresh.kafka().partitions(), List.of(records.get(i)));
            }
            Thread.sleep(12_000);
            h.startRegistry();
            awaitDrained(fresh, Duration.ofSeconds(90), Map.of("fast", "registry-outage-fast"));
        }

        // Then every chunk was generated once and written, and nothing went to a dead-letter topic
        for (int i = 0; i < 6; i++) {
            assertThat(generator.callsFor("outage.md#" + i)).as("calls for chunk " + i).isEqualTo(1);
        }
        assertThat(pairs(writer, "outage.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(6);
        assertThat(rawDeadLetters(writer)).isEmpty();
        assertThat(deadLetters(writer, "outage")).isEmpty();
    }

    @Test
    void requestBytesNoSchemaCanReadGoToTheRawDeadLetterTopicWithTheReasonAndTheRequestsAfterThemAreGenerated() throws Exception {
        // Given, on one partition, bytes that are not Avro at all, bytes framed with a schema id the registry does
        // not know, and then two good requests
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        byte[] notAvro = "{\"chunk\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
        Serializer<GenerationRequest> serializer = ctx.topics().request("fast").valueSerde().serializer();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(List.of(
                Map.entry("garbage.md#0", notAvro), Map.entry("garbage.md#1", unknownSchema)));
        for (int i = 0; i < 2; i++) {
            GenerationRequest r = request("fast", chunk("after.md#" + i, "after-" + i), i);
            records.add(Map.entry(r.getChunk().getChunkId(), serializer.serialize(Topics.requestTopic("fast"), r)));
        }
        sendRaw(ctx, Topics.requestTopic("fast"), 1, records);

        // When a worker reads them
        ScriptedGenerator generator = ScriptedGenerator.answering("m", 0, 1);
        try (var w = run(ctx, "fast", generator, "garbage-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "garbage-fast"));
        }

        // Then both unreadable records are on the raw dead-letter topic as they were, with why and where from
        List<ConsumerRecord<String, byte[]>> dead = rawDeadLetters(ctx);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly("garbage.md#0", "garbage.md#1");
        assertThat(dead.get(0).value()).isEqualTo(notAvro);
        assertThat(dead.get(1).value()).isEqualTo(unknownSchema);
        assertThat(dead).allSatisfy(r -> {
            assertThat(header(r, Topics.DLQ_REASON_HEADER)).isNotBlank();
            assertThat(header(r, Topics.DLQ_TOPIC_HEADER)).isEqualTo(Topics.requestTopic("fast"));
            assertThat(header(r, Topics.DLQ_PARTITION_HEADER)).isEqualTo("1");
        });
        assertThat(dead).extracting(r -> header(r, Topics.DLQ_OFFSET_HEADER)).doesNotHaveDuplicates();
        // and counted, and the requests after them were generated and written
        assertThat(h.counter(ctx, "qastream.generation.undecodable", "tier", "fast")).isEqualTo(2.0);
        assertThat(pairs(ctx, "after.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(2);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
