package dev.qastream.runtime;

import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.KafkaSettings;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final long sampleMs;
    /** Where the group's lag is read; null when the app was configured otherwise (then no stall is told). */
    private final KafkaSettings settings;
    private ScheduledExecutorService sampler;
    private ConsumerLag lag; // used on the sampler thread only
    private volatile KafkaStreams streams;
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
        Object stall = props.get(StreamsHealth.STALL_MS_CONFIG);
        long stallMs = stall == null ? StreamsHealth.DEFAULT_STALL_MS : Long.parseLong(stall.toString());
        this.health = new StreamsHealth(String.valueOf(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)),
                stallMs, System::currentTimeMillis);
        this.sampleMs = Math.max(1_000, Math.min(10_000, stallMs / 10));
        this.settings = props.get(KafkaSettings.SETTINGS_CONFIG) instanceof KafkaSettings k ? k : null;
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
        if (settings != null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name + "-health");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleWithFixedDelay(this::sample, 0, sampleMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean healthy() {
        return streams != null && (streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED);
    }

    @Override
    public Health health() {
        KafkaStreams s = streams;
        return health.evaluate(s == null ? null : s.state());
    }

    /** Samples progress for {@link #health()}: records processed, and the group's lag as `status` counts it. */
    private void sample() {
        KafkaStreams s = streams;
        if (s == null) {
            return;
        }
        long waiting;
        try {
            if (lag == null) {
                lag = new ConsumerLag(settings);
            }
            waiting = lag.lag(applicationId, inputTopics);
        } catch (RuntimeException unknown) {
            waiting = -1; // the broker did not answer, or an input topic is not there yet: not known this time
        }
        health.observe(processed(s), waiting);
    }

    /** Records processed so far by the app's stream threads. */
    private static long processed(KafkaStreams s) {
        double total = 0;
        for (Metric m : s.metrics().values()) {
            MetricName n = m.metricName();
            if (n.group().equals("stream-thread-metrics") && n.name().equals("process-total")
                    && m.metricValue() instanceof Number v && !Double.isNaN(v.doubleValue())) {
                total += v.doubleValue();
            }
        }
        return (long) total;
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
        if (sampler != null) {
            sampler.shutdownNow();
            try {
                if (sampler.awaitTermination(10, TimeUnit.SECONDS) && lag != null) {
                    lag.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
