package dev.qastream.launcher.doctor;

import dev.qastream.llm.Generators;
import dev.qastream.llm.ModelCheck;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.TopicIds;
import dev.qastream.runtime.kafka.TopicLayout;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.DataDirLock;
import dev.qastream.runtime.tools.RegistrySchemas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The checks of `doctor`, in the order a user would fix them: runtime, data, broker, registry, topics, models, inbox. */
public final class Doctor {
    private static final int TIMEOUT_MS = 5_000;

    private final dev.qastream.runtime.config.Config config;
    private final Function<String, ModelCheck> models;
    private final List<Check> checks = new ArrayList<>();

    /** With the generation module's own check of each tier's model server. */
    public Doctor(dev.qastream.runtime.config.Config config) {
        this(config, tier -> Generators.check(config, tier));
    }

    /** With the given check of a tier's model server (tests). */
    public Doctor(dev.qastream.runtime.config.Config config, Function<String, ModelCheck> models) {
        this.config = config;
        this.models = models;
    }

    public List<Check> run() {
        checkJdk();
        Endpoints endpoints = endpoints();
        boolean brokerUp = endpoints != null && checkBroker(endpoints);
        if (endpoints != null) {
            checkRegistry(endpoints);
        }
        if (brokerUp) {
            checkTopics(endpoints);
            checkTombstoneWindow(endpoints);
        }
        Topics.TIERS.forEach(this::checkTier);
        checkInbox();
        return checks;
    }

    private void checkJdk() {
        int feature = Runtime.version().feature();
        checks.add(feature >= 21 ? Check.ok("jdk", "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")")
                : Check.fail("jdk", "Java " + feature + " is too old", "install a JDK 21 or newer, or point JAVA_HOME at one"));
    }

