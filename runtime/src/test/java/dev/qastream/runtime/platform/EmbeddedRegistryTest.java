package dev.qastream.runtime.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedRegistryTest {

    @Test
    void findsTheDistributionTheBuildUnpacked() {
        // Given the build's platform dir (surefire passes qastream.platform.dir)

        // When the distribution is located
        var dist = EmbeddedRegistry.locateDistribution();

        // Then it is the unpacked Apicurio runner
        assertThat(dist.getFileName().toString()).isEqualTo("apicurio-registry-3.3.3");
        assertThat(Files.isRegularFile(dist.resolve("quarkus-run.jar"))).isTrue();
    }
}
