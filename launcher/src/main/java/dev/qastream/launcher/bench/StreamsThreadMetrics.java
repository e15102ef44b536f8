package dev.qastream.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Streams threads' own latencies of a service process, from its /metrics: the longest process loop, punctuation
 * and commit of the last window (max over its threads). An exactly-once transaction spans about one process loop
 * plus the punctuations between two commits, so these tell how close a thread comes to its transaction timeout.
 */
final class StreamsThreadMetrics {
    private static final Pattern LATENCY_MAX = Pattern.compile(
            "^kafka_stream_thread_(process|punctuate|commit|poll)_latency_max\\{[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private StreamsThreadMetrics() {
    }

    /** Milliseconds by kind (process, punctuate, commit, poll); empty when the process has no Streams threads. */
    static Map<String, Double> maxLatencies(ChildService child) {
        Map<String, Double> result = new TreeMap<>();
        try {
            int port = child.metricsPort();
            if (port < 0) {
                return result;
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = LATENCY_MAX.matcher(r.body());
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                if (!Double.isNaN(v)) {
                    result.merge(m.group(1), v, Math::max);
                }
            }
        } catch (Exception unavailable) {
            // busy or gone: this sample goes without
        }
        return result;
    }
}
