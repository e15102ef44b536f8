package dev.qastream.generation.router;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * ingest.chunks -> generation.requests.{fast,balanced,quality}, by the chunk's complexity.
 * A removed chunk (tombstone) removes its pairs instead: a tombstone on generation.pairs for every
 * slot it could have filled, which scoring and the sink carry through to the dataset.
 */
public final class RouterTopology {
    private RouterTopology() {
    }

    public static Topology build(Topics topics, TierRouting routing, int maxPairsPerChunk, LongSupplier clock) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Chunk> chunks = builder.stream(topics.chunks.name(), topics.chunks.consumed());
        chunks.filter((chunkId, chunk) -> chunk != null)
                .mapValues(chunk -> GenerationRequest.newBuilder()
                        .setTier(routing.tierFor(chunk.getComplexity()))
                        .setChunk(chunk)
                        .setRoutedAtMs(clock.getAsLong())
                        .build())
                .to((chunkId, request, ctx) -> Topics.requestTopic(request.getTier()),
                        topics.request("fast").produced());
        chunks.filter((chunkId, chunk) -> chunk == null)
                .flatMap((chunkId, chunk) -> pairTombstones(chunkId, maxPairsPerChunk))
                .to(topics.pairs.name(), topics.pairs.produced());
        return builder.build();
    }

    private static List<KeyValue<String, QaPair>> pairTombstones(String chunkId, int slots) {
        return IntStream.range(0, slots).mapToObj(slot -> KeyValue.pair(chunkId + "#" + slot, (QaPair) null)).toList();
    }
}
