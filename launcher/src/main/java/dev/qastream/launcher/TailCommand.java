package dev.qastream.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.tools.AvroJson;
import dev.qastream.schemas.IngestError;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;

/** Prints scored pairs (or ingest errors) as they arrive, until Ctrl-C; filters pick which. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Follow scored pairs (or ingest errors) live; Ctrl-C stops.",
                "Removals of pairs (a changed or deleted chunk) are hidden; --removals shows them as "
                        + "'REMOVED <key> rev <revision>' lines."})
final class TailCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOptions options;

    @Option(names = "--errors", description = "follow ingest.errors instead of scoring.scored")
    boolean errors;

    @Option(names = "--from-beginning", description = "start from the oldest record instead of new ones only")
    boolean fromBeginning;

    @Option(names = "--document", paramLabel = "GLOB",
            description = "only pairs of matching documents (glob on the document id, e.g. 'lte/*.md'; "
                    + "without '/', also on the file name, e.g. '*paging*')")
    String document;

    @Option(names = "--tier", description = "only pairs of this tier: fast, balanced, quality")
    String tier;

    @ArgGroup(exclusive = true)
    Verdict verdict;

    static final class Verdict {
        @Option(names = "--accepted", description = "only accepted pairs")
        boolean accepted;

        @Option(names = "--rejected", description = "only rejected pairs")
        boolean rejected;
    }

    @Option(names = "--reason", paramLabel = "TEXT", description = "only pairs with a reason or flag containing TEXT (any case)")
    String reason;

    @Option(names = "--removals", description = "also show removal records, as 'REMOVED <key> rev <revision>'")
    boolean removals;

    @Option(names = "--json", description = "one JSON object per line (key, verdict, scores, tier, document, question, answer, reasons)")
    boolean json;

    @Override
    public Integer call() {
        TailFilter filter = filter();
        Config config = options.load();
        Endpoints endpoints = Endpoints.resolve(config);
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
        PrintStream out = System.out;
        if (errors) {
            follow(ctx.topics().errors, ctx, e -> true, json ? TailCommand::json : TailCommand::format, out);
        } else {
            follow(ctx.topics().scored, ctx, filter::test, json ? TailCommand::json : TailCommand::format, out);
        }
        return 0;
    }

    TailFilter filter() {
        Boolean wanted = verdict == null ? null : verdict.accepted ? Boolean.TRUE : verdict.rejected ? Boolean.FALSE : null;
        return new TailFilter(document, tier, wanted, reason, removals);
    }

    private <V> void follow(Topic<String, V> topic, ServiceContext ctx, Predicate<V> show, Function<V, String> format,
                            PrintStream out) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(ctx.kafka().consumer(null),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Partitions.assignAll(consumer, topic.name(), fromBeginning);
            if (!json) {
                out.println("following " + topic.name() + " (Ctrl-C stops)");
            }
            while (true) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    // Null tombstones clear slots a re-generated chunk no longer fills; most never held a pair.
                    if (r.value() != null && show.test(r.value())) {
                        out.println(format.apply(r.value()));
                    }
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // Ctrl-C
        }
    }

    static String format(ScoredPair s) {
        var p = s.getPair();
        if (p.getRemoved()) {
            return "REMOVED " + p.getPairKey() + " rev " + p.getRevision();
        }
        String verdict = s.getAccepted() ? "ACCEPT" : "REJECT";
        String judged = s.getJudge() == null ? "" : String.format(" (judge %.2f)", s.getJudge());
        String line = String.format("%s %.2f %-8s %s%s%n  Q: %s%n  A: %s", verdict, s.getOverall(), p.getTier(),
                p.getPairKey(), judged, p.getQuestion(), p.getAnswer());
        return s.getReasons().isEmpty() ? line : line + "\n  why: " + String.join("; ", s.getReasons());
    }

    static String format(IngestError e) {
        return "ERROR " + e.getPath() + ": " + e.getReason();
    }

    /** The formatter's compact form: the same fields as the console consumer with compact=true. */
    static String json(Object record) {
        ObjectNode line = JSON.createObjectNode();
        if (record instanceof ScoredPair s) {
            line.put("key", s.getPair().getPairKey());
        }
        AvroJson.compact((GenericRecord) record, line);
        return line.toString();
    }
}
