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

        // Then they get the same server, with 4 slots and one call queued ahead, and the builtin backend needs none
        ModelServers.ModelServer fast = servers.forTier(config, "fast", "ollama");
        assertThat(servers.forTier(config, "quality", "openai")).isSameAs(fast);
        assertThat(fast.slots().availablePermits()).isEqualTo(4 + 1);
        assertThat(fast.queueAhead()).isEqualTo(1);
        assertThat(servers.forTier(config, "fast", "extractive")).isNull();
    }

    @Test
    void aTierOnItsOwnServerHasItsOwnSlotsAndTheConfiguredCountWins() {
        Config config = Config.load(null).with(Map.of("tiers.quality.base-url", "http://big:8000/v1",
                "generation.server-slots", "3", "generation.queue-ahead", "0"));
        ModelServers servers = new ModelServers(config, new SimpleMeterRegistry());

        assertThat(servers.forTier(config, "quality", "openai")).isNotSameAs(servers.forTier(config, "fast", "ollama"));
        assertThat(servers.forTier(config, "quality", "openai").slots().availablePermits()).isEqualTo(3);
        assertThat(servers.forTier(config, "balanced", "ollama").slots().availablePermits()).isEqualTo(3);
    }

    @Test
    void callsQueuedAheadAtAServerAreAQuarterOfItsSlotsByDefaultOrTheConfiguredCount() {
        assertThat(aheadWith(Map.of("generation.server-slots", "16"))).isEqualTo(4);
        assertThat(aheadWith(Map.of("generation.server-slots", "5"))).isEqualTo(2);
        assertThat(aheadWith(Map.of("generation.server-slots", "1"))).isEqualTo(1);
        assertThat(aheadWith(Map.of("generation.server-slots", "16", "generation.queue-ahead", "0"))).isZero();
        assertThat(aheadWith(Map.of("generation.server-slots", "2", "generation.queue-ahead", "3"))).isEqualTo(3);
        Config config = Config.load(null).with(Map.of("generation.server-slots", "16", "generation.queue-ahead", "3"));
        assertThat(new ModelServers(config, new SimpleMeterRegistry()).forTier(config, "fast", "ollama").slots()
                .availablePermits()).isEqualTo(16 + 3);
    }

    @Test
    void aQueueAheadThatIsNeitherANumberNorAutoIsRefusedWithTheSettingNamed() {
        Config config = Config.load(null).with(Map.of("generation.queue-ahead", "lots"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelServers(config, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generation.queue-ahead")
                .hasMessageContaining("lots");
    }

    private static int aheadWith(Map<String, String> settings) {
        Config config = Config.load(null).with(settings);
        return new ModelServers(config, new SimpleMeterRegistry()).forTier(config, "fast", "ollama").queueAhead();
    }
}
