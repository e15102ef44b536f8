package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.schemas.IngestError;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Prints scored pairs (or ingest errors) as they arrive, one line each, until Ctrl-C. */
@Command(name = "tail", description = "Follow scored pairs (or ingest errors) live; Ctrl-C stops.")
final class TailCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--errors", description = "follow ingest.errors instead of scoring.scored")
    boolean errors;

    @Option(names = "--from-beginning", description = "start from the oldest record instead of new ones only")
    boolean fromBeginning;

    @Override
    public Integer call() {
        Config config = options.load();
        Endpoints endpoints = Endpoints.resolve(config);
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
        PrintStream out = System.out;
        if (errors) {
            follow(ctx, ctx.topics().errors, TailCommand::format, out);
        } else {
            follow(ctx, ctx.topics().scored, TailCommand::format, out);
        }
        return 0;
    }

    private <V> void follow(ServiceContext ctx, Topic<String, V> topic, Function<V, String> format, PrintStream out) {
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
            out.println("following " + topic.name() + " (Ctrl-C stops)");
            while (true) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    // Tombstones clear slots a re-generated chunk no longer fills; most never held a pair.
                    if (r.value() != null) {
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
        String verdict = s.getAccepted() ? "ACCEPT" : "REJECT";
        String line = String.format("%s %.2f %-8s %s%n  Q: %s%n  A: %s", verdict, s.getOverall(), p.getTier(),
                p.getPairKey(), p.getQuestion(), p.getAnswer());
        return s.getReasons().isEmpty() ? line : line + "\n  why: " + String.join("; ", s.getReasons());
    }

    static String format(IngestError e) {
        return "ERROR " + e.getPath() + ": " + e.getReason();
    }
}
