package dev.qastream.launcher;

import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Scores every pair again after a change to the scoring settings; no model is called. */
@Command(name = "rescore", mixinStandardHelpOptions = true,
        description = {"Score every generated pair again with the current scoring settings (threshold, weights,"
                + " dedup threshold) and let the dataset follow: pairs now rejected leave it, pairs now accepted"
                + " return. No model is called.",
                "Without a running `up`, the stack runs here with the configuration given (--config) until done."
                + " Beside a running `up`, that stack scores with the configuration it was started with: restart it"
                + " with the new settings first."})
final class RescoreCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "embedded mode: give up waiting after this long")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        try (ClusterSession session = ClusterSession.open(config, ClusterSession.Need.FULL_STACK)) {
            if (session.besideRunningPipeline()) {
                System.out.println("note: the running scoring service scores with the configuration it was started with,"
                        + " not this command's; restart it first if the scoring settings changed");
            } else {
                System.out.printf("scoring with accept-threshold %s%n", config.string("scoring.accept-threshold"));
            }
            long sent = PairRescore.run(session.context(), config.path("data-dir").resolve("rescore-spill"));
            System.out.println("sent " + sent + " pairs to scoring again");
            return Pipelines.awaitIfStartedHere(session, timeout);
        }
    }
}
