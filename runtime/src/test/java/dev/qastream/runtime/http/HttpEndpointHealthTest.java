package dev.qastream.runtime.http;

import dev.qastream.runtime.Health;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** /health: the worst status first, a line per check with its reason; 503 only when something is DOWN. */
class HttpEndpointHealthTest {
    @Test
    void degradedIsStillServedWith200AndDownWith503() throws Exception {
        try (HttpEndpoint http = new HttpEndpoint().start("127.0.0.1", 0)) {
            http.addHealthCheck("ingest", () -> true);
            http.addHealth("scoring", () -> Health.degraded("stream thread failed and was replaced 3 times"));

            HttpResponse<String> degraded = get(http);
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(degraded.body()).startsWith("status: DEGRADED\n")
                    .contains("ingest: UP\n", "scoring: DEGRADED: stream thread failed and was replaced 3 times\n");

            http.addHealth("sink", () -> Health.down("not running"));
            HttpResponse<String> down = get(http);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).startsWith("status: DOWN\n").contains("sink: DOWN: not running\n");
        }
    }

    private static HttpResponse<String> get(HttpEndpoint http) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
