package dev.qastream.sink;

import dev.qastream.runtime.Health;
import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.kafka.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Keeps accepted pairs in the compacted dataset topic and mirrors it into out/dataset.jsonl. */
public final class SinkService implements Service {
    public static final String APP_ID = "qastream-sink";
    public static final String DATASET_FILE = "dataset.jsonl";

    private final StreamsService streams;
    private final DatasetFileWriter writer;
    private Thread writerThread;

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, SinkService::new);
    }

    public SinkService(ServiceContext ctx) {
        this.streams = new StreamsService("sink", APP_ID,
                SinkTopology.build(ctx.topics(), ctx.config().string("sink.system-prompt"),
                        Duration.ofMillis(ctx.kafka().deleteRetentionMs())),
                ctx.kafka().streams(APP_ID, Topics.SINK_DLQ), List.of(Topics.SCORING_SCORED, Topics.REVIEW_DECISIONS), ctx.meters());
        this.writer = new DatasetFileWriter(ctx, ctx.config().path("out").resolve(DATASET_FILE));
    }

    public DatasetFileWriter writer() {
        return writer;
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public void start() {
        streams.start();
        writerThread = new Thread(writer, "dataset-file-writer");
        writerThread.start();
    }

    /** Also false while the dataset file does not follow the topic: {@link #writerProblem()} says why. */
    @Override
    public boolean healthy() {
        return streams.healthy() && writerProblem() == null;
    }

    /** Why dataset.jsonl is not following the dataset topic now, or null. */
    public String writerProblem() {
        if (writerThread == null) {
            return "dataset file writer not started";
        }
        if (!writerThread.isAlive()) {
            return "dataset file writer thread ended";
        }
        return writer.problem();
    }

    /** The Streams app's health (dead letters, failing threads, a stall) and the file writer's, each named. */
    @Override
    public Health health() {
        String problem = writerProblem();
        // A writer that waits for the registry or a disk is DEGRADED (it recovers); one that is gone is DOWN.
        Health file = problem == null ? Health.up()
                : writerThread != null && writerThread.isAlive() ? Health.degraded(problem) : Health.down(problem);
        return Health.combine(List.of(new Health.Named("streams", streams.health()), new Health.Named("file", file)));
    }

    @Override
    public Map<String, List<String>> consumerGroups() {
        return streams.consumerGroups();
    }

    @Override
    public void close() {
        writer.stop();
        if (writerThread != null) {
            try {
                writerThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.close();
    }
}
