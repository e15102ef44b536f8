package dev.qastream.launcher;

import dev.qastream.generation.CacheKey;
import dev.qastream.generation.GenerationService;
import dev.qastream.llm.PairGenerator;
import dev.qastream.generation.router.TierRouting;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends chunks to generation again: every chunk (newest value of every key of ingest.chunks, its offset
 * being its revision) routed by complexity with today's settings, or the requests that ended on the DLQ.
 * The workers answer from the generation cache what they can; a plan counts, per tier, how many chunks
 * the cache does not cover, i.e. how many would reach a model.
 */
final class ChunkReplay {
    /**
     * One request to send, and whether the generation cache already covers it; {@code deadLetterKey} is its dead
     * letter's key on generation.dlq (the chunk id, or the chunk id and round of a coverage follow-up).
     */
    record Item(String chunkId, GenerationRequest request, boolean cached, String deadLetterKey) {
        Item(String chunkId, GenerationRequest request, boolean cached) {
            this(chunkId, request, cached, chunkId);
        }
    }

    record Plan(List<Item> items, int skipped) {
        /** tier -> {requests, reaching a model}, cheapest tier first. */
        Map<String, int[]> perTier() {
            Map<String, int[]> m = new LinkedHashMap<>();
            Topics.TIERS.forEach(t -> m.put(t, new int[2]));
            for (Item i : items) {
                int[] c = m.computeIfAbsent(i.request().getTier(), t -> new int[2]);
                c[0]++;
                if (!i.cached()) {
                    c[1]++;
                }
            }
            return m;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            int total = 0;
            int model = 0;
            for (var e : perTier().entrySet()) {
                b.append(String.format("  %-9s %6d chunks, %6d reach a model%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
                total += e.getValue()[0];
                model += e.getValue()[1];
            }
            b.append(String.format("  %-9s %6d chunks, %6d reach a model (the rest are answered from generation.cache)",
                    "total", total, model));
            return b.toString();
        }
    }

    private final ServiceContext ctx;
    private final PathMatcher documents;
    private final String tier;

    /** @param documentGlob null for all; @param tier null for all */
    ChunkReplay(ServiceContext ctx, String documentGlob, String tier) {
        this.ctx = ctx;
        this.documents = documentGlob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + documentGlob);
        if (tier != null && !Topics.TIERS.contains(tier)) {
            throw new IllegalArgumentException("unknown tier '" + tier + "'; tiers are " + Topics.TIERS);
        }
        this.tier = tier;
    }

    /** Every current chunk, routed as the router would route it now. */
    Plan planChunks() {
        Map<String, ConsumerRecord<String, Chunk>> chunks = currentChunks();
        TierRouting routing = TierRouting.from(ctx.config());
        Set<String> cache = cacheKeys();
        Map<String, PairGenerator> generators = new HashMap<>();
        List<Item> items = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, Chunk> r : chunks.values()) {
            Chunk chunk = r.value();
            String t = routing.tierFor(chunk.getComplexity());
            if (!matches(chunk.getDocumentId(), t)) {
                continue;
            }
            GenerationRequest request = GenerationRequest.newBuilder().setTier(t).setChunk(chunk).setRoutedAtMs(now)
                    .setRevision(r.offset()).build();
            items.add(new Item(r.key(), request, isCached(request, cache, generators)));
        }
        return new Plan(items, 0);
    }

