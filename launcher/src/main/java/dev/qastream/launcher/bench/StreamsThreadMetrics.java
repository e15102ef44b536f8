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
 * What the Streams threads of a service process spend their time on, from its /metrics: the share of the last
 * window spent processing, punctuating, committing and polling (max over its threads, in percent), and the
 * longest punctuation and commit (per task, as Streams records them). An exactly-once transaction spans the
 * processing and punctuations between two commits; a thread that spends most of its time committing does little
 * work per transaction.
 */
final class StreamsThreadMetrics {
    private static final Pattern THREAD_METRIC = Pattern.compile(
            "^kafka_stream_thread_(process_ratio|punctuate_ratio|commit_ratio|poll_ratio|punctuate_latency_max|commit_latency_max)"
                    + "\\{[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private StreamsThreadMetrics() {
    }

    /**
     * By name: {@code process%}, {@code punctuate%}, {@code commit%}, {@code poll%} (share of the time) and
     * {@code punctuate_max_ms}, {@code commit_max_ms}; empty when the process has no Streams threads.
     */
    static Map<String, Double> of(ChildService child) {
        Map<String, Double> result = new TreeMap<>();
        try {
            int port = child.metricsPort();
            if (port < 0) {
                return result;
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = THREAD_METRIC.matcher(r.body());
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                if (!Double.isNaN(v)) {
                    String name = m.group(1);
                    if (name.endsWith("_ratio")) {
                        result.merge(name.replace("_ratio", "%"), v * 100, Math::max);
                    } else {
                        result.merge(name.replace("_latency_max", "_max_ms"), v, Math::max);
                    }
                }
            }
        } catch (Exception unavailable) {
            // busy or gone: this sample goes without
        }
        return result;
    }
}
