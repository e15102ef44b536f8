package dev.qastream.runtime.kafka;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.IngestError;
import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;

/**
 * Every topic of the pipeline, its name and its serdes, in one place.
 * Keys are plain strings that carry identity (document id, chunk id, pair key),
 * so compaction keeps the newest version of each thing and a tombstone removes it.
 */
public final class Topics {
    public static final String INGEST_DOCUMENTS = "ingest.documents";
    public static final String INGEST_CHUNKS = "ingest.chunks";
    public static final String INGEST_ERRORS = "ingest.errors";
    public static final String REQUESTS_PREFIX = "generation.requests.";
    public static final String GENERATION_PAIRS = "generation.pairs";
    public static final String GENERATION_DLQ = "generation.dlq";
    /**
     * Request records no schema can read, as they were (raw bytes), with why and where from in headers
     * ({@link #DLQ_REASON_HEADER} ...): generation.dlq holds requests that were read but could not be generated.
     */
    public static final String GENERATION_REQUESTS_DLQ = "generation.requests.dlq";
    public static final String DLQ_REASON_HEADER = "dlq.reason";
    public static final String DLQ_TOPIC_HEADER = "dlq.source.topic";
    public static final String DLQ_PARTITION_HEADER = "dlq.source.partition";
    public static final String DLQ_OFFSET_HEADER = "dlq.source.offset";
    public static final String GENERATION_CACHE = "generation.cache";
    public static final String SCORING_SCORED = "scoring.scored";
    /** Pairs that wait for the optional judge's verdict, keyed by pair key; the judge stage consumes them. */
    public static final String SCORING_JUDGE_REQUESTS = "scoring.judge.requests";
    /** The judge's latest verdict per pair key (compacted); scoring completes the waiting pairs from it. */
    public static final String SCORING_JUDGEMENTS = "scoring.judgements";
    public static final String DATASET_PAIRS = "dataset.pairs";
    /** A person's latest decision per pair key (compacted), written by the review workbench; the sink applies them. */
    public static final String REVIEW_DECISIONS = "review.decisions";
    /** Every fact each chunk states (compacted, keyed by fact id; tombstoned when the chunk no longer states it). */
    public static final String COVERAGE_FACTS = "coverage.facts";
    /** Per document (compacted): how many of its facts accepted pairs cover, and why the others are not. */
    public static final String COVERAGE_DOCUMENTS = "coverage.documents";
    /** Each Streams app's dead-letter topic: records it could not read or process, as they were, reason in headers. */
    public static final String ROUTER_DLQ = "router.dlq";
    public static final String SCORING_DLQ = "scoring.dlq";
    public static final String SINK_DLQ = "sink.dlq";
    public static final String COVERAGE_DLQ = "coverage.dlq";
    /** The Streams apps' dead-letter topics, pipeline order. */
    public static final List<String> STREAMS_DLQS = List.of(ROUTER_DLQ, SCORING_DLQ, SINK_DLQ, COVERAGE_DLQ);
    /** Scoring's catalogue of every parameter and counter name ingested (a global table, so not Streams-managed). */
    public static final String SCORING_CATALOGUE = "qastream-scoring-catalogue";
    /**
     * Pairs scored on their merits, on their way to deduplication, a Streams app of its own (compacted, keyed by
     * dedup group + NUL + pair key, partitioned by the group; binary values only scoring reads).
     */
    public static final String SCORING_CANDIDATES = "qastream-scoring-candidates";

    /** The three model tiers, cheapest first. */
    public static final List<String> TIERS = List.of("fast", "balanced", "quality");

    public final Topic<String, DocumentRecord> documents;
    public final Topic<String, Chunk> chunks;
    public final Topic<String, IngestError> errors;
    public final Map<String, Topic<String, GenerationRequest>> requests;
    public final Topic<String, QaPair> pairs;
    public final Topic<String, DeadLetter> deadLetters;
    public final Topic<String, byte[]> requestDeadLetters;
    public final Topic<String, GenerationCacheEntry> cache;
    public final Topic<String, ScoredPair> scored;
    public final Topic<String, JudgeRequest> judgeRequests;
    public final Topic<String, Judgement> judgements;
    public final Topic<String, DatasetRecord> dataset;
    public final Topic<String, ReviewDecision> reviewDecisions;
    public final Topic<String, String> catalogue;
    public final Topic<String, byte[]> candidates;
    public final Topic<String, Fact> facts;
    public final Topic<String, DocumentCoverage> coverage;
    /** Raw bytes both ways: a dead letter is whatever could not be read, kept as it was. */
    public final Topic<byte[], byte[]> routerDeadLetters;
    public final Topic<byte[], byte[]> scoringDeadLetters;
    public final Topic<byte[], byte[]> sinkDeadLetters;
    public final Topic<byte[], byte[]> coverageDeadLetters;

