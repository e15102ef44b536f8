package dev.qastream.generation;

import dev.qastream.generation.worker.CacheView;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.CachedPair;
import dev.qastream.schemas.GenerationCacheEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generation service's view of the cache topic: entries on disk, not in the heap, and the retention rule. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CacheViewTest extends WorkerPlatformTest {
    private static final String PARAMETERS = "temperature=0.7";

    @Test
    void entriesAreKeptOnDiskUnderTheDataDirNotInTheHeapAndTheFolderGoesOnClose() throws Exception {
        // Given 50 cached calls on the topic, and a folder a killed process left behind
        ServiceContext ctx = h.ctx(Map.of());
        Path root = ctx.config().path("data-dir").resolve("generation-cache");
        Path leftover = Files.createDirectories(root.resolve(Integer.MAX_VALUE + "-leftover"));
        Files.writeString(leftover.resolve("000001.sst"), "stale");
        List<String> keys = new ArrayList<>();
        List<GenerationCacheEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(entry("disk-" + i, "m", "qa-v1", 1_000 + i));
            keys.add(key(entries.get(i)));
        }
        write(ctx, keys, entries);

        Path folder;
        // When a view follows the topic
        try (CacheView view = new CacheView(ctx.kafka(), ctx.topics().cache)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

            // Then every entry is found, whole
            for (int i = 0; i < keys.size(); i++) {
                assertThat(view.get(keys.get(i))).isEqualTo(entries.get(i));
            }
            assertThat(view.get(key(entry("absent", "m", "qa-v1", 1)))).isNull();
            // and one that this process just committed is found at once
            GenerationCacheEntry mine = entry("disk-mine", "m", "qa-v1", 5_000);
            view.remember(key(mine), mine);
            assertThat(view.get(key(mine))).isEqualTo(mine);

            // and the view holds no entry in the heap: no map or collection field, a store folder under data-dir
            assertThat(Arrays.stream(CacheView.class.getDeclaredFields()).map(Field::getType))
                    .noneMatch(t -> Map.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t));
            assertThat(storeFolders(root)).hasSize(1);
            folder = storeFolders(root).getFirst();
            assertThat(folder.resolve("CURRENT")).exists();
            // and the folder of a process that is gone was deleted
            assertThat(leftover).doesNotExist();
        }
        // Then closing the view deletes its folder (the topic is the source of truth)
        assertThat(folder).doesNotExist();
    }

    @Test
    void aViewReadingFourPromptVersionsOfAChunkFromTheTopicKeepsTheNewestThreeInAnyOrder() throws Exception {
        // Given four prompt versions of one chunk and model on the topic, the newest written first, and another
        // model's entry for the same chunk
        ServiceContext ctx = h.ctx(Map.of());
        GenerationCacheEntry v1 = entry("topic-chunk", "m", "qa-v1", 1_000);
        GenerationCacheEntry v2 = entry("topic-chunk", "m", "qa-v2", 2_000);
        GenerationCacheEntry v3 = entry("topic-chunk", "m", "qa-v3", 3_000);
        GenerationCacheEntry v4 = entry("topic-chunk", "m", "qa-v4", 4_000);
        GenerationCacheEntry otherModel = entry("topic-chunk", "other", "qa-v0", 500);
        List<GenerationCacheEntry> all = List.of(v4, v1, v2, v3, otherModel);
        write(ctx, all.stream().map(CacheViewTest::key).toList(), all);

        // When a view (keeping 3 versions, the default) follows the topic
        try (CacheView view = new CacheView(ctx.kafka(), ctx.topics().cache)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

            // Then the oldest version is gone; the three newest and the other model's entry stay
            assertThat(view.get(key(v1))).isNull();
            assertThat(Stream.of(v2, v3, v4, otherModel).map(e -> view.get(key(e)))).doesNotContainNull();
        }
    }

    @Test
    void aFourthPromptVersionRememberedDropsTheOldestAndNamesItForATombstone() throws Exception {
        // Given three prompt versions of one chunk and model on the topic and a view keeping 3 that holds them
        ServiceContext ctx = h.ctx(Map.of());
        GenerationCacheEntry v1 = entry("remembered-chunk", "m", "qa-v1", 1_000);
        GenerationCacheEntry v2 = entry("remembered-chunk", "m", "qa-v2", 2_000);
        GenerationCacheEntry v3 = entry("remembered-chunk", "m", "qa-v3", 3_000);
        write(ctx, List.of(key(v1), key(v2), key(v3)), List.of(v1, v2, v3));
        GenerationCacheEntry v4 = entry("remembered-chunk", "m", "qa-v4", 4_000);
        try (CacheView view = new CacheView(ctx.kafka(), ctx.topics().cache, 3)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            int before = view.size();

            // When a worker is about to write a fourth version: the keys to tombstone in its transaction
            assertThat(view.evictedBy(key(v4), v4)).containsExactly(key(v1));
            assertThat(view.get(key(v1))).as("asking changes nothing").isNotNull();
            // and once committed, remembers it
            view.remember(key(v4), v4);

            // Then the oldest version is gone from the view, the three newest stay
            assertThat(view.get(key(v1))).isNull();
            assertThat(Stream.of(v2, v3, v4).map(e -> view.get(key(e)))).doesNotContainNull();
            assertThat(view.size()).isEqualTo(before);
            assertThat(view.evictedBy(key(v4), v4)).as("written again: nothing more to drop").isEmpty();
        }

        // When the worker's transaction wrote the entry and the tombstone, a view started later agrees
        write(ctx, List.of(key(v4), key(v1)), Arrays.asList(v4, null));
        try (CacheView later = new CacheView(ctx.kafka(), ctx.topics().cache, 3)) {
            assertThat(later.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(later.get(key(v1))).isNull();
            assertThat(Stream.of(v2, v3, v4).map(e -> later.get(key(e)))).doesNotContainNull();
        }
    }

    private static List<Path> storeFolders(Path root) throws Exception {
        try (Stream<Path> folders = Files.list(root)) {
            return folders.toList();
        }
    }

    private static String key(GenerationCacheEntry e) {
        return CacheKey.of(e.getChunkChecksum(), e.getBackend(), e.getModel(), e.getPromptVersion(), e.getParameters());
    }

    private static GenerationCacheEntry entry(String checksum, String model, String promptVersion, long createdAtMs) {
        List<CachedPair> pairs = List.of(
                CachedPair.newBuilder().setQuestion("What does " + checksum + " set?").setAnswer("The timer.").build(),
                CachedPair.newBuilder().setQuestion("Default of " + checksum + "?").setAnswer("10 ms.")
                        .setQuestionType("parameter").build());
        return GenerationCacheEntry.newBuilder().setModel(model).setBackend("ollama").setPromptVersion(promptVersion)
                .setParameters(PARAMETERS).setChunkChecksum(checksum).setPairs(pairs).setCreatedAtMs(createdAtMs).build();
    }

    /** Records on generation.cache, in order (a null entry is a tombstone). */
    private static void write(ServiceContext ctx, List<String> keys, List<GenerationCacheEntry> entries) {
        var topic = ctx.topics().cache;
        try (KafkaProducer<String, GenerationCacheEntry> producer = new KafkaProducer<>(ctx.kafka().producer("cache-view-test"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(topic.name(), keys.get(i), entries.get(i)));
            }
        }
    }
}
