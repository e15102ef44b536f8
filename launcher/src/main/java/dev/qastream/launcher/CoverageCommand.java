package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.schemas.DocumentCoverage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** Coverage per document and per fact kind, from coverage.documents. */
@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = {"Show which facts of each document accepted pairs cover: overall, per fact kind and per document, "
                + "with each uncovered fact and why (never answered, answered wrongly with the wrong value, rejected "
                + "with the reason) and the diversity of each document's question types.",
                "Reads coverage.documents of the embedded stack of the data directory or of the configured cluster."})
final class CoverageCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--document", paramLabel = "GLOB", description = "only matching documents (glob on the document id, "
            + "e.g. 'lte/*.md'; a glob without '/' also matches the file name)")
    String document;

    @Option(names = "--uncovered", description = "only documents with facts still uncovered")
    boolean uncovered;

    @Override
    public Integer call() {
        Config config = options.load();
        Endpoints endpoints = Endpoints.resolve(config);
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
        TailFilter filter = new TailFilter(document, null, null, null, false);
        List<DocumentCoverage> docs = TopicSnapshot.latest(ctx.kafka(), ctx.topics().coverage).values().stream()
                .filter(d -> document == null || filter.documentMatches(d.getDocumentId())).toList();
        CoverageView.render(docs, uncovered).forEach(System.out::println);
        return 0;
    }
}