    /**
     * The newest dead letter of each chunk, re-sent as it was requested, unless the chunk has changed since
     * (a newer revision went its own way) or is gone, or it was re-driven already: a re-drive writes a null
     * value for the chunk on generation.dlq after its request ({@link #markRedriven}); a dead letter that comes
     * after that marker (the re-driven request failed again) is open again.
     */
    Plan planDeadLetters() {
        Map<String, ConsumerRecord<String, Chunk>> chunks = currentChunks();
        // By key: a chunk's first pass and each of its follow-up rounds have dead letters of their own.
        Map<String, DeadLetter> newest = new TreeMap<>();
        for (ConsumerRecord<String, DeadLetter> r : TopicSnapshot.records(ctx.kafka(), ctx.topics().deadLetters)) {
            if (r.value() == null) {
                newest.remove(r.key()); // re-driven
                continue;
            }
            newest.merge(r.key(), r.value(),
                    (old, now) -> now.getRequest().getRevision() >= old.getRequest().getRevision() ? now : old);
        }
        Set<String> cache = cacheKeys();
        Map<String, PairGenerator> generators = new HashMap<>();
        List<Item> items = new ArrayList<>();
        int skipped = 0;
        long now = System.currentTimeMillis();
        for (var e : newest.entrySet()) {
            GenerationRequest req = e.getValue().getRequest();
            String chunkId = req.getChunk().getChunkId();
            ConsumerRecord<String, Chunk> current = chunks.get(chunkId);
            if (current == null || current.offset() > req.getRevision()) {
                skipped++;
                continue;
            }
            if (!matches(req.getChunk().getDocumentId(), req.getTier())) {
                continue;
            }
            GenerationRequest again = GenerationRequest.newBuilder(req).setRoutedAtMs(now).build();
            items.add(new Item(chunkId, again, isCached(again, cache, generators), e.getKey()));
        }
        return new Plan(items, skipped);
    }

    /**
     * Marks the plan's dead letters as re-driven: a null value for each chunk on generation.dlq, written after
     * its request, so that the next re-drive and {@code status} leave them out until one fails again. A crash
     * between the two leaves a dead letter open, to be re-driven once more (its answer then comes from the
     * generation cache): never one marked and not sent.
     */
    void markRedriven(Plan plan) {
        try (KafkaProducer<String, DeadLetter> producer = new KafkaProducer<>(ctx.kafka().producer("qastream-replay"),
                ctx.topics().deadLetters.keySerde().serializer(), ctx.topics().deadLetters.valueSerde().serializer())) {
            for (Item i : plan.items()) {
                producer.send(new ProducerRecord<>(Topics.GENERATION_DLQ, i.deadLetterKey(), null));
            }
            producer.flush();
        }
    }

    /** Publishes the plan's requests to their tiers' request topics; returns how many. */
    int send(Plan plan) {
        Topic<String, GenerationRequest> anyTier = ctx.topics().request("fast");
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(ctx.kafka().producer("qastream-replay"),
                anyTier.keySerde().serializer(), anyTier.valueSerde().serializer())) {
            for (Item i : plan.items()) {
                producer.send(new ProducerRecord<>(Topics.requestTopic(i.request().getTier()), i.chunkId(), i.request()));
            }
            producer.flush();
        }
        return plan.items().size();
    }

    private boolean matches(String documentId, String chunkTier) {
        return (documents == null || documents.matches(Path.of(documentId))) && (tier == null || tier.equals(chunkTier));
    }

    private boolean isCached(GenerationRequest request, Set<String> cache, Map<String, PairGenerator> generators) {
        PairGenerator g = generators.computeIfAbsent(request.getTier(), t -> GenerationService.generatorFor(ctx, t));
        return cache.contains(CacheKey.of(request, g));
    }

    /** Newest value of every key of ingest.chunks, with its offset (the revision); removed chunks left out. */
    private Map<String, ConsumerRecord<String, Chunk>> currentChunks() {
        return new TreeMap<>(TopicSnapshot.latestRecords(ctx.kafka(), ctx.topics().chunks));
    }

    /** Keys of generation.cache that hold an entry (values are not decoded). */
    private Set<String> cacheKeys() {
        Set<String> keys = new HashSet<>();
        Topic<String, byte[]> raw = new Topic<>(Topics.GENERATION_CACHE, Serdes.String(), Serdes.ByteArray(), true);
        for (ConsumerRecord<String, byte[]> r : TopicSnapshot.records(ctx.kafka(), raw)) {
            if (r.value() == null) {
                keys.remove(r.key());
            } else {
                keys.add(r.key());
            }
        }
        return keys;
    }
}
