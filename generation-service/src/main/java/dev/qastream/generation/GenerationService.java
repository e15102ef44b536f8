package dev.qastream.generation;

import dev.qastream.generation.extractive.ExtractiveGenerator;
import dev.qastream.generation.router.RouterTopology;
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

/**
 * The router (a Kafka Streams app) plus one worker per tier, each in its own consumer group,
 * so tiers scale and lag independently.
 */
public final class GenerationService implements Service {
    public static final String ROUTER_APP_ID = "qastream-router";

    private final ServiceContext ctx;
    private final StreamsService router;
    private final List<GenerationWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, GenerationService::new);
    }

    public GenerationService(ServiceContext ctx) {
        this.ctx = ctx;
        this.router = new StreamsService("router", ROUTER_APP_ID,
                RouterTopology.build(ctx.topics(), TierRouting.from(ctx.config()),
                        ctx.config().integer("generation.max-pairs-per-chunk"), System::currentTimeMillis),
                ctx.kafka().streams(ROUTER_APP_ID), List.of(Topics.INGEST_CHUNKS));
    }

    public static String groupId(String tier) {
        return "qastream-generation-" + tier;
    }

    /** The generator a tier's configuration names. */
    public static PairGenerator generatorFor(ServiceContext ctx, String tier) {
        return dev.qastream.generation.llm.Generators.forTier(ctx.config(), tier);
    }

    @Override
    public String name() {
        return "generation";
    }

    @Override
    public void start() {
        router.start();
        for (String tier : Topics.TIERS) {
            GenerationWorker w = new GenerationWorker(ctx, tier, generatorFor(ctx, tier), groupId(tier),
                    groupId(tier) + "-0");
            Thread t = new Thread(w, "generation-" + tier);
            workers.add(w);
            threads.add(t);
            t.start();
        }
    }

    @Override
    public boolean healthy() {
        return router.healthy() && threads.stream().allMatch(Thread::isAlive);
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
        workers.forEach(GenerationWorker::stop);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        router.close();
    }
}
