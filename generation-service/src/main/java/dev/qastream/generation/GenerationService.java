package dev.qastream.generation;

import dev.qastream.llm.PairGenerator;

import dev.qastream.llm.extractive.ExtractiveGenerator;
import dev.qastream.generation.router.RouterTopology;
import dev.qastream.generation.worker.CacheView;
import dev.qastream.generation.worker.EmptyChunks;
import dev.qastream.generation.worker.ModelServers;
import dev.qastream.generation.worker.RevisionView;
import dev.qastream.generation.worker.Supervisor;
import dev.qastream.generation.router.TierRouting;
import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.kafka.Topics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The router (a Kafka Streams app) plus one supervised worker per tier, each in its tier's consumer group,
 * so tiers scale and lag independently (N processes of this service share each tier's partitions). The
 * workers of this process share one view of the generation cache and one set of server slots and
 * breakers per model server.
 */
public final class GenerationService implements Service {
    public static final String ROUTER_APP_ID = "qastream-router";

    private final ServiceContext ctx;
    private final StreamsService router;
    private final BiFunction<ServiceContext, String, PairGenerator> generators;
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final EmptyChunks emptyChunks = new EmptyChunks();
    private CacheView cache;
    private RevisionView revisions;
    private final Map<String, PairGenerator> tierGenerators = new java.util.concurrent.ConcurrentHashMap<>();
    private List<String> modelHealth = List.of();
    private long modelHealthAtMs;
    static final long MODEL_HEALTH_TTL_MS = 30_000;

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, GenerationService::new);
    }

    public GenerationService(ServiceContext ctx) {
        this(ctx, GenerationService::generatorFor);
    }

    /** With the generators given per tier (tests, tools); the configuration's otherwise. */
    public GenerationService(ServiceContext ctx, BiFunction<ServiceContext, String, PairGenerator> generators) {
        this.ctx = ctx;
        this.generators = generators;
        this.router = new StreamsService("router", ROUTER_APP_ID,
                RouterTopology.build(ctx.topics(), TierRouting.from(ctx.config()),
                        dev.qastream.generation.worker.RoundSlots.of(ctx.config()), System::currentTimeMillis),
                ctx.kafka().streams(ROUTER_APP_ID, Topics.ROUTER_DLQ), List.of(Topics.INGEST_CHUNKS), ctx.meters());
    }

    public static String groupId(String tier) {
        return "qastream-generation-" + tier;
    }

    /** The generator a tier's configuration names. */
    public static PairGenerator generatorFor(ServiceContext ctx, String tier) {
        return dev.qastream.llm.Generators.forTier(ctx.config(), tier);
    }

    /**
     * The most recent chunks (up to {@value EmptyChunks#KEPT}) that yielded zero usable pairs, with the tier
     * and reason, for a summary that names them; the counts are {@code qastream.generation.empty{tier,reason}}.
     */
    public List<EmptyChunks.Entry> emptyChunks() {
        return emptyChunks.recent();
    }

    @Override
    public String name() {
        return "generation";
    }

    @Override
    public void start() {
        router.start();
        cache = new CacheView(ctx.kafka(), ctx.topics().cache, ctx.config().integer("generation.cache.keep-prompt-versions"));
        revisions = new RevisionView(ctx.kafka(), Topics.INGEST_CHUNKS);
        ModelServers servers = new ModelServers(ctx.config(), ctx.meters());
        for (String tier : Topics.TIERS) {
            PairGenerator generator = generators.apply(ctx, tier);
            tierGenerators.put(tier, generator);
            supervisors.add(new Supervisor("generation-" + tier,
                    () -> new GenerationWorker(ctx, tier, generator, groupId(tier), cache, servers, emptyChunks,
                            revisions)).start());
        }
    }

    /** The generator each tier's worker uses (after {@link #start()}), e.g. to record what a replay must match. */
    public Map<String, PairGenerator> generators() {
        return Map.copyOf(tierGenerators);
    }

    @Override
    public boolean healthy() {
        return router.healthy() && cache != null && cache.healthy() && supervisors.stream().allMatch(Supervisor::healthy);
    }

    /** The router's own health (dead letters, restarts, stalls) beside the workers' and the cache view's. */
    @Override
    public dev.qastream.runtime.Health health() {
        boolean workers = cache != null && cache.healthy() && supervisors.stream().allMatch(Supervisor::healthy);
        return dev.qastream.runtime.Health.combine(List.of(
                new dev.qastream.runtime.Health.Named("router", router.health()),
                new dev.qastream.runtime.Health.Named("workers", dev.qastream.runtime.Health.of(workers))));
    }

    /**
     * One line per tier on its model server, for {@code /health} (a detail, not a failure: a tier whose server is
     * missing waits and retries, and an {@code auto} tier that fell back to builtin works): "fast: ok: ...",
     * "balanced: MISSING: tier balanced: no Ollama at ...; start Ollama ...". Probed at most every 30 s.
     */
    public synchronized List<String> modelHealth() {
        long now = System.currentTimeMillis();
        if (modelHealthAtMs == 0 || now - modelHealthAtMs >= MODEL_HEALTH_TTL_MS) {
            List<String> lines = new ArrayList<>();
            for (String tier : Topics.TIERS) {
                lines.add(tier + ": " + modelHealthLine(tier, dev.qastream.llm.Generators.check(ctx.config(), tier)));
            }
            modelHealth = List.copyOf(lines);
            modelHealthAtMs = now;
        }
        return modelHealth;
    }

    private String modelHealthLine(String tier, dev.qastream.llm.ModelCheck check) {
        PairGenerator running = tierGenerators.get(tier);
        boolean fellBack = running != null && "auto".equals(ctx.config().string("tiers." + tier + ".backend").strip())
                && dev.qastream.generation.worker.ModelServers.isBuiltin(running.backend());
        if (fellBack) {
            return check.ok() ? "builtin (auto fallback); the model answers now: restart to use it"
                    : "builtin (auto fallback): " + check.message();
        }
        return check.ok() ? "ok: " + check.problem() : "MISSING: " + check.message();
    }

    @Override
    public Map<String, List<String>> consumerGroups() {
        Map<String, List<String>> groups = new LinkedHashMap<>(router.consumerGroups());
        for (String tier : Topics.TIERS) {
            groups.put(groupId(tier), List.of(Topics.requestTopic(tier)));
        }
        return groups;
    }

    @Override
    public void close() {
        supervisors.forEach(s -> s.stop(10_000));
        if (cache != null) {
            cache.close();
        }
        if (revisions != null) {
            revisions.close();
        }
        router.close();
    }
}
