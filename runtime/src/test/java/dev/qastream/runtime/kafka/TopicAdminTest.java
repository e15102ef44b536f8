package dev.qastream.runtime.kafka;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.platform.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Topics as the pipeline creates and checks them, on a real broker (each test with topics of its own prefix-free names, so one broker serves all). */
@Timeout(120)
class TopicAdminTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaSettings settings(Path dataDir) {
        return new KafkaSettings(kafka.bootstrapServers(), Config.load(null).with("data-dir", dataDir.toString()));
    }

    private static Map<String, String> configOf(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var config = admin.describeConfigs(List.of(r)).all().get().get(r);
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                TopicConfig.RETENTION_MS_CONFIG, config.get(TopicConfig.RETENTION_MS_CONFIG).value());
    }

    @Test
    void requestsAndDeadLettersNeverExpireAndOldSettingsAreBroughtInLine() throws Exception {
        try (Admin admin = Admin.create(settings(dir).admin())) {
            // Given a request topic and a dead-letter topic as an older version made them: deleted by time
            TopicAdmin.ensureTopics(settings(dir.resolve("a")), Topics.withPlainAvro());
            String month = String.valueOf(30L * 24 * 3600 * 1000);
            admin.incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.requestTopic("fast")), List.of(
                            new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, month), AlterConfigOp.OpType.SET)),
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.GENERATION_DLQ), List.of(
                            new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, month), AlterConfigOp.OpType.SET))))
                    .all().get();
            assertThat(configOf(admin, Topics.requestTopic("fast"))).containsEntry(TopicConfig.RETENTION_MS_CONFIG, month);

            // When the pipeline ensures its topics
            TopicAdmin.ensureTopics(settings(dir.resolve("a")), Topics.withPlainAvro());

            // Then no request or dead letter can expire unprocessed
            assertThat(configOf(admin, Topics.requestTopic("fast"))).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
            assertThat(configOf(admin, Topics.requestTopic("quality"))).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
            assertThat(configOf(admin, Topics.GENERATION_DLQ)).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
            // and a plain log still expires
            assertThat(configOf(admin, Topics.INGEST_ERRORS)).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                    .containsEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TopicLayout.LOG_RETENTION_MS));
        }
    }

    @Test
    void chunksAndPairsWithDifferentPartitionCountsAreAProblem() {
        {
            // Given ingest.chunks and generation.pairs made by hand with different partition counts
            Map<String, Integer> counts = Map.of(Topics.INGEST_CHUNKS, 3, Topics.GENERATION_PAIRS, 2);

            // Then the check names both and what to do
            assertThat(TopicLayout.partitionProblems(counts)).singleElement().asString()
                    .contains("ingest.chunks=3").contains("generation.pairs=2").contains("same number of partitions");
            assertThat(TopicLayout.partitionProblems(Map.of(Topics.INGEST_CHUNKS, 3, Topics.GENERATION_PAIRS, 3))).isEmpty();
        }
    }

    @Test
    void scoredPairsAndReviewDecisionsWithDifferentPartitionCountsAreAProblem() {
        // Given scoring.scored and review.decisions with different partition counts: the sink would see a pair
        // and the decision on it in different tasks, and the decision would never apply
        Map<String, Integer> counts = Map.of(Topics.SCORING_SCORED, 3, Topics.REVIEW_DECISIONS, 1,
                Topics.INGEST_CHUNKS, 3, Topics.GENERATION_PAIRS, 3);

        // Then the check names both and why
        assertThat(TopicLayout.partitionProblems(counts)).singleElement().asString()
                .contains("scoring.scored=3").contains("review.decisions=1").contains("same number of partitions")
                .contains("decision");
        assertThat(TopicLayout.partitionProblems(Map.of(Topics.SCORING_SCORED, 3, Topics.REVIEW_DECISIONS, 3))).isEmpty();
        // and the pipeline's topics include review.decisions, so `topics create` makes it with the same count
        assertThat(Topics.withPlainAvro().all()).extracting(Topic::name).contains(Topics.REVIEW_DECISIONS);
    }

    @Test
    void aRecreatedChunksTopicIsNoticedAndStaysNoticed() throws Exception {
        Path dataDir = dir.resolve("recreated");
        KafkaSettings settings = settings(dataDir);
        TopicAdmin.ensureTopics(settings, Topics.withPlainAvro());
        String first = TopicIds.known(dataDir).getProperty(Topics.INGEST_CHUNKS);
        assertThat(first).isNotBlank();

        try (Admin admin = Admin.create(settings.admin())) {
            // When ingest.chunks is deleted and made again
            admin.deleteTopics(Set.of(Topics.INGEST_CHUNKS)).all().get();
            waitUntilGone(admin, Topics.INGEST_CHUNKS);
            TopicAdmin.ensureTopics(settings, Topics.withPlainAvro());
            String now = admin.describeTopics(List.of(Topics.INGEST_CHUNKS)).allTopicNames().get()
                    .get(Topics.INGEST_CHUNKS).topicId().toString();

            // Then the data dir still remembers the old id, so the problem is reported until the data is reset
            assertThat(TopicIds.known(dataDir).getProperty(Topics.INGEST_CHUNKS)).isEqualTo(first);
            assertThat(TopicLayout.recreatedProblem(Topics.INGEST_CHUNKS, first, now)).contains("was recreated");
        }
    }

    private static void waitUntilGone(Admin admin, String topic) throws Exception {
        for (int i = 0; i < 100 && admin.listTopics().names().get().contains(topic); i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void aClusterOfThreeKeepsTwoInSync() {
        KafkaSettings three = new KafkaSettings("x:9092", Config.load(null).with("kafka.replication-factor", 3));
        assertThat(TopicLayout.configs(Topics.withPlainAvro().pairs, three))
                .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        assertThat(three.streams("app", "app.dlq")).containsEntry("topic." + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        KafkaSettings one = new KafkaSettings("x:9092", Config.load(null));
        assertThat(TopicLayout.configs(Topics.withPlainAvro().pairs, one)).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }
}
