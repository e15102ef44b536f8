package dev.qastream.runtime;

import dev.qastream.runtime.streams.DeadLetterListener;
import dev.qastream.runtime.streams.StreamsHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one Kafka Streams topology as a service; the topology itself is built elsewhere, purely. Records that
 * cannot be read or processed go to the app's dead-letter topic (configured by {@code KafkaSettings.streams});
 * a stream thread that fails anyway (a transient failure) is replaced and retries where it was. {@link #health()}
 * tells a thread that keeps failing, a stalled input and the dead-lettered records ({@link StreamsHealth}).
 */
public class StreamsService implements Service {
    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

    private final String name;
    private final String applicationId;
    private final Topology topology;
    private final Properties props = new Properties();
    private final List<String> inputTopics;
    private final MeterRegistry meters;
    private final StreamsHealth health;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public StreamsService(String name, String applicationId, Topology topology, Map<String, Object> props,
                          List<String> inputTopics) {
        this(name, applicationId, topology, props, inputTopics, null);
    }

    /** With {@code meters}, the Streams app's own metrics (threads, tasks, its clients) are published there too. */
    public StreamsService(String name, String applicationId, Topology topology, Map<String, Object> props,
                          List<String> inputTopics, MeterRegistry meters) {
        this.name = name;
        this.applicationId = applicationId;
        this.topology = topology;
        this.props.putAll(props);
        this.inputTopics = inputTopics;
        this.meters = meters;
        Object stallMs = props.get(StreamsHealth.STALL_MS_CONFIG);
        this.health = new StreamsHealth(String.valueOf(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)),
                stallMs == null ? StreamsHealth.DEFAULT_STALL_MS : Long.parseLong(stallMs.toString()),
                System::currentTimeMillis);
        // The dead-letter handlers tell it what they sent (an object in the configuration: Kafka makes the handlers).
        this.props.put(DeadLetterListener.CONFIG, health);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        streams = new KafkaStreams(topology, props);
        if (meters != null) {
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(meters);
        }
        long t0 = System.nanoTime();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                log.info("{} running ({} ms after start)", name, (System.nanoTime() - t0) / 1_000_000);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // A bad record does not get here (it is dead-lettered); a transient failure does, and the new thread
            // retries from the last commit. One that keeps failing shows as DEGRADED on /health.
            log.error("{}: stream thread failed, replacing it", name, e);
            health.threadReplaced(e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    @Override
    public boolean healthy() {
        return streams != null && (streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED);
    }

    @Override
    public Health health() {
        KafkaStreams s = streams;
        return s == null ? health.evaluate(null, 0, 0) : health.evaluate(s.state(), processed(s), waiting(s));
    }

    /** Records processed so far by the app's stream threads. */
    private static long processed(KafkaStreams s) {
        double total = 0;
        for (Metric m : s.metrics().values()) {
            MetricName n = m.metricName();
            if (n.group().equals("stream-thread-metrics") && n.name().equals("process-total")) {
                total += number(m);
            }
        }
        return (long) total;
    }

    /** Records on the input partitions not read yet: the lag of the stream threads' main consumers. */
    private static long waiting(KafkaStreams s) {
        double total = 0;
        for (Metric m : s.metrics().values()) {
            MetricName n = m.metricName();
            String client = n.tags().getOrDefault("client-id", "");
            if (n.group().equals("consumer-fetch-manager-metrics") && n.name().equals("records-lag")
                    && n.tags().containsKey("partition") && client.endsWith("-consumer")
                    && !client.endsWith("-restore-consumer") && !client.endsWith("-global-consumer")) {
                total += number(m);
            }
        }
        return (long) total;
    }

    private static double number(Metric m) {
        return m.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    @Override
    public Map<String, List<String>> consumerGroups() {
        return Map.of(applicationId, inputTopics);
    }

    @Override
    public void close() {
        if (streams != null) {
            // Leave the group: a restarted process then gets its partitions at once instead of waiting
            // for the old member's session to expire.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }
}
