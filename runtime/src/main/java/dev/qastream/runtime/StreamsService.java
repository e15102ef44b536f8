package dev.qastream.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Runs one Kafka Streams topology as a service; the topology itself is built elsewhere, purely. */
public class StreamsService implements Service {
    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

    private final String name;
    private final String applicationId;
    private final Topology topology;
    private final Properties props = new Properties();
    private final List<String> inputTopics;
    private final MeterRegistry meters;
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
            log.error("{}: stream thread failed, replacing it", name, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
    }

    @Override
    public boolean healthy() {
        return streams != null && (streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED);
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
