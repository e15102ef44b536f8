package dev.qastream.generation.router;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

import java.util.function.LongSupplier;

/** ingest.chunks -> generation.requests.{fast,balanced,quality}, by the chunk's complexity. */
public final class RouterTopology {
    private RouterTopology() {
    }

    public static Topology build(Topics topics, TierRouting routing, LongSupplier clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.chunks.name(), topics.chunks.consumed())
                // A tombstone means the chunk is gone: there is nothing to generate from it.
                .filter((chunkId, chunk) -> chunk != null)
                .mapValues(chunk -> GenerationRequest.newBuilder()
                        .setTier(routing.tierFor(chunk.getComplexity()))
                        .setChunk(chunk)
                        .setRoutedAtMs(clock.getAsLong())
                        .build())
                .to((chunkId, request, ctx) -> Topics.requestTopic(request.getTier()),
                        topics.request("fast").produced());
        return builder.build();
    }
}
