package dev.qastream.launcher.bench;

import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.scoring.Batching;
import dev.qastream.scoring.Embedder;
import dev.qastream.scoring.MiniLmEmbedder;
import dev.qastream.scoring.PairJudge;
import dev.qastream.scoring.PairScorer;
import dev.qastream.scoring.ScoringListener;
import dev.qastream.scoring.ScoringSettings;
import dev.qastream.scoring.ScoringTopology;
import dev.qastream.scoring.SemanticScorer;
import dev.qastream.scoring.StructuralScorer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * Scoring throughput: pairs through the scoring topology (both steps, the real embedding model, persistent
 * state stores, Avro serdes; driven in process, no broker) beside the embedding model alone on the same
 * texts, in the same run, alternating, several rounds; prints medians. Pairs are batched as configured
 * ({@code scoring.batch.*}), the raw figure embeds batches of 64 texts. Each pair needs two texts embedded
 * (question and answer; chunk vectors are computed once per chunk and kept), so the ceiling of
 * {@code pairs_per_s} is half of {@code raw_embed_texts_per_s}.
 */
public final class ScoringBench {
    private static final int WARM_UP_ROUNDS = 2;
    private final Config config;
    private final int copies;
    private final int rounds;
    private final PrintStream out;

    public ScoringBench(Config config, int copies, int rounds, PrintStream out) {
        this.config = config;
        this.copies = copies;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() throws Exception {
        Chunker chunker = new Chunker(config.integer("ingest.max-tokens"), config.integer("ingest.overlap-tokens"));
        List<Chunk> chunks = new ArrayList<>();
        List<QaPair> pairs = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (String f : QualityBench.FIXTURES) {
                String id = "copy" + c + "/" + f;
                byte[] bytes;
                try (InputStream in = ScoringBench.class.getResourceAsStream("/bench/quality/" + f)) {
                    bytes = in.readAllBytes();
                }
                List<Chunk> docChunks = chunker.chunk(DocumentParsers.parse(id, bytes));
                chunks.addAll(docChunks);
                int slot = 0;
                for (QualitySet.Pair p : QualitySet.correct(QualitySet.doc(docChunks))) {
                    Chunk chunk = docChunks.get(slot % docChunks.size());
                    // A few words of the copy number keep texts distinct: no embedding is ever reused.
                    pairs.add(QaPair.newBuilder().setPairKey(chunk.getChunkId() + "#" + slot).setChunkId(chunk.getChunkId())
                            .setDocumentId(id).setSlot(slot).setQuestion(p.question())
                            .setAnswer(p.answer() + " (copy " + c + ")").setTier("fast").setBackend("bench").setModel("bench")
                            .setPromptVersion("bench").setChunkChecksum(chunk.getChecksum()).setGeneratedAtMs(0)
                            .setRevision(1).build());
                    slot++;
                }
            }
        }
        List<String> texts = new ArrayList<>();
        pairs.forEach(p -> {
            texts.add(p.getQuestion());
            texts.add(p.getAnswer());
        });
        out.printf("pairs: %d%nchunks: %d%nrounds: %d%n", pairs.size(), chunks.size(), rounds);
        TimedEmbedder embedder = new TimedEmbedder(MiniLmEmbedder.shared());
        ScoringSettings settings = ScoringSettings.from(config);
        PairScorer scorer = new PairScorer(new StructuralScorer(), new SemanticScorer(embedder, settings.domain()),
                settings, PairJudge.NONE, System::currentTimeMillis);
        // Warm-up: uncounted rounds, so the JIT has compiled both paths before anything is timed. The topology's
        // first round after one warm-up round still scored 0.05-0.2 below the later ones: two.
        raw(embedder, texts);
        Batching batching = Batching.from(config);
        out.printf("batch_pairs: %d%nbatch_linger_ms: %d%n", batching.pairs(), batching.linger().toMillis());
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            topology(scorer, batching, chunks, pairs, embedder);
        }
        List<Double> raws = new ArrayList<>();
        List<Double> through = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double raw = raw(embedder, texts);
            double pps = topology(scorer, batching, chunks, pairs, embedder);
            out.printf("round %d: chunks embedded on arrival in %.1f s (not in pairs_per_s); share of the pairs' time in the "
                    + "embedding model: %.2f%n", r + 1, lastChunkSeconds,
                    lastEmbedShare);
            raws.add(raw);
            through.add(pps);
            shares.add(pps / (raw / 2));
            out.printf("round %d: raw_embed_texts_per_s=%.0f pairs_per_s=%.1f share=%.2f%n", r + 1, raw, pps, pps / (raw / 2));
        }
        double raw = median(raws);
        double pps = median(through);
        out.printf("raw_embed_texts_per_s: %.0f%n", raw);
        out.printf("pairs_per_s: %.1f%n", pps);
        out.printf("raw_pair_limit_per_s: %.1f%n", raw / 2);
        // Per round, both figures come from the same minute of a noisy machine: the median of those ratios.
        out.printf("share_of_raw_limit: %.2f%n", median(shares));
    }

    /** Counts the time spent in the model, to tell the model's share of the topology's time. */
    private static final class TimedEmbedder implements Embedder {
        private final Embedder inner;
        volatile long nanos;

        TimedEmbedder(Embedder inner) {
            this.inner = inner;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            long t0 = System.nanoTime();
            try {
                return inner.embed(texts);
            } finally {
                nanos += System.nanoTime() - t0;
            }
        }
    }

    /** The model alone, in batches of 64 texts. */
    private static double raw(Embedder embedder, List<String> texts) {
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += 64) {
            embedder.embed(texts.subList(i, Math.min(texts.size(), i + 64)));
        }
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double lastChunkSeconds;
    private static double lastEmbedShare;

    private static double topology(PairScorer scorer, Batching batching, List<Chunk> chunks, List<QaPair> pairs,
                                   TimedEmbedder embedder)
            throws Exception {
        Topics topics = Topics.withPlainAvro();
        Path state = Files.createTempDirectory("qastream-bench-scoring");
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-scoring");
        long t0;
        int written;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                ScoringTopology.build(topics, scorer, ScoringListener.NONE, batching), props)) {
            TestInputTopic<String, Chunk> in = driver.createInputTopic(Topics.INGEST_CHUNKS,
                    topics.chunks.keySerde().serializer(), topics.chunks.valueSerde().serializer());
            TestInputTopic<String, QaPair> pairsIn = driver.createInputTopic(Topics.GENERATION_PAIRS,
                    topics.pairs.keySerde().serializer(), topics.pairs.valueSerde().serializer());
            TestOutputTopic<String, ScoredPair> outTopic = driver.createOutputTopic(Topics.SCORING_SCORED,
                    topics.scored.keySerde().deserializer(), topics.scored.valueSerde().deserializer());
            long c0 = System.nanoTime();
            chunks.forEach(c -> in.pipeInput(c.getChunkId(), c));
            embedOnArrival(driver, chunks.size());
            lastChunkSeconds = (System.nanoTime() - c0) / 1e9;
            long embedded = embedder.nanos;
            t0 = System.nanoTime();
            for (QaPair p : pairs) {
                pairsIn.pipeInput(p.getPairKey(), p);
            }
            driver.advanceWallClockTime(batching.linger()); // the last, partly filled batch
            written = outTopic.readValuesToList().size();
            lastEmbedShare = (embedder.nanos - embedded) / (double) (System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (var walk = Files.walk(state)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (written < pairs.size()) {
            throw new IllegalStateException("only " + written + " of " + pairs.size() + " pairs came out of the topology");
        }
        return pairs.size() / seconds;
    }

    /**
     * Lets the chunk-vector punctuation embed every chunk before the pairs come, as it does in a run, where a chunk's
     * pairs come after a model call. Its quiet period and time budget run on the real clock, its schedule on the
     * driver's: both advance here.
     */
    private static void embedOnArrival(TopologyTestDriver driver, int chunks) throws InterruptedException {
        KeyValueStore<String, byte[]> vectors = driver.getKeyValueStore(ScoringTopology.CHUNK_VECTOR_STORE);
        long deadline = System.nanoTime() + 300_000_000_000L;
        for (int stored = 0; stored < chunks; ) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + stored + " of " + chunks + " chunks were embedded on arrival");
            }
            Thread.sleep(100);
            driver.advanceWallClockTime(Duration.ofMillis(100));
            stored = 0;
            try (KeyValueIterator<String, byte[]> it = vectors.all()) {
                for (; it.hasNext(); it.next()) {
                    stored++;
                }
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