    public Topics(ValueSerdeFactory values) {
        Serde<String> keys = Serdes.String();
        documents = new Topic<>(INGEST_DOCUMENTS, keys, values.serde(DocumentRecord.class), true);
        chunks = new Topic<>(INGEST_CHUNKS, keys, values.serde(Chunk.class), true);
        errors = new Topic<>(INGEST_ERRORS, keys, values.serde(IngestError.class), false);
        Serde<GenerationRequest> requestSerde = values.serde(GenerationRequest.class);
        // Requests never expire (TopicLayout): a worker that is down for weeks still finds them.
        requests = Map.of(
                "fast", new Topic<>(requestTopic("fast"), keys, requestSerde, false),
                "balanced", new Topic<>(requestTopic("balanced"), keys, requestSerde, false),
                "quality", new Topic<>(requestTopic("quality"), keys, requestSerde, false));
        pairs = new Topic<>(GENERATION_PAIRS, keys, values.serde(QaPair.class), true);
        deadLetters = new Topic<>(GENERATION_DLQ, keys, values.serde(DeadLetter.class), false);
        requestDeadLetters = new Topic<>(GENERATION_REQUESTS_DLQ, keys, Serdes.ByteArray(), false);
        cache = new Topic<>(GENERATION_CACHE, keys, values.serde(GenerationCacheEntry.class), true);
        scored = new Topic<>(SCORING_SCORED, keys, values.serde(ScoredPair.class), true);
        judgeRequests = new Topic<>(SCORING_JUDGE_REQUESTS, keys, values.serde(JudgeRequest.class), false);
        judgements = new Topic<>(SCORING_JUDGEMENTS, keys, values.serde(Judgement.class), true);
        dataset = new Topic<>(DATASET_PAIRS, keys, values.serde(DatasetRecord.class), true);
        reviewDecisions = new Topic<>(REVIEW_DECISIONS, keys, values.serde(ReviewDecision.class), true);
        catalogue = new Topic<>(SCORING_CATALOGUE, keys, Serdes.String(), true);
        candidates = new Topic<>(SCORING_CANDIDATES, keys, Serdes.ByteArray(), true);
        facts = new Topic<>(COVERAGE_FACTS, keys, values.serde(Fact.class), true);
        coverage = new Topic<>(COVERAGE_DOCUMENTS, keys, values.serde(DocumentCoverage.class), true);
        routerDeadLetters = new Topic<>(ROUTER_DLQ, Serdes.ByteArray(), Serdes.ByteArray(), false);
        scoringDeadLetters = new Topic<>(SCORING_DLQ, Serdes.ByteArray(), Serdes.ByteArray(), false);
        sinkDeadLetters = new Topic<>(SINK_DLQ, Serdes.ByteArray(), Serdes.ByteArray(), false);
        coverageDeadLetters = new Topic<>(COVERAGE_DLQ, Serdes.ByteArray(), Serdes.ByteArray(), false);
    }

    /** Topics with registry-free Avro serdes: for TopologyTestDriver tests and tools that need no registry. */
    public static Topics withPlainAvro() {
        return new Topics(new ValueSerdeFactory() {
            @Override
            public <T extends org.apache.avro.specific.SpecificRecord> Serde<T> serde(Class<T> type) {
                return dev.qastream.runtime.serde.PlainAvroSerde.of(type);
            }
        });
    }

    public static String requestTopic(String tier) {
        return REQUESTS_PREFIX + tier;
    }

    public Topic<String, GenerationRequest> request(String tier) {
        Topic<String, GenerationRequest> t = requests.get(tier);
        if (t == null) {
            throw new IllegalArgumentException("unknown tier '" + tier + "'; tiers are " + TIERS);
        }
        return t;
    }

    public List<Topic<?, ?>> all() {
        return List.of(documents, chunks, errors, requests.get("fast"), requests.get("balanced"),
                requests.get("quality"), pairs, deadLetters, requestDeadLetters, cache, scored, judgeRequests, judgements,
                dataset, reviewDecisions, catalogue, candidates, facts, coverage, routerDeadLetters, scoringDeadLetters,
                sinkDeadLetters, coverageDeadLetters);
    }
}
