package dev.qastream.generation.router;

import dev.qastream.generation.worker.PairRecords;
import dev.qastream.generation.worker.RoundSlots;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * ingest.chunks -> generation.requests.{fast,balanced,quality}, by the chunk's complexity, each request
 * carrying the chunk's revision: the offset of its record on ingest.chunks. A removed chunk (tombstone)
 * removes its pairs instead: a removal record (a QaPair with {@code removed=true} and the tombstone's
 * offset as revision) for every slot it could have filled, so a pair of an older revision still being
 * generated on a slow tier cannot bring the chunk back downstream.
 */
public final class RouterTopology {
    private RouterTopology() {
    }

    /** A chunk (null for a tombstone) with the offset of its record on ingest.chunks. */
    record Revised(Chunk chunk, long revision) {
    }

    public static Topology build(Topics topics, TierRouting routing, int maxPairsPerChunk, LongSupplier clock) {
        return build(topics, routing, new RoundSlots(maxPairsPerChunk, 1, 0), clock);
    }

    /** With the slots of every round ({@link RoundSlots}): a tombstone removes the follow-ups' pairs too. */
    public static Topology build(Topics topics, TierRouting routing, RoundSlots slots, LongSupplier clock) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Revised> chunks = builder.stream(topics.chunks.name(), topics.chunks.consumed())
                .processValues(RevisionStamp::new);
        chunks.filter((chunkId, revised) -> revised.chunk() != null)
                .mapValues(revised -> GenerationRequest.newBuilder()
                        .setTier(routing.tierFor(revised.chunk().getComplexity()))
                        .setChunk(revised.chunk())
                        .setRoutedAtMs(clock.getAsLong())
                        .setRevision(revised.revision())
                        .build())
                .to((chunkId, request, ctx) -> Topics.requestTopic(request.getTier()),
                        topics.request("fast").produced());
        chunks.filter((chunkId, revised) -> revised.chunk() == null)
                .flatMap((chunkId, revised) -> removals(chunkId, revised.revision(), slots.allSlots(), clock.getAsLong()))
                .to(topics.pairs.name(), topics.pairs.produced());
        return builder.build();
    }

    private static List<KeyValue<String, QaPair>> removals(String chunkId, long revision, List<Integer> slots, long nowMs) {
        String documentId = PairRecords.documentOf(chunkId);
        return slots.stream().map(slot -> KeyValue.pair(PairRecords.pairKey(chunkId, slot),
                PairRecords.removal(chunkId, documentId, slot, revision, "router", nowMs))).toList();
    }

    /** Wraps each chunk with the offset of its record: the revision every request, pair and removal carries. */
    private static final class RevisionStamp implements FixedKeyProcessor<String, Chunk, Revised> {
        private FixedKeyProcessorContext<String, Revised> context;

        @Override
        public void init(FixedKeyProcessorContext<String, Revised> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Chunk> record) {
            long offset = context.recordMetadata().map(m -> m.offset())
                    .orElseThrow(() -> new IllegalStateException("chunk record without an offset"));
            context.forward(record.withValue(new Revised(record.value(), offset)));
        }
    }
}
