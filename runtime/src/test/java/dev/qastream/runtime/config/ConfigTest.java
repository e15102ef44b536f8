package dev.qastream.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenEnvironment() throws Exception {
        // Given a file that overrides one tier setting and the environment that overrides another
        Path file = dir.resolve("my.yaml");
        Files.writeString(file, """
                tiers:
                  fast:
                    model: qwen3:1.7b-q8
                    base-url: http://file:11434
                """);
        Map<String, String> env = Map.of("QASTREAM_TIERS_FAST_BASE_URL", "http://env:1234",
                "QASTREAM_INGEST_MAX_TOKENS", "768");

        // When loaded
        Config config = Config.load(file, env);

        // Then the environment wins over the file, the file over the defaults
        assertThat(config.string("tiers.fast.base-url")).isEqualTo("http://env:1234");
        assertThat(config.string("tiers.fast.model")).isEqualTo("qwen3:1.7b-q8");
        assertThat(config.integer("ingest.max-tokens")).isEqualTo(768);
        assertThat(config.decimal("scoring.accept-threshold")).isEqualTo(0.75);
        assertThat(config.keys("tiers")).containsExactly("fast", "balanced", "quality");
    }

    @Test
    void unknownKeysAreErrorsNotSilentNoOps() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "ingest:\n  max-tokenz: 10\n");

        assertThatThrownBy(() -> Config.load(file, Map.of()))
                .hasMessageContaining("ingest.max-tokenz").hasMessageContaining("typo.yaml");
        assertThatThrownBy(() -> Config.load(null, Map.of()).string("nope.key"))
                .hasMessageContaining("nope.key");
        assertThatThrownBy(() -> Config.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("not found");
    }

    @Test
    void envNameIsTheUpperCasedPath() {
        assertThat(Config.envName("kafka.bootstrap-servers")).isEqualTo("QASTREAM_KAFKA_BOOTSTRAP_SERVERS");
    }
}
