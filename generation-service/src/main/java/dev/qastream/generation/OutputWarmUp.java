package dev.qastream.generation;

import dev.qastream.generation.worker.PairRecords;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.TermTiers;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

import java.util.List;

/**
 * Before a worker takes partitions: fetch the metadata of every topic it writes and serialize one sample
 * of every value type (which registers or looks up its schema). The first transaction then does not stall
 * the poll loop on the registry or on metadata, and a registry that cannot be reached fails the start
 * before any partition is held.
 */
final class OutputWarmUp {
    private OutputWarmUp() {
    }

    static void run(Producer<String, Object> producer, Serializer<Object> values, Topics topics) {
        List<String> outputs = List.of(topics.pairs.name(), topics.deadLetters.name(), topics.cache.name(),
                Topics.requestTopic("fast"), Topics.requestTopic("balanced"), Topics.requestTopic("quality"));
        outputs.forEach(producer::partitionsFor);
        Chunk chunk = Chunk.newBuilder().setChunkId("warm-up#0").setDocumentId("warm-up").setOrdinal(0).setText("")
                .setChecksum("").setTokenEstimate(0).setComplexity(0).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setQuality(ChunkQuality.newBuilder().build()).build();
        GenerationRequest request = GenerationRequest.newBuilder().setTier("fast").setChunk(chunk).setRoutedAtMs(0).build();
        values.serialize(topics.pairs.name(), PairRecords.removal("warm-up#0", "warm-up", 0, 0, "fast", 0));
        values.serialize(Topics.requestTopic("fast"), request);
        values.serialize(topics.deadLetters.name(), DeadLetter.newBuilder().setRequest(request).setReason("")
                .setAttempts(0).setFailedAtMs(0).build());
        values.serialize(topics.cache.name(), GenerationCacheEntry.newBuilder().setModel("").setBackend("")
                .setPromptVersion("").setParameters("").setChunkChecksum("").setPairs(List.of()).setCreatedAtMs(0).build());
    }
}
