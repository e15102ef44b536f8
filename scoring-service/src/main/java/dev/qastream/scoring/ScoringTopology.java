package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.ValueJoiner;

import java.util.Properties;

/**
 * generation.pairs joined with the chunk table -> scoring.scored: every pair with its scores and
 * the reasons. Pairs are re-keyed by chunk id and joined to a co-partitioned KTable, so Kafka Streams
 * orders both inputs by timestamp and a pair never overtakes the chunk it was made from.
 * Tombstones pass through, so removed pairs leave the dataset too.
 */
public final class ScoringTopology {
    public static final String CHUNK_STORE = "chunks-by-id";
    /**
     * The chunk table is restored from ingest.chunks itself (compacted), not from a changelog topic
     * that would hold a second copy of every chunk. The Streams app must run with the same setting.
     */
    public static final Properties OPTIMIZATION = optimization();

    private ScoringTopology() {
    }

    private static Properties optimization() {
        Properties p = new Properties();
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return p;
    }

    public static Topology build(Topics topics, ValueJoiner<QaPair, Chunk, ScoredPair> scorer) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, Chunk> chunks = builder.table(topics.chunks.name(), topics.chunks.consumed(),
                Materialized.as(CHUNK_STORE));
        KStream<String, QaPair> pairs = builder.stream(topics.pairs.name(), topics.pairs.consumed());

        pairs.filter((key, pair) -> pair == null).mapValues(pair -> (ScoredPair) null)
                .to(topics.scored.name(), topics.scored.produced());
        pairs.filter((key, pair) -> pair != null)
                .selectKey((key, pair) -> pair.getChunkId())
                .repartition(Repartitioned.with(topics.pairs.keySerde(), topics.pairs.valueSerde()).withName("pairs-by-chunk"))
                .leftJoin(chunks, scorer, Joined.with(topics.pairs.keySerde(), topics.pairs.valueSerde(), topics.chunks.valueSerde()))
                .selectKey((chunkId, scored) -> scored.getPair().getPairKey())
                .to(topics.scored.name(), topics.scored.produced());
        return builder.build(OPTIMIZATION);
    }
}
