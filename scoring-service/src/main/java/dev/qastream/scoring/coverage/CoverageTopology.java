package dev.qastream.scoring.coverage;

import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.CoverageChunkState;
import dev.qastream.schemas.CoverageEvent;
import dev.qastream.schemas.CoveragePairState;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;

import java.util.Optional;
import java.util.Set;

/**
 * Coverage as a Kafka Streams app: ingest.chunks (with each chunk's revision, its offset) and scoring.scored meet
 * on the task of their document (one repartition, partitioned by document id, keys kept), where
 * {@link CoverageProcessor} keeps each chunk's facts and each pair's latest score, and writes coverage.facts
 * (facts added, tombstones for facts gone), coverage.documents (a document's coverage whenever it changes) and
 * follow-up requests on generation.requests.{tier} once a round of a chunk is complete with facts still uncovered.
 * The follow-up and the state that records its round are written in one transaction (exactly_once_v2).
 */
public final class CoverageTopology {
    public static final String CHUNKS_STORE = "coverage-chunks";
    public static final String PAIRS_STORE = "coverage-pairs";
    public static final String DOCUMENTS_STORE = "coverage-documents";
    public static final String PENDING_STORE = "coverage-pending";
    static final String REPARTITION = "events-by-document";

    private CoverageTopology() {
    }

    /** What the processor writes, for the topic it goes to: a fact (or its tombstone), a document, a request. */
    record Emit(Target target, Object value) {
        enum Target { FACT, DOCUMENT, REQUEST }
    }

    public static Topology build(Topics topics, CoverageSettings settings, CoverageListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CHUNKS_STORE), Serdes.String(),
                PlainAvroSerde.of(CoverageChunkState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAIRS_STORE), Serdes.String(),
                PlainAvroSerde.of(CoveragePairState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DOCUMENTS_STORE), Serdes.String(),
                PlainAvroSerde.of(DocumentCoverage.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(),
                Serdes.Long()));

        KStream<String, CoverageEvent> chunks = builder.stream(topics.chunks.name(), topics.chunks.consumed())
                .processValues(ChunkEvents::new, Named.as("chunk-events"));
        KStream<String, CoverageEvent> pairs = builder.stream(topics.scored.name(), topics.scored.consumed())
                .mapValues((pairKey, scored) -> pairEvent(pairKey, scored), Named.as("pair-events"));
        KStream<String, Emit> out = chunks.merge(pairs)
                .repartition(Repartitioned.<String, CoverageEvent>as(REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(PlainAvroSerde.of(CoverageEvent.class))
                        .withStreamPartitioner(byDocument()))
                .process(() -> new CoverageProcessor(settings, listener), Named.as("coverage"),
                        CHUNKS_STORE, PAIRS_STORE, DOCUMENTS_STORE, PENDING_STORE);
        out.filter((k, e) -> e.target() == Emit.Target.FACT).mapValues(e -> (Fact) e.value())
                .to(topics.facts.name(), topics.facts.produced());
        out.filter((k, e) -> e.target() == Emit.Target.DOCUMENT).mapValues(e -> (DocumentCoverage) e.value())
                .to(topics.coverage.name(), topics.coverage.produced());
        out.filter((k, e) -> e.target() == Emit.Target.REQUEST).mapValues(e -> (GenerationRequest) e.value())
                .to((chunkId, request, ctx) -> Topics.requestTopic(request.getTier()), topics.request("fast").produced());
        return builder.build();
    }

    static CoverageEvent pairEvent(String pairKey, ScoredPair scored) {
        String chunkId = scored != null ? scored.getPair().getChunkId() : chunkOf(pairKey);
        return CoverageEvent.newBuilder().setChunkId(chunkId).setPairKey(pairKey).setScored(scored).build();
    }

    /** pair key = chunk id + '#' + slot. */
    static String chunkOf(String pairKey) {
        int hash = pairKey.lastIndexOf('#');
        return hash < 0 ? pairKey : pairKey.substring(0, hash);
    }

    /** Every event of one document to one partition, its key (chunk id or pair key) kept. */
    private static StreamPartitioner<String, CoverageEvent> byDocument() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String key, CoverageEvent event, int numPartitions) {
                return Optional.of(Set.of(Partitions.of(FactInventory.documentOf(event.getChunkId()), numPartitions)));
            }
        };
    }

    /** A chunk (or its tombstone) with the offset of its record on ingest.chunks: its revision. */
    private static final class ChunkEvents implements FixedKeyProcessor<String, Chunk, CoverageEvent> {
        private FixedKeyProcessorContext<String, CoverageEvent> context;

        @Override
        public void init(FixedKeyProcessorContext<String, CoverageEvent> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Chunk> record) {
            long offset = context.recordMetadata().map(m -> m.offset())
                    .orElseThrow(() -> new IllegalStateException("chunk record without an offset"));
            context.forward(record.withValue(CoverageEvent.newBuilder().setChunkId(record.key()).setRevision(offset)
                    .setChunk(record.value()).build()));
        }
    }
}
