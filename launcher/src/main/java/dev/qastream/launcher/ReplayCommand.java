package dev.qastream.launcher;

import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Generates the dataset again after a prompt change, paying a model only for what the cache does not cover. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Send every chunk to generation again with the current prompts and tier settings, or"
                + " (--dead-letters) re-drive the requests that ended on generation.dlq once the cause is fixed.",
                "Chunks whose response is in generation.cache cost no model call; stale pairs leave the dataset.",
                "Beside a running `up` the running stack does the work; otherwise the stack runs here until done."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--dry-run", description = "print how many chunks would reach a model, per tier, and send nothing")
    boolean dryRun;

    @Option(names = "--document", paramLabel = "GLOB", description = "only documents whose id matches, e.g. 'lte/*.md'")
    String document;

    @Option(names = "--tier", description = "only chunks of this tier: fast, balanced or quality")
    String tier;

    @Option(names = "--dead-letters", description = "re-drive generation.dlq (newest dead letter per chunk, each once: not those re-driven already) instead")
    boolean deadLetters;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "embedded mode: give up waiting after this long")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        ClusterSession.Need need = dryRun ? ClusterSession.Need.BROKER : ClusterSession.Need.FULL_STACK;
        try (ClusterSession session = ClusterSession.open(config, need)) {
            List<String> stale = session.besideRunningPipeline()
                    ? GenerationSettings.differences(config.path("data-dir"), session.context()) : List.of();
            if (!stale.isEmpty()) {
                // Its workers would answer from generation.cache with the old settings and change nothing.
                System.err.println("error: the running pipeline on " + config.path("data-dir").toAbsolutePath()
                        + " generates with other settings than this configuration:");
                stale.forEach(d -> System.err.println("  " + d));
                System.err.println("restart ./pipeline up with this configuration, or stop it and run replay again"
                        + " (it then runs the stack itself with this configuration)");
                return 1;
            }
            ChunkReplay replay = new ChunkReplay(session.context(), document, tier);
            ChunkReplay.Plan plan = deadLetters ? replay.planDeadLetters() : replay.planChunks();
            System.out.println((deadLetters ? "dead letters to re-drive" : "chunks to generate again")
                    + (dryRun ? " (dry run, nothing sent):" : ":"));
            System.out.println(plan.describe());
            if (plan.skipped() > 0) {
                System.out.println("  skipped " + plan.skipped() + " dead letters whose chunk changed or was removed since");
            }
            if (dryRun) {
                return 0;
            }
            int sent = replay.send(plan);
            if (deadLetters) {
                replay.markRedriven(plan);
            }
            System.out.println("sent " + sent + " generation requests");
            return Pipelines.awaitIfStartedHere(session, timeout);
        }
    }
}
