package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicLayout;
import dev.qastream.runtime.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** Topic administration for a real cluster (the embedded stack creates its topics itself). */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the pipeline's topics.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every missing topic with kafka.partitions, kafka.replication-factor and its cleanup "
                    + "policy (compact for state topics, 30-day retention for the others); idempotent.",
                    "Prints each topic as created or found, with its partitions and replicas."})
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            Config config = options.load();
            Endpoints endpoints = Endpoints.resolve(config);
            KafkaSettings kafka = new KafkaSettings(endpoints.bootstrapServers(), config);
            Topics topics = Topics.withPlainAvro();
            try (Admin admin = Admin.create(kafka.admin())) {
                Set<String> before = admin.listTopics().names().get();
                TopicAdmin.ensureTopics(kafka, topics);
                Map<String, TopicDescription> now = admin.describeTopics(
                        topics.all().stream().map(Topic::name).toList()).allTopicNames().get();
                int created = 0;
                for (Topic<?, ?> t : topics.all()) {
                    TopicDescription d = now.get(t.name());
                    boolean isNew = !before.contains(t.name());
                    created += isNew ? 1 : 0;
                    System.out.printf("%-8s %-30s partitions %d, replicas %d, %s%n", isNew ? "created" : "exists",
                            t.name(), d.partitions().size(), d.partitions().get(0).replicas().size(),
                            t.compacted() ? "compacted" : TopicLayout.neverExpires(t.name()) ? "kept until consumed and beyond"
                                    : "retention 30 days");
                }
                System.out.printf("%d created, %d already there (%s)%n", created, topics.all().size() - created,
                        endpoints.bootstrapServers());
            }
            return 0;
        }
    }
}