    /** The cluster of the configuration, or the embedded stack of the data directory; null when neither is there. */
    private Endpoints endpoints() {
        Path dataDir = config.path("data-dir").toAbsolutePath();
        Endpoints cluster;
        try {
            cluster = Endpoints.ofCluster(config);
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail("cluster", e.getMessage(), "set both in the configuration, or neither"));
            return null;
        }
        if (!Files.isDirectory(dataDir)) {
            checks.add(cluster != null ? Check.ok("data-dir", dataDir + " will be created (stream state)")
                    : Check.warn("data-dir", dataDir + " does not exist yet", "created by the first ./pipeline up"));
        } else if (!Files.isWritable(dataDir)) {
            checks.add(Check.fail("data-dir", dataDir + " is not writable", "fix its permissions or use --data-dir"));
        } else if (cluster == null) {
            OptionalLong holder = DataDirLock.holder(dataDir);
            checks.add(holder.isPresent()
                    ? Check.ok("data-dir", dataDir + " (embedded stack running"
                    + (holder.getAsLong() > 0 ? ", pid " + holder.getAsLong() : "") + ")")
                    : Check.ok("data-dir", dataDir + " (free)"));
        } else {
            checks.add(Check.ok("data-dir", dataDir.toString()));
        }
        if (cluster != null) {
            return cluster;
        }
        try {
            Endpoints embedded = Endpoints.resolve(config);
            if (DataDirLock.holder(dataDir).isEmpty()) {
                checks.add(Check.warn("embedded stack", "endpoints file left behind, but no process holds " + dataDir,
                        "start it with ./pipeline up or ./pipeline platform"));
                return null;
            }
            return embedded;
        } catch (IllegalArgumentException notRunning) {
            checks.add(Check.warn("embedded stack", "not running (no " + Endpoints.FILE + " in " + dataDir + ")",
                    "start it with ./pipeline up (or ./pipeline platform); broker, registry and topics are not checked"));
            return null;
        }
    }

    private boolean checkBroker(Endpoints endpoints) {
        try (Admin admin = admin(endpoints)) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            int brokers = cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            checks.add(Check.ok("kafka", endpoints.bootstrapServers() + " (" + brokers + " broker"
                    + (brokers == 1 ? "" : "s") + ", cluster " + cluster.clusterId().get() + ")"));
            int replication = config.integer("kafka.replication-factor");
            if (replication > brokers) {
                checks.add(Check.fail("replication", "kafka.replication-factor is " + replication + " but the cluster has "
                        + brokers + " broker(s)", "set kafka.replication-factor to at most " + brokers));
            }
            return true;
        } catch (Exception e) {
            checks.add(Check.fail("kafka", "no answer from " + endpoints.bootstrapServers() + " within "
                    + TIMEOUT_MS / 1000 + " s (" + rootMessage(e) + ")", Endpoints.ofCluster(config) != null
                    ? "check kafka.bootstrap-servers and that the brokers are up and reachable from here"
                    : "the embedded stack seems gone: restart ./pipeline up (or ./pipeline platform)"));
            return false;
        }
    }

    private void checkRegistry(Endpoints endpoints) {
        String base = RegistrySchemas.ccompatUrl(endpoints.registryApiUrl()).replace("/apis/ccompat/v7", "");
        URI uri = URI.create(base + "/apis/registry/v3/system/info");
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(TIMEOUT_MS)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                var info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
                checks.add(Check.ok("registry", base + " (" + info.path("name").asText("registry") + " "
                        + info.path("version").asText("") + ")"));
            } else {
                checks.add(Check.fail("registry", uri + " answered HTTP " + r.statusCode(),
                        "registry.url must name an Apicurio Registry 3.x (base URL, e.g. http://host:8080)"));
            }
        } catch (Exception e) {
            checks.add(Check.fail("registry", "no answer from " + uri + " (" + rootMessage(e) + ")",
                    Endpoints.ofCluster(config) != null ? "start the registry or fix registry.url"
                            : "the embedded registry process is gone: restart ./pipeline up (or ./pipeline platform); "
                            + "its log is under DATA/registry"));
        }
    }

    private void checkTopics(Endpoints endpoints) {
        List<Topic<?, ?>> expected = Topics.withPlainAvro().all();
        try (Admin admin = admin(endpoints)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> missing = expected.stream().map(Topic::name).filter(n -> !existing.contains(n)).toList();
            List<Topic<?, ?>> present = expected.stream().filter(t -> existing.contains(t.name())).toList();
            Map<String, TopicDescription> descriptions = admin.describeTopics(present.stream().map(Topic::name).toList())
                    .allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(present.stream()
                            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList())
                    .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> wrong = new ArrayList<>();
            for (Topic<?, ?> t : present) {
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
                String policy = c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                if (t.compacted() != policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    wrong.add(t.name() + " has cleanup.policy=" + policy + ", expected "
                            + (t.compacted() ? "compact" : "delete"));
                }
                if (t.compacted() && policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
                    wrong.add(t.name() + " also deletes by retention (cleanup.policy=" + policy + ")");
                }
            }
            List<String> drift = new ArrayList<>();
            KafkaSettings settings = new KafkaSettings(endpoints.bootstrapServers(), config);
            for (Topic<?, ?> t : present) {
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
                TopicLayout.configs(t, settings).forEach((key, wanted) -> {
                    var entry = c.get(key);
                    if (!key.equals(TopicConfig.CLEANUP_POLICY_CONFIG) && (entry == null || !wanted.equals(entry.value()))) {
                        drift.add(t.name() + " " + key + "=" + (entry == null ? "unset" : entry.value()) + " (expected " + wanted + ")");
                    }
                });
            }
            Map<String, Integer> partitions = new java.util.HashMap<>();
            descriptions.forEach((name, d) -> partitions.put(name, d.partitions().size()));
            List<String> partitionProblems = TopicLayout.partitionProblems(partitions);
            TopicDescription chunks = descriptions.get(Topics.INGEST_CHUNKS);
            String recreated = chunks == null ? null : TopicLayout.recreatedProblem(Topics.INGEST_CHUNKS,
                    TopicIds.known(config.path("data-dir")).getProperty(Topics.INGEST_CHUNKS), chunks.topicId().toString());
            if (!partitionProblems.isEmpty()) {
                checks.add(Check.fail("partitions", String.join("; ", partitionProblems),
                        "co-partitioned topics need equal partition counts; the pipeline refuses to start otherwise"));
            }
            if (recreated != null) {
                checks.add(Check.warn("ingest.chunks", recreated, "start over with a new --data-dir and fresh topics"));
            }
            if (!drift.isEmpty()) {
                checks.add(Check.warn("topic settings", String.join("; ", drift),
                        "the next start (or ./pipeline topics create) brings them in line"));
            }
            String summary = present.size() + " of " + expected.size() + " present, partitions "
                    + present.stream().map(t -> String.valueOf(descriptions.get(t.name()).partitions().size()))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            if (!wrong.isEmpty()) {
                checks.add(Check.fail("topics", String.join("; ", wrong), "a compacted topic must have cleanup.policy=compact "
                        + "(it holds the newest state of each key): kafka-configs.sh --alter --entity-type topics "
                        + "--entity-name TOPIC --add-config cleanup.policy=compact"));
            } else if (!missing.isEmpty()) {
                checks.add(Check.warn("topics", summary + "; missing " + missing,
                        "created at the first start, or now with ./pipeline topics create"));
            } else {
                checks.add(Check.ok("topics", summary + "; compaction as expected"));
            }
        } catch (Exception e) {
            checks.add(Check.fail("topics", "cannot describe the topics (" + rootMessage(e) + ")",
                    "check that this client may describe topics and their configs"));
        }
    }

    /** A stage behind on a compacted topic for longer than removals are kept there may have missed some. */
    private void checkTombstoneWindow(Endpoints endpoints) {
        KafkaSettings settings = new KafkaSettings(endpoints.bootstrapServers(), config);
        Set<String> compacted = Topics.withPlainAvro().all().stream().filter(Topic::compacted).map(Topic::name)
                .collect(Collectors.toSet());
        long hours = settings.deleteRetentionMs() / 3_600_000;
        try (Admin admin = admin(endpoints); ConsumerLag offsets = new ConsumerLag(settings)) {
            List<TombstoneWindow.Behind> behind = TombstoneWindow.find(admin, offsets, compacted,
                    settings.deleteRetentionMs(), System.currentTimeMillis(), TIMEOUT_MS);
            checks.add(behind.isEmpty()
                    ? Check.ok("removals", "every stage is within the " + hours + " h that compacted topics keep a removal")
                    : Check.fail("removals", behind.size() + " stage partition(s) behind for longer than the " + hours
                            + " h a removal is kept (kafka.delete-retention-hours): " + behind.stream().limit(5)
                            .map(Object::toString).collect(Collectors.joining("; "))
                            + "; removals they never read may be gone, and what they hold may keep pairs that should have left",
                    "raise kafka.delete-retention-hours above the longest time a stage may be down; to be sure, rebuild "
                            + "the dataset with a fresh --data-dir from the inbox"));
        } catch (Exception e) {
            checks.add(Check.warn("removals", "cannot read the stages' offsets (" + rootMessage(e) + ")",
                    "check that this client may describe consumer groups"));
        }
    }

    private void checkTier(String tier) {
        String name = "tier " + tier;
        String prefix = "tiers." + tier + ".";
        String backend = config.string(prefix + "backend").strip().toLowerCase(java.util.Locale.ROOT);
        switch (backend) {
            case "builtin", "extractive" -> checks.add(Check.ok(name, backend + ": no model server needed"));
            case "auto" -> {
                ModelCheck r = models.apply(tier);
                checks.add(r.ok() ? Check.ok(name, "auto: " + detail(r))
                        : Check.warn(name, "auto: " + detail(r) + "; the builtin generator is used", r.fix()));
            }
            case "ollama", "openai" -> {
                ModelCheck r = models.apply(tier);
                checks.add(r.ok() ? Check.ok(name, backend + ": " + detail(r)) : Check.fail(name, backend + ": " + detail(r), r.fix()));
            }
            default -> checks.add(Check.fail(name, "unknown backend '" + backend + "'",
                    "set " + prefix + "backend to auto, ollama, openai or builtin"));
        }
    }

    /** The check's problem without its "tier NAME: " lead (the check's name says it). */
    private static String detail(ModelCheck r) {
        String lead = "tier " + r.tier() + ": ";
        return r.problem().startsWith(lead) ? r.problem().substring(lead.length()) : r.problem();
    }

    private void checkInbox() {
        Path inbox = config.path("inbox").toAbsolutePath();
        if (!Files.exists(inbox)) {
            checks.add(Check.warn("inbox", inbox + " does not exist", "created by ./pipeline up; or mkdir it, or use --inbox"));
        } else if (!Files.isDirectory(inbox) || !Files.isReadable(inbox)) {
            checks.add(Check.fail("inbox", inbox + " is not a readable folder", "fix its permissions or use --inbox"));
        } else {
            checks.add(Check.ok("inbox", inbox.toString()));
        }
    }

    private static Admin admin(Endpoints endpoints) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                // fail fast on a dead broker instead of reconnecting for a minute
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
