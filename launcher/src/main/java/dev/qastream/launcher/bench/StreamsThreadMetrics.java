package dev.qastream.launcher.bench;

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

    private StreamsThreadMetrics() {
    }

    /**
     * By name: {@code process%}, {@code punctuate%}, {@code commit%}, {@code poll%} (share of the time) and
     * {@code punctuate_max_ms}, {@code commit_max_ms}; empty when the process has no Streams threads.
     */
    static Map<String, Double> of(ChildService child) {
        Map<String, Double> result = new TreeMap<>();
        String text = child.metricsText();
        if (text == null) {
            return result; // busy or gone: this sample goes without
        }
        Matcher m = THREAD_METRIC.matcher(text);
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
        return result;
    }
}
