package dev.qastream.generation.worker;

import dev.qastream.runtime.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelServersTest {

    @Test
    void tiersOnOneServerShareItsSlotsSizedByTheirLargestConcurrency() {
        // Given the defaults: three tiers on one server, concurrency 4 / 2 / 1
        ModelServers servers = new ModelServers(Config.load(null), new SimpleMeterRegistry());
        Config config = Config.load(null);

        // Then they get the same server, with 4 slots, and the builtin backend needs none
        ModelServers.ModelServer fast = servers.forTier(config, "fast", "ollama");
        assertThat(servers.forTier(config, "quality", "openai")).isSameAs(fast);
        assertThat(fast.slots().availablePermits()).isEqualTo(4);
        assertThat(servers.forTier(config, "fast", "extractive")).isNull();
    }

    @Test
    void aTierOnItsOwnServerHasItsOwnSlotsAndTheConfiguredCountWins() {
        Config config = Config.load(null).with(Map.of("tiers.quality.base-url", "http://big:8000/v1",
                "generation.server-slots", "3"));
        ModelServers servers = new ModelServers(config, new SimpleMeterRegistry());

        assertThat(servers.forTier(config, "quality", "openai")).isNotSameAs(servers.forTier(config, "fast", "ollama"));
        assertThat(servers.forTier(config, "quality", "openai").slots().availablePermits()).isEqualTo(3);
        assertThat(servers.forTier(config, "balanced", "ollama").slots().availablePermits()).isEqualTo(3);
    }
}
