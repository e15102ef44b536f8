package dev.qastream.launcher.bench;

import dev.qastream.generation.router.TierRouting;
import dev.qastream.launcher.bench.ValueFactCoverage.Fact;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Coverage of parameter value facts on the LLM simulator, which like a real model answers only some of a chunk's
 * parameters per call: the corpus (and the project's feature-document fixtures, plus a few synthetic feature
 * documents rich in parameters) through the whole pipeline, then follow-ups naming the facts still uncovered, round
 * after round. Prints coverage after the first pass and after the follow-ups, the model calls spent (as a ratio to the
 * first pass's), and pairs per covered fact.
 *
 * <p>Follow-ups come from the pipeline when it sends them itself (requests of round 1 or more appear on the request
 * topics); else the bench sends them, as that trigger would. Coverage is the bench's own count ({@link ValueFactCoverage})
 * from scoring.scored; the coverage topic, when the pipeline has one, is named beside it.
 */
public final class CoverageBench {
    public record Options(Path corpus, int corpusDocs, int featureDocs, int featureDocKb, int rounds, int factsPerCall,
                          double wrongFactRate, int slots, Path workDir, boolean verbose) {
    }

    private final Options o;
    private final PrintStream out;

    public CoverageBench(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    public void run() throws Exception {
        Path work = o.workDir().toAbsolutePath();
        wipe(work);
        Path inbox = work.resolve("inbox");
        int docs = fillInbox(inbox);
        SimulatorConfig simConfig = SimulatorConfig.builder().slots(o.slots()).maxQueue(4096)
                .factsPerCall(o.factsPerCall()).wrongFactRate(o.wrongFactRate()).build();
        long t0 = System.nanoTime();
        try (LlmSimulator sim = LlmSimulator.start(simConfig)) {
            Config config = config(work, inbox, sim.baseUrl());
            progress(t0, "%d documents in the inbox; starting the pipeline (simulator: %s parameters per call)", docs,
                    o.factsPerCall() == 0 ? "a third of a chunk's" : String.valueOf(o.factsPerCall()));
            try (dev.qastream.launcher.Stack stack = dev.qastream.launcher.Stack.start(config)) {
                ServiceContext ctx = stack.context();
                var scan = stack.ingest().scanUntilSettled();
                progress(t0, "ingested %d documents, %d chunks; generating the first pass", scan.ingested(), scan.chunksSent());
                drain(stack, t0);
                Map<String, ConsumerRecord<String, Chunk>> chunks = liveChunks(ctx);
                Map<String, List<Fact>> inventory = ValueFactCoverage.inventory(chunks.values().stream().map(ConsumerRecord::value).toList());
                int facts = inventory.values().stream().mapToInt(List::size).sum();
                Map<String, ScoredPair> scored = TopicSnapshot.latest(ctx.kafka(), ctx.topics().scored);
                int firstCovered = ValueFactCoverage.covered(inventory, scored.values().stream()
                        .filter(s -> s.getPair().getRound() == 0).toList()).size();
                int firstCalls = firstPassCalls(sim);
                progress(t0, "first pass: %d of %d value facts covered, %d model calls", firstCovered, facts, firstCalls);
                rejections(scored.values(), t0);

                boolean pipelineFollowUps = followUpRequestsSeen(ctx);
                Set<String> covered = ValueFactCoverage.covered(inventory, scored.values());
                for (int round = 1; round <= o.rounds() && !pipelineFollowUps && covered.size() < facts; round++) {
                    int sent = sendFollowUps(ctx, config, chunks, inventory, covered, round);
                    progress(t0, "round %d: %d follow-ups sent for %d uncovered facts", round, sent, facts - covered.size());
                    drain(stack, t0);
                    covered = ValueFactCoverage.covered(inventory, TopicSnapshot.latest(ctx.kafka(), ctx.topics().scored).values());
                    progress(t0, "after round %d: %d of %d value facts covered, %d model calls", round, covered.size(), facts, sim.calls());
                }
                Map<String, ScoredPair> finalScored = TopicSnapshot.latest(ctx.kafka(), ctx.topics().scored);
                Set<String> done = covered;
                List<Fact> open = inventory.values().stream().flatMap(List::stream).filter(f -> !done.contains(f.id())).toList();
                if (!open.isEmpty()) {
                    progress(t0, "still uncovered (%d), e.g. %s", open.size(), open.stream().limit(8)
                            .map(f -> f.kind() + " " + f.subject() + "=" + f.value()).toList());
                    rejections(finalScored.values().stream().filter(x -> x.getPair().getRound() > 0).toList(), t0);
                    for (Fact f : open.stream().limit(o.verbose() ? 5 : 0).toList()) {
                        finalScored.values().stream().filter(x -> x.getPair().getChunkId().equals(f.chunkId())
                                        && x.getPair().getAnswer().contains(f.bare()))
                                .forEach(x -> progress(t0, "  %s, round %d, %s: %s %s", f.subject(), x.getPair().getRound(),
                                        x.getAccepted() ? "accepted" : "rejected", x.getPair().getAnswer(), x.getReasons()));
                    }
                }
                progress(t0, "follow-up requests by round: %s", followUpsByRound(ctx));
                progress(t0, "value facts named by round, and still uncovered at the end: %s", yieldByRound(ctx, o.verbose()));
                long livePairs = finalScored.values().stream().filter(s -> !s.getPair().getRemoved()).count();
                report(chunks.size(), facts, firstCovered, covered.size(), firstCalls, sim.calls(), livePairs,
                        pipelineFollowUps, pipelineCoverage(ctx), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private void report(int chunks, int facts, int firstCovered, int covered, int firstCalls, int calls, long pairs,
                        boolean pipelineFollowUps, List<String> pipelineCoverage, double seconds) {
        double first = facts == 0 ? 0 : 100.0 * firstCovered / facts;
        double after = facts == 0 ? 0 : 100.0 * covered / facts;
        double ratio = firstCalls == 0 ? 0 : (double) calls / firstCalls;
        out.printf("chunks: %d%n", chunks);
        out.printf("parameter_value_facts: %d%n", facts);
        out.printf("coverage_first_pass_pct: %.1f%n", first);
        out.printf("coverage_after_follow_ups_pct: %.1f%n", after);
        out.printf("model_calls_first_pass: %d%n", firstCalls);
        out.printf("model_calls_total: %d%n", calls);
        out.printf("model_calls_ratio: %.2f%n", ratio);
        out.printf("extra_model_calls: %d%n", calls - firstCalls);
        out.printf("pairs_per_covered_fact: %.2f%n", covered == 0 ? 0 : (double) pairs / covered);
        out.printf("follow_ups_from: %s%n", pipelineFollowUps ? "pipeline" : "bench");
        pipelineCoverage.forEach(out::println);
        out.printf("goal_met: %s (>= 95%% covered with at most 1.3x the calls of one pass)%n", after >= 95 && ratio <= 1.3);
        out.printf("seconds: %.0f%n", seconds);
    }

    /** Why pairs were rejected, most common first: what keeps stated facts from counting. */
    private void rejections(java.util.Collection<ScoredPair> scored, long t0) {
        Map<String, Long> reasons = new HashMap<>();
        long rejected = 0;
        for (ScoredPair s : scored) {
            if (!s.getAccepted() && !s.getPair().getRemoved()) {
                rejected++;
                s.getReasons().forEach(r -> reasons.merge(r.replaceAll("[0-9.]+", "#"), 1L, Long::sum));
            }
        }
        progress(t0, "%d pairs scored, %d rejected; reasons: %s", scored.stream().filter(s -> !s.getPair().getRemoved()).count(),
                rejected, reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                        .map(e -> e.getValue() + "x " + e.getKey()).toList());
    }

    /** One request per chunk with uncovered facts, naming them, as a follow-up of {@code round}; returns how many. */
    private static int sendFollowUps(ServiceContext ctx, Config config, Map<String, ConsumerRecord<String, Chunk>> chunks,
                                     Map<String, List<Fact>> inventory, Set<String> covered, int round) {
        TierRouting routing = TierRouting.from(config);
        Topic<String, GenerationRequest> anyTier = ctx.topics().request("fast");
        int sent = 0;
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(ctx.kafka().producer("coverage-bench"),
                anyTier.keySerde().serializer(), anyTier.valueSerde().serializer())) {
            for (var e : inventory.entrySet()) {
                List<Fact> open = e.getValue().stream().filter(f -> !covered.contains(f.id())).toList();
                ConsumerRecord<String, Chunk> chunk = chunks.get(e.getKey());
                if (open.isEmpty() || chunk == null) {
                    continue;
                }
                String tier = routing.tierFor(chunk.value().getComplexity());
                GenerationRequest request = GenerationRequest.newBuilder().setTier(tier).setChunk(chunk.value())
                        .setRoutedAtMs(System.currentTimeMillis()).setRevision(chunk.offset())
                        .setFocus(open.stream().map(Fact::focus).toList()).setRound(round).build();
                producer.send(new ProducerRecord<>(Topics.requestTopic(tier), e.getKey(), request));
                sent++;
            }
            producer.flush();
        }
        return sent;
    }

    /** Generation calls whose prompt named no facts: the first pass's (and its retries). */
    private static int firstPassCalls(LlmSimulator sim) {
        return (int) sim.requests().stream().map(r -> r.message("user"))
                .filter(u -> u != null && u.contains("<document>") && !u.contains("<facts>")).count();
    }

    /** Follow-up requests on the request topics (all tiers), counted by round. */
    private static Map<Integer, Long> followUpsByRound(ServiceContext ctx) {
        Map<Integer, Long> rounds = new java.util.TreeMap<>();
        for (String tier : Topics.TIERS) {
            TopicSnapshot.records(ctx.kafka(), ctx.topics().request(tier)).stream()
                    .filter(r -> r.value() != null && r.value().getRound() > 0)
                    .forEach(r -> rounds.merge(r.value().getRound(), 1L, Long::sum));
        }
        return rounds;
    }

    /** Per round: value facts its follow-ups named, and how many of those are still uncovered at the end and why (each, verbose). */
    private static Map<Integer, String> yieldByRound(ServiceContext ctx, boolean verbose) {
        Map<String, String> open = new HashMap<>();
        TopicSnapshot.latest(ctx.kafka(), ctx.topics().coverage).values().stream().filter(java.util.Objects::nonNull)
                .forEach(d -> d.getUncovered().forEach(u -> open.put(u.getFactId(), u.getReason()
                        + (verbose ? " " + u.getFactId() + " " + u.getValue() + " " + u.getDetail() : ""))));
        Map<Integer, int[]> counts = new java.util.TreeMap<>();
        Map<Integer, Map<String, Integer>> reasons = new java.util.TreeMap<>();
        for (String tier : Topics.TIERS) {
            for (var r : TopicSnapshot.records(ctx.kafka(), ctx.topics().request(tier))) {
                if (r.value() == null || r.value().getRound() == 0) {
                    continue;
                }
                int[] c = counts.computeIfAbsent(r.value().getRound(), k -> new int[2]);
                r.value().getFocus().stream().filter(f -> f.getValue() != null).forEach(f -> {
                    c[0]++;
                    if (open.containsKey(f.getFactId())) {
                        c[1]++;
                        reasons.computeIfAbsent(r.value().getRound(), k -> new java.util.TreeMap<>())
                                .merge(open.get(f.getFactId()), 1, Integer::sum);
                    }
                });
            }
        }
        Map<Integer, String> out = new java.util.TreeMap<>();
        counts.forEach((round, c) -> out.put(round, c[0] + " named, " + c[1] + " still uncovered " + reasons.get(round)));
        return out;
    }

    private static boolean followUpRequestsSeen(ServiceContext ctx) {
        for (String tier : Topics.TIERS) {
            if (TopicSnapshot.records(ctx.kafka(), ctx.topics().request(tier)).stream()
                    .anyMatch(r -> r.value() != null && r.value().getRound() > 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pipeline's own coverage (coverage.documents): parameter value facts covered and all facts covered, as
     * "name: value" lines; nothing when the stage has written nothing.
     */
    private static List<String> pipelineCoverage(ServiceContext ctx) {
        long valueFacts = 0, valueCovered = 0, facts = 0, covered = 0;
        Map<String, dev.qastream.schemas.DocumentCoverage> docs = TopicSnapshot.latest(ctx.kafka(), ctx.topics().coverage);
        for (dev.qastream.schemas.DocumentCoverage d : docs.values()) {
            if (d == null) {
                continue;
            }
            facts += d.getFacts();
            covered += d.getCovered();
            for (dev.qastream.schemas.KindCoverage k : d.getKinds()) {
                if (VALUE_KINDS.contains(k.getKind())) {
                    valueFacts += k.getFacts();
                    valueCovered += k.getCovered();
                }
            }
        }
        if (docs.isEmpty()) {
            return List.of();
        }
        return List.of("pipeline_documents: " + docs.size(),
                "pipeline_parameter_value_facts: " + valueFacts,
                String.format("pipeline_parameter_value_covered_pct: %.1f", valueFacts == 0 ? 0 : 100.0 * valueCovered / valueFacts),
                "pipeline_facts: " + facts,
                String.format("pipeline_facts_covered_pct: %.1f", facts == 0 ? 0 : 100.0 * covered / facts));
    }

    private static final Set<String> VALUE_KINDS = Set.of("parameter.default", "parameter.values", "parameter.unit",
            "parameter.mo-class");

    private static Map<String, ConsumerRecord<String, Chunk>> liveChunks(ServiceContext ctx) {
        return TopicSnapshot.latestRecords(ctx.kafka(), ctx.topics().chunks);
    }

    private void drain(dev.qastream.launcher.Stack stack, long t0) throws InterruptedException {
        String lagging = dev.qastream.launcher.Drain.await(stack, Duration.ofMinutes(20), s -> progress(t0, "%s", s));
        if (lagging != null) {
            throw new IllegalStateException("the pipeline did not drain: " + lagging);
        }
    }

    private Config config(Path work, Path inbox, String simUrl) {
        Map<String, String> c = new HashMap<>(Map.of(
                "data-dir", work.resolve("data").toString(),
                "inbox", inbox.toString(),
                "out", work.resolve("out").toString(),
                "http.port", "0",
                "ingest.settle-ms", "200",
                "generation.retry-backoff-ms", "50"));
        for (String tier : Topics.TIERS) {
            c.put("tiers." + tier + ".backend", "ollama");
            c.put("tiers." + tier + ".base-url", simUrl);
            c.put("tiers." + tier + ".max-concurrency", String.valueOf(Math.max(1, o.slots() / 2)));
        }
        c.put("generation.server-slots", String.valueOf(o.slots()));
        return Config.load(null).with(c);
    }

    /** The corpus's first documents, the project's feature-document fixtures, and synthetic feature documents. */
    private int fillInbox(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        int n = 0;
        if (o.corpus() != null && Files.isDirectory(o.corpus())) {
            n += copy(o.corpus(), inbox.resolve("corpus"), o.corpusDocs());
        }
        for (String fixtures : List.of("launcher/src/test/resources/e2e/inbox", "ingest-service/src/test/resources/fixtures/ericsson")) {
            for (Path base : List.of(Path.of(""), Path.of(".."))) {
                Path dir = base.resolve(fixtures);
                if (Files.isDirectory(dir)) {
                    n += copy(dir, inbox.resolve("fixtures").resolve(dir.getFileName().toString()), Integer.MAX_VALUE);
                    break;
                }
            }
        }
        if (o.featureDocs() > 0) {
            n += FeatureDocs.write(inbox.resolve("features"), o.featureDocs(), o.featureDocKb() * 1024L).size();
        }
        return n;
    }

    private static int copy(Path from, Path to, int limit) throws IOException {
        List<Path> docs;
        try (Stream<Path> files = Files.walk(from)) {
            docs = files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".md")).sorted().limit(limit).toList();
        }
        for (Path d : docs) {
            Path target = to.resolve(from.relativize(d).toString());
            Files.createDirectories(target.getParent());
            Files.copy(d, target);
        }
        return docs.size();
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void progress(long t0, String format, Object... args) {
        out.printf("[%4.0fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
        out.flush();
    }
}
