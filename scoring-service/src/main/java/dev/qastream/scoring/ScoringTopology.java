package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Judgement;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * generation.pairs -> scoring.scored: every pair with its scores and reasons, accepted or not.
 *
 * <ol>
 *   <li>Pairs are re-keyed by chunk id and scored next to the chunk table (co-partitioned, so Kafka Streams
 *       orders both inputs by timestamp and a pair never overtakes the chunk it was made from). A pair older
 *       than the newest revision already seen for its chunk is dropped ({@link PairRevisions}); removals pass
 *       without scoring. Pairs are scored in batches ({@link ScoreProcessor}): the questions and answers of a
 *       batch are embedded in one call; each chunk version is embedded once, when it arrives (while its pairs
 *       are being generated), and kept in a store.</li>
 *   <li>Scored pairs are re-keyed by pair key, beside the optional judge's verdicts ({@link JudgeStep}): a pair
 *       that needs a verdict waits for it in a store while the judge stage (a worker of its own, never a stream
 *       thread) asks the model; the others pass at once.</li>
 *   <li>Scored pairs are written to the candidates topic, keyed by their dedup group (the document id, or the
 *       feature with {@code scoring.dedup-scope: feature}) and pair key, and deduplicated by an app of its own
 *       ({@link DedupTopology}).</li>
 * </ol>
 * Names a chunk lacks are looked up in a global catalogue of everything ingested ({@link CatalogueStore}).
 * Legacy null values pass through as null.
 */
public final class ScoringTopology {
    public static final String CHUNK_STORE = "chunks-by-id";
    public static final String REVISION_STORE = "pair-revisions";
    public static final String CHUNK_VECTOR_STORE = "chunk-vectors";
    public static final String DEDUP_STORE = DedupTopology.DEDUP_STORE;
    /** Pairs waiting for their embedding batch ({@link PendingPairs}). */
    public static final String PENDING_STORE = "pairs-awaiting-batch";
    /** Each pair's dedup group when deduplicating by feature: a removal has no chunk to tell it. */
    public static final String GROUP_STORE = "pair-dedup-groups";
    /** The judge's latest verdict per pair key: the table of scoring.judgements (restored from that topic itself). */
    public static final String VERDICT_STORE = "judge-verdicts";
    /** Pairs waiting for the judge's verdict ({@link JudgeStep}). */
    public static final String AWAITING_VERDICT_STORE = JudgeStep.WAITING_STORE;
    /** Marks a legacy null value turned into a removal for the trip through the repartition topics. */
    static final long LEGACY_TOMBSTONE = Long.MIN_VALUE;
    /** The internal topic of the catalogue; it must exist (compacted) before the app starts. */
    public static final String CATALOGUE_TOPIC = CatalogueStore.TOPIC;
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

    /** Each pair scored as it arrives, no listener: for tests that read the output pair by pair. */
    public static Topology build(Topics topics, PairScorer scorer) {
        return build(topics, scorer, ScoringListener.NONE, Batching.ONE_AT_A_TIME);
    }

    /**
     * Scoring and deduplication in one topology, through the candidates topic: what the topology tests drive. The
     * service runs them as two apps ({@link #buildScoring}, {@link DedupTopology}).
     *
     * @param listener sees every scored pair written (metrics); never a tombstone
     * @param batching how many pairs are embedded together, and how long one may wait for its batch
     */
    public static Topology build(Topics topics, PairScorer scorer, ScoringListener listener, Batching batching) {
        StreamsBuilder builder = new StreamsBuilder();
        addScoring(builder, topics, scorer, listener, batching);
        DedupTopology.add(builder, topics, scorer.settings(), listener);
        return builder.build(OPTIMIZATION);
    }

    /** generation.pairs -> candidates: steps 1 and 1b; deduplication is an app of its own ({@link DedupTopology}). */
    public static Topology buildScoring(Topics topics, PairScorer scorer, ScoringListener listener, Batching batching) {
        StreamsBuilder builder = new StreamsBuilder();
        addScoring(builder, topics, scorer, listener, batching);
        return builder.build(OPTIMIZATION);
    }

