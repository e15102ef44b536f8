package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files at the repository root agree with the code, without Docker: docker-compose.yml parses
 * and sets only settings the services read, on the ports they listen on; the Prometheus scrape targets are the
 * compose services on those ports; the Grafana provisioning points at that Prometheus and the dashboard queries
 * only metrics the code registers.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Map<String, String> SERVICES = Map.of(
            "ingest", "dev.qastream.ingest.IngestService",
            "generation", "dev.qastream.generation.GenerationService",
            "scoring", "dev.qastream.scoring.ScoringService",
            "judge", "dev.qastream.scoring.judge.JudgeService",
            "coverage", "dev.qastream.scoring.coverage.CoverageService",
            "sink", "dev.qastream.sink.SinkService");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode compose;
    static JsonNode defaults;

    @BeforeAll
    static void read() throws IOException {
        compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        try (InputStream in = Config.class.getResourceAsStream("/qastream-defaults.yaml")) {
            defaults = YAML.readTree(in);
        }
    }

    @Test
    void kafkaIsOneKraftNodeWithReplicationOne() {
        JsonNode kafka = service("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:4.");
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText()).isEqualTo("1@kafka:9093");
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_DEFAULT_REPLICATION_FACTOR")) {
            assertThat(env.path(key).asText()).as(key).isEqualTo("1");
        }
        // Published only on loopback.
        kafka.path("ports").forEach(p -> assertThat(p.asText()).startsWith("127.0.0.1:"));
        assertThat(service("registry").path("image").asText()).startsWith("apicurio/apicurio-registry:3.");
        assertThat(service("ollama").path("image").asText()).startsWith("ollama/ollama");
    }

    @Test
    void everyServiceRunsItsMainWithSettingsTheServicesRead() throws Exception {
        Set<String> validNames = new HashSet<>();
        leafKeys(defaults, "", validNames);
        String kafkaListeners = service("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        SERVICES.forEach((name, mainClass) -> {
            JsonNode svc = service(name);
            // Given one image built from this repository's Dockerfile, running the service's main class
            assertThat(svc.path("build").asText()).as(name).isEqualTo(".");
            assertThat(svc.path("image").asText()).as(name).isEqualTo("qastream:dev");
            assertThat(svc.path("command").get(0).asText()).as(name).isEqualTo(mainClass);
            assertThat(hasMain(mainClass)).as("%s has a public static main", mainClass).isTrue();
            // Then each QASTREAM_ variable names a configuration key
            JsonNode env = svc.path("environment");
            for (Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
                String var = it.next();
                assertThat(validNames).as("%s of service %s is a configuration key", var, name).contains(var);
            }
            // and the cluster endpoints are the compose services
            assertThat(kafkaListeners).contains("PLAINTEXT://" + env.path("QASTREAM_KAFKA_BOOTSTRAP_SERVERS").asText());
            assertThat(env.path("QASTREAM_REGISTRY_URL").asText()).isEqualTo("http://registry:8080");
            assertThat(env.path("QASTREAM_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
            assertThat(svc.path("expose").get(0).asText()).isEqualTo(env.path("QASTREAM_HTTP_PORT").asText());
        });
        // and the image's own defaults are configuration keys too
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            Matcher m = Pattern.compile("(QASTREAM_[A-Z0-9_]+)=").matcher(line);
            while (m.find()) {
                assertThat(validNames).as("Dockerfile sets %s", m.group(1)).contains(m.group(1));
            }
        }
    }

    @Test
    void generationUsesOllamaForEveryTierAndScales() {
        JsonNode gen = service("generation");
        JsonNode env = gen.path("environment");
        String pull = service("ollama-pull").path("entrypoint").toString();
        for (String tier : Topics.TIERS) {
            assertThat(env.path(Config.envName("tiers." + tier + ".backend")).asText()).contains("ollama");
            assertThat(env.path(Config.envName("tiers." + tier + ".base-url")).asText()).isEqualTo("http://ollama:11434");
            // The model each tier asks for is the one the pull service fetches and the default configuration names.
            String model = env.path(Config.envName("tiers." + tier + ".model")).asText();
            assertThat(model).isEqualTo(defaults.path("tiers").path(tier).path("model").asText());
            assertThat(pull).contains("ollama pull " + model);
        }
        assertThat(service("ollama-pull").path("profiles").toString()).contains("models");
        // Scaling needs no fixed container name and no host port.
        assertThat(gen.has("container_name")).isFalse();
        assertThat(gen.has("ports")).isFalse();
    }

    @Test
    void prometheusScrapesEveryServiceOnItsPortAndMonitoringIsAProfile() throws IOException {
        JsonNode prometheus = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        Set<String> scraped = new TreeSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            for (JsonNode sd : job.path("dns_sd_configs")) {
                for (JsonNode host : sd.path("names")) {
                    JsonNode svc = service(host.asText());
                    assertThat(sd.path("port").asText()).as(host.asText())
                            .isEqualTo(svc.path("environment").path("QASTREAM_HTTP_PORT").asText());
                    scraped.add(host.asText());
                }
            }
        }
        assertThat(scraped).isEqualTo(new TreeSet<>(SERVICES.keySet()));
        for (String ui : List.of("prometheus", "grafana")) {
            assertThat(service(ui).path("profiles").toString()).contains("monitoring");
            service(ui).path("ports").forEach(p -> assertThat(p.asText()).startsWith("127.0.0.1:"));
        }
        assertThat(service("prometheus").path("volumes").toString()).contains("./deploy/prometheus/prometheus.yml:");
    }

    @Test
    void grafanaIsProvisionedWithTheDashboardAndItsQueriesNameRegisteredMeters() throws IOException {
        JsonNode datasources = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());
        JsonNode ds = datasources.path("datasources").get(0);
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(service("prometheus").path("ports").get(0).asText()).endsWith(":9090");
        JsonNode providers = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/dashboards/qastream.yml").toFile());
        String dashboardsPath = providers.path("providers").get(0).path("options").path("path").asText();
        assertThat(service("grafana").path("volumes").toString()).contains("./deploy/grafana/dashboards:" + dashboardsPath);

        // Given the dashboard
        JsonNode dashboard = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/qastream.json").toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(ds.path("uid").asText());
            }
        }
        assertThat(exprs).hasSizeGreaterThan(20);
        // Then every metric it queries is one the code registers (or a Kafka client meter, or Prometheus' own up)
        Set<String> queried = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:qastream|kafka)_[a-z0-9_]+)").matcher(String.join("\n", exprs));
        while (m.find()) {
            // A timer or a distribution summary is queried through its series; the meter is the base name.
            queried.add(m.group(1).replaceAll("^(qastream_[a-z0-9_]+)_(bucket|sum|count|max)$", "$1"));
        }
        Set<String> known = new HashSet<>(DashboardMeters.PIPELINE.keySet());
        known.addAll(DashboardMeters.KAFKA);
        assertThat(known).containsAll(queried);
        // and every metric the model and scoring stages promise is on it
        assertThat(queried).contains("qastream_generation_requests_total", "qastream_generation_latency_seconds",
                "qastream_generation_tokens_total", "qastream_generation_cache_total",
                "qastream_generation_escalations_total", "qastream_generation_parse_failures_total",
                "qastream_generation_dead_letters_total", "qastream_generation_pairs_total",
                "qastream_scoring_pairs_total", "qastream_dataset_pairs");
    }

    @Test
    void theMeterListMatchesTheMeterNamesInTheCode() throws IOException {
        // Every Micrometer name the dashboard relies on is registered somewhere in the services' main code,
        // but for those another stage is still to add.
        String code = mainSources();
        DashboardMeters.PIPELINE.forEach((prometheus, micrometer) -> {
            assertThat(prometheus.replaceAll("_(total|seconds)$", "")).isEqualTo(micrometer.replace('.', '_'));
            if (!DashboardMeters.AWAITED.contains(micrometer)) {
                assertThat(code).as("a meter named %s in src/main/java", micrometer).contains("\"" + micrometer + "\"");
            }
        });
    }

    private static boolean hasMain(String className) {
        try {
            Method main = Class.forName(className).getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static JsonNode service(String name) {
        JsonNode svc = compose.path("services").path(name);
        assertThat(svc.isObject()).as("docker-compose.yml has a service %s", name).isTrue();
        return svc;
    }

    private static void leafKeys(JsonNode node, String prefix, Set<String> envNames) {
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                leafKeys(e.getValue(), prefix + e.getKey() + ".", envNames);
            } else {
                envNames.add(Config.envName(prefix + e.getKey()));
            }
        });
    }
}
