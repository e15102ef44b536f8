package dev.qastream.runtime.http;

import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What listens where by default: loopback, unless configured otherwise. */
class ListeningAddressTest {

    @Test
    void metricsHealthAndTheWorkbenchListenOnLoopbackUnlessConfiguredOtherwise() throws Exception {
        // Given the default settings
        Config defaults = Config.load(null, Map.of());
        assertThat(defaults.string("review.host")).isEqualTo("127.0.0.1");

        // When /metrics and /health start on the configured host
        try (HttpEndpoint http = new HttpEndpoint().start(defaults.string("http.host"), 0)) {
            // Then they listen on loopback only
            assertThat(http.address().getAddress().isLoopbackAddress()).as("%s", http.address()).isTrue();
        }

        // When the host is configured otherwise (a container, scraped from elsewhere)
        Config open = Config.load(null, Map.of("QASTREAM_HTTP_HOST", "0.0.0.0"));
        try (HttpEndpoint http = new HttpEndpoint().start(open.string("http.host"), 0)) {
            // Then that is what it listens on
            assertThat(http.address().getAddress().isAnyLocalAddress()).as("%s", http.address()).isTrue();
        }
    }
}