    private static void addScoring(StreamsBuilder builder, Topics topics, PairScorer scorer, ScoringListener listener,
                                   Batching batching) {
        KTable<String, Chunk> chunks = builder.table(topics.chunks.name(), topics.chunks.consumed(),
                Materialized.as(CHUNK_STORE));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CatalogueStore.KEYS_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CHUNK_VECTOR_STORE),
                Serdes.String(), Serdes.ByteArray()));
        if (scorer.semantic() != null) {
            // Chunks are embedded soon after they arrive, while their pairs are being generated (off the pairs'
            // path), in batches bounded by time.
            chunks.toStream().process(() -> new ChunkVectorProcessor(scorer.semantic()), CHUNK_VECTOR_STORE, CHUNK_STORE);
        }
        chunks.toStream().process(CatalogueStore.Feed::new, CatalogueStore.KEYS_STORE)
                .to(CATALOGUE_TOPIC, Produced.with(Serdes.String(), Serdes.String()));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CatalogueStore.GLOBAL_STORE),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                CATALOGUE_TOPIC, Consumed.with(Serdes.String(), Serdes.String()), CatalogueStore.Updater::new);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REVISION_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(PENDING_STORE),
                Serdes.Long(), PlainAvroSerde.of(QaPair.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUP_STORE),
                Serdes.String(), Serdes.String()));

        KStream<String, QaPair> pairs = builder.stream(topics.pairs.name(), topics.pairs.consumed());
        KStream<String, JudgeHop> scored = pairs
                .map((key, pair) -> pair == null ? KeyValue.pair(chunkIdOf(key), legacyRemoval(key))
                        : KeyValue.pair(pair.getChunkId(), OversizedPairs.cut(pair)))
                .repartition(Repartitioned.with(topics.pairs.keySerde(), topics.pairs.valueSerde()).withName("pairs-by-chunk"))
                .process(() -> new ScoreProcessor(scorer, batching, listener), CHUNK_STORE, REVISION_STORE, CHUNK_VECTOR_STORE,
                        PENDING_STORE, GROUP_STORE);
        judgeStep(builder, topics, scorer, listener, scored)
                .selectKey((group, envelope) -> Candidates.key(group, envelope.pairKey()))
                .to(topics.candidates.name(), Produced.with(Serdes.String(), Envelope.serde())
                        .withStreamPartitioner(new Candidates.ByGroup()));
    }

    /**
     * Step 1b, keyed by pair key beside the judge's verdicts ({@link JudgeStep}): pairs that need the judge wait for
     * its verdict, the others pass. Present with or without a judge, so that turning it on or off changes no
     * topology, and pairs left waiting by a judge turned off are passed on.
     */
    private static KStream<String, Envelope> judgeStep(StreamsBuilder builder, Topics topics, PairScorer scorer,
                                                       ScoringListener listener, KStream<String, JudgeHop> scored) {
        KTable<String, Judgement> verdicts = builder.table(topics.judgements.name(), topics.judgements.consumed(),
                Materialized.<String, Judgement, KeyValueStore<Bytes, byte[]>>as(VERDICT_STORE).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AWAITING_VERDICT_STORE),
                Serdes.String(), JudgeHop.serde()));
        // The join looks up the verdict known when a pair arrives; it also makes Kafka Streams give the repartition
        // topic as many partitions as scoring.judgements, so that a pair and its verdict meet in one task.
        KStream<String, JudgeStep.In> arrivals = scored
                .repartition(Repartitioned.with(Serdes.String(), JudgeHop.serde()).withName("scored-by-pair"))
                .leftJoin(verdicts, (hop, known) -> new JudgeStep.Arrival(hop, known));
        KStream<String, JudgeStep.In> answers = verdicts.toStream().mapValues(JudgeStep.Verdict::new);
        Map<String, KStream<String, JudgeStep.Out>> out = arrivals.merge(answers)
                .process(() -> new JudgeStep(scorer, scorer.judge() != PairJudge.NONE, listener), AWAITING_VERDICT_STORE)
                .split(Named.as("judge-"))
                .branch((key, o) -> o instanceof JudgeStep.Ask, Branched.as("ask"))
                .branch((key, o) -> o instanceof JudgeStep.Prune, Branched.as("prune"))
                .defaultBranch(Branched.as("decided"));
        out.get("judge-ask").mapValues(o -> ((JudgeStep.Ask) o).request())
                .to(topics.judgeRequests.name(), topics.judgeRequests.produced());
        out.get("judge-prune").mapValues(o -> (Judgement) null).to(topics.judgements.name(), topics.judgements.produced());
        return out.get("judge-decided").mapValues(o -> ((JudgeStep.Decided) o).envelope());
    }

    /** "doc.md#3#1" -> "doc.md#3": the pair key is the chunk id and the slot. */
    static String chunkIdOf(String pairKey) {
        int i = pairKey.lastIndexOf('#');
        return i < 0 ? pairKey : pairKey.substring(0, i);
    }

    private static QaPair legacyRemoval(String pairKey) {
        String chunkId = chunkIdOf(pairKey);
        return QaPair.newBuilder().setPairKey(pairKey).setChunkId(chunkId).setDocumentId(chunkIdOf(chunkId)).setSlot(0)
                .setQuestion("").setAnswer("").setTier("").setBackend("").setModel("").setPromptVersion("")
                .setChunkChecksum("").setGeneratedAtMs(0).setRevision(LEGACY_TOMBSTONE).setRemoved(true).build();
    }

    /**
     * Keeps each chunk version's embedding; a removed chunk's goes too. A chunk is not embedded as it arrives: a
     * commit flushes the chunk table's cache, which hands this processor every chunk read since the last commit at
     * once (thousands when a large corpus lands), all inside one transaction. Chunks wait here instead (their ids,
     * oldest first; the text is read from the table when their turn comes) and a punctuation embeds some, within a
     * time budget per stream thread ({@link ChunkEmbeddingBudget}), so a transaction never waits long on them, and
     * only once chunks have stopped arriving for a moment: while a corpus lands the thread reads chunks first (a
     * pair is scored only after the chunks before it). A pair whose chunk has no vector yet has it computed with
     * its batch ({@link ScoreProcessor}); its turn here then finds it stored and costs nothing. The waiting ids are not
     * kept across a restart: those chunks are embedded with their pairs.
     */
    static final class ChunkVectorProcessor implements Processor<String, Chunk, Void, Void> {
        /** Ids waiting per task at most (about 100 bytes each); chunks beyond are embedded with their pairs. */
        static final int MAX_WAITING = 1_000_000;
        static final Duration PUNCTUATE_EVERY = Duration.ofMillis(100);
        static final Duration QUIET = Duration.ofSeconds(1);
        private final SemanticScorer semantic;
        private final Set<String> waiting = new LinkedHashSet<>();
        private long lastArrivalNanos;
        private KeyValueStore<String, byte[]> store;
        private TimestampedKeyValueStore<String, Chunk> chunks;

        ChunkVectorProcessor(SemanticScorer semantic) {
            this.semantic = semantic;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(CHUNK_VECTOR_STORE);
            chunks = context.getStateStore(CHUNK_STORE);
            context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> embedWaiting());
        }

        @Override
        public void process(Record<String, Chunk> record) {
            lastArrivalNanos = System.nanoTime();
            if (record.value() == null) {
                store.delete(record.key());
                waiting.remove(record.key());
            } else if (stored(record.value(), store) == null && waiting.size() < MAX_WAITING) {
                waiting.add(record.key());
            }
        }

        /** Embeds waiting chunks, oldest first, while this thread's budget lasts. */
        private void embedWaiting() {
            if (System.nanoTime() - lastArrivalNanos < QUIET.toNanos()) {
                return;
            }
            ChunkEmbeddingBudget budget = ChunkEmbeddingBudget.ofThisThread();
            while (!waiting.isEmpty() && budget.available()) {
                long t0 = System.nanoTime();
                List<Chunk> batch = new ArrayList<>();
                Iterator<String> ids = waiting.iterator();
                for (int looked = 0; ids.hasNext() && batch.size() < budget.batchSize() && looked < 1_000; looked++) {
                    ValueAndTimestamp<Chunk> current = chunks.get(ids.next());
                    ids.remove();
                    // gone, or embedded meanwhile with a pair: nothing to do
                    if (current != null && current.value() != null && stored(current.value(), store) == null) {
                        batch.add(current.value());
                    }
                }
                if (!batch.isEmpty()) {
                    List<float[]> vectors = semantic.chunkVectors(batch.stream().map(Chunk::getText).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        put(batch.get(i), vectors.get(i), store);
                    }
                }
                budget.spent(System.nanoTime() - t0);
            }
        }

        /** The stored embedding of this chunk version; null when none, or only an older version's. */
        static float[] stored(Chunk chunk, KeyValueStore<String, byte[]> store) {
            byte[] checksum = chunk.getChecksum().getBytes(StandardCharsets.UTF_8);
            byte[] stored = store.get(chunk.getChunkId());
            if (stored != null) {
                int n = ByteBuffer.wrap(stored).getInt();
                if (n == checksum.length && java.util.Arrays.equals(stored, 4, 4 + n, checksum, 0, n)) {
                    return Vectors.fromBytes(stored, 4 + n, stored.length - 4 - n);
                }
            }
            return null;
        }

        static void put(Chunk chunk, float[] vector, KeyValueStore<String, byte[]> store) {
            byte[] checksum = chunk.getChecksum().getBytes(StandardCharsets.UTF_8);
            byte[] vec = Vectors.toBytes(vector);
            store.put(chunk.getChunkId(), ByteBuffer.allocate(4 + checksum.length + vec.length)
                    .putInt(checksum.length).put(checksum).put(vec).array());
        }
    }
}
